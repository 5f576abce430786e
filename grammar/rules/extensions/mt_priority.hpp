// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_MT_PRIORITY_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_MT_PRIORITY_HPP

// RFC 6710: the MT-PRIORITY extension.

#include "grammar/rules/core.hpp"
#include "grammar/rules/rfc5322.hpp"

namespace smtpspec::grammar::rules::mt_priority
{

/// RFC 6710 7: NZDIGIT = %x31-39
struct NZDIGIT : range<'1', '9'> {};

/// RFC 6710 7: priority-value = (["-"] NZDIGIT) / "0"
struct priority_value : sor<seq<opt<one<'-'>>, NZDIGIT>, one<'0'>> {};

/// RFC 6710 7: Pri = CFWS "PRIORITY" FWS priority-value (a Received: clause)
struct Pri
    : seq<CFWS, istring<'P', 'R', 'I', 'O', 'R', 'I', 'T', 'Y'>, FWS, priority_value> {};

/// RFC 6710 7: priority-profile = 1*20(ALPHA / DIGIT / "-" / "_" / ".")
struct priority_profile : seq<sor<ALPHA, DIGIT, one<'-', '_', '.'>>,
                              rep_opt<19, sor<ALPHA, DIGIT, one<'-', '_', '.'>>>> {};

/// RFC 6710 7: mt-priority-ehlo = "MT-PRIORITY" [SP priority-profile]
struct mt_priority_ehlo
    : seq<istring<'M', 'T', '-', 'P', 'R', 'I', 'O', 'R', 'I', 'T', 'Y'>,
          opt<SP, priority_profile>> {};

/// The MAIL parameter "MT-PRIORITY=" priority-value of RFC 6710 3 (no ABNF name there).
struct mt_priority_parameter
    : seq<istring<'M', 'T', '-', 'P', 'R', 'I', 'O', 'R', 'I', 'T', 'Y', '='>, priority_value> {};

}  // namespace smtpspec::grammar::rules::mt_priority

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_MT_PRIORITY_HPP
