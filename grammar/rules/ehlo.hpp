// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EHLO_HPP
#define SMTPSPEC_GRAMMAR_RULES_EHLO_HPP

// RFC 5321 4.1.1.1: the positive reply to EHLO, with its keyword lines.

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules
{

/// RFC 5321 4.1.1.1: ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)
struct ehlo_greet : plus<ranges<0, 9, 11, 12, 14, 127>> {};

/// RFC 5321 4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
struct ehlo_keyword : seq<sor<ALPHA, DIGIT>, star<sor<ALPHA, DIGIT, one<'-'>>>> {};

/// RFC 5321 4.1.1.1: ehlo-param = 1*(%d33-126)
struct ehlo_param : plus<range<33, 126>> {};

/// RFC 5321 4.1.1.1: ehlo-line = ehlo-keyword *( SP ehlo-param )
struct ehlo_line : seq<ehlo_keyword, star<SP, ehlo_param>> {};

/**
 * RFC 5321 4.1.1.1: ehlo-ok-rsp = the sor below, alternative for alternative.
 *
 * In words: the positive EHLO reply is either one line (code 250 and a space,
 * the server's Domain, an optional greeting after a space), or a first line
 * of that shape with "250-", any number of "250-" keyword lines (ehlo-line),
 * and a last keyword line after "250" and a space.
 *
 * The alternatives differ in their fourth octet, and a line of the repetition
 * needs "250-", which the last line never has, so PEG matches the ABNF here.
 */
struct ehlo_ok_rsp
    : sor<seq<string<'2', '5', '0'>, SP, Domain, opt<SP, ehlo_greet>, CRLF>,
          seq<string<'2', '5', '0', '-'>, Domain, opt<SP, ehlo_greet>, CRLF,
              star<string<'2', '5', '0', '-'>, ehlo_line, CRLF>,
              string<'2', '5', '0'>, SP, ehlo_line, CRLF>> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_EHLO_HPP
