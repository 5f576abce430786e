// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_PRINT_HPP
#define SMTPSPEC_GRAMMAR_PRINT_HPP

// Printers for the typed values of grammar/command.hpp. Each prints the value
// exactly as it was parsed (quotes, case and source route kept), so that for
// every value x produced by the parsers, parsing to_string(x) gives back x.

#include "grammar/command.hpp"

#include <string>

namespace smtpspec::grammar
{

/**
 * Prints a Mailbox of 4.1.2.
 * @param m a mailbox, e.g. from parse_mailbox().
 * @return Local-part "@" Domain, e.g. "\"a b\"@example.org".
 * @see RFC 5321 4.1.2
 */
std::string to_string(const mailbox& m);

/**
 * Prints a Path of 4.1.2.
 * @param p a path.
 * @return "<" [ A-d-l ":" ] Mailbox ">".
 * @see RFC 5321 4.1.2
 */
std::string to_string(const path& p);

/**
 * Prints a Reverse-path of 4.1.2.
 * @param r a reverse path.
 * @return "<>" for the null path, otherwise the Path, e.g. "<a@b>".
 * @see RFC 5321 4.1.2, 4.1.1.2
 */
std::string to_string(const reverse_path& r);

/**
 * Prints the argument of RCPT TO: of 4.1.1.3.
 * @param f a forward path.
 * @return "<Postmaster>" for the bare form, otherwise the Path.
 * @see RFC 5321 4.1.1.3
 */
std::string to_string(const forward_path& f);

/**
 * Prints an esmtp-param of 4.1.2.
 * @param p a parameter.
 * @return esmtp-keyword, followed by "=" esmtp-value when there is a value.
 */
std::string to_string(const esmtp_param& p);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_PRINT_HPP
