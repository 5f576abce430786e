// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_ENHANCED_STATUS_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_ENHANCED_STATUS_HPP

// RFC 3463 (enhanced mail system status codes) as used in replies by the
// ENHANCEDSTATUSCODES extension of RFC 2034.

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::enhancedstatuscodes
{

/// RFC 3463 2: class = "2"/"4"/"5" ("class" is a C++ keyword, hence the "_").
struct class_ : one<'2', '4', '5'> {};

/// RFC 3463 2: subject = 1*3digit (written as DIGIT *2DIGIT)
struct subject : seq<DIGIT, rep_opt<2, DIGIT>> {};

/// RFC 3463 2: detail = 1*3digit (written as DIGIT *2DIGIT)
struct detail : seq<DIGIT, rep_opt<2, DIGIT>> {};

/// RFC 3463 2: status-code = class "." subject "." detail
struct status_code : seq<class_, one<'.'>, subject, one<'.'>, detail> {};

}  // namespace smtpspec::grammar::rules::enhancedstatuscodes

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_ENHANCED_STATUS_HPP
