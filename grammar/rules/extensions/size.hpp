// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SIZE_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SIZE_HPP

// RFC 1870: the SIZE extension (message size declaration).

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::size
{

/// RFC 1870 4: size-param ::= [1*DIGIT] (the EHLO keyword's optional parameter)
struct size_param : opt<plus<DIGIT>> {};

/// RFC 1870 4: size-value ::= 1*20DIGIT (written as DIGIT *19DIGIT)
struct size_value : seq<DIGIT, rep_opt<19, DIGIT>> {};

/// The EHLO line of RFC 1870 4: "SIZE" [SP size-param] (not a named ABNF rule there).
struct ehlo_size_line : seq<istring<'S', 'I', 'Z', 'E'>, opt<SP, plus<DIGIT>>> {};

/// The MAIL parameter of RFC 1870 4: "SIZE=" size-value (not a named ABNF rule there).
struct size_parameter : seq<istring<'S', 'I', 'Z', 'E', '='>, size_value> {};

}  // namespace smtpspec::grammar::rules::size

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SIZE_HPP
