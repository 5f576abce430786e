// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_PRINT_HPP
#define SMTPSPEC_GRAMMAR_PRINT_HPP

#include "grammar/command.hpp"

#include <string>

namespace smtpspec::grammar
{

/**
 * @param p a path.
 * @return its wire form, "<@a,@b:user@example.org>" or "<user@example.org>";
 *         parsing it again gives the same value (known fault B14).
 */
std::string to_string(const path& p);

/** @return "<>" for the null path, else the path's wire form (4.1.2). */
std::string to_string(const reverse_path& p);

/** @return "<Postmaster>" for the bare form, else the path's wire form (4.1.1.3). */
std::string to_string(const forward_path& p);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_PRINT_HPP
