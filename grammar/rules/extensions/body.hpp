// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_BODY_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_BODY_HPP

// The BODY= parameter of MAIL of RFC 6152 (8BITMIME); RFC 3030's body-value,
// which adds BINARYMIME, is in chunking.hpp.
// The values are case-insensitive ABNF strings (RFC 6152 2).

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::body
{

/// RFC 6152 2: body-value = "7BIT" / "8BITMIME"
struct body_value : sor<istring<'7', 'B', 'I', 'T'>,
                        istring<'8', 'B', 'I', 'T', 'M', 'I', 'M', 'E'>> {};

/// The MAIL parameter "BODY=" body-value of RFC 6152 2 (not a named ABNF rule there).
struct body_parameter : seq<istring<'B', 'O', 'D', 'Y', '='>, body_value> {};

}  // namespace smtpspec::grammar::rules::body

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_BODY_HPP
