// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_STARTTLS_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_STARTTLS_HPP

// RFC 3207: the STARTTLS command. The RFC gives no ABNF; 4 says the verb takes
// no parameters, so the line is the verb and CRLF.

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::starttls
{

/// RFC 3207 4: the command "STARTTLS" with no parameters, then CRLF.
struct starttls : seq<istring<'S', 'T', 'A', 'R', 'T', 'T', 'L', 'S'>, CRLF> {};

}  // namespace smtpspec::grammar::rules::starttls

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_STARTTLS_HPP
