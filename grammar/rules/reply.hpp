// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_REPLY_HPP
#define SMTPSPEC_GRAMMAR_RULES_REPLY_HPP

// RFC 5321 4.2: the greeting and reply lines sent by a server.

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/literal.hpp"

namespace smtpspec::grammar::rules
{

/// RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39
struct Reply_code : seq<range<'2', '5'>, range<'0', '5'>, range<'0', '9'>> {};

/// RFC 5321 4.2: textstring = 1*(%d09 / %d32-126)
struct textstring : plus<ranges<9, 9, 32, 126>> {};

namespace internal
{
/// One line of Reply-line that another line follows: Reply-code "-" [ textstring ] CRLF.
struct reply_continuation_line : seq<Reply_code, one<'-'>, opt<textstring>, CRLF> {};

/// The last line of Reply-line: Reply-code [ SP textstring ] CRLF.
struct reply_last_line : seq<Reply_code, opt<SP, textstring>, CRLF> {};

/// A last line of the code and a space with no text ("250 " CRLF): not in
/// the ABNF of 4.2, but the form 4.2.1 asks for when there is no text
/// (R-4.2.1-3). Used by the typed parser only, never by Reply-line itself.
struct reply_last_line_space_only : seq<Reply_code, SP, CRLF> {};

/// Domain / address-literal, the server's name in a Greeting.
struct greeting_host : sor<Domain, address_literal> {};
}  // namespace internal

/**
 * RFC 5321 4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 * Reply-code [ SP textstring ] CRLF
 *
 * Despite its name the rule is a whole reply, one or more lines. A line of the
 * repetition needs "-" after the code, which a last line never has, so the
 * greedy repetition stops exactly before the last line.
 */
struct Reply_line
    : seq<star<internal::reply_continuation_line>, internal::reply_last_line> {};

/**
 * RFC 5321 4.2: Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
 * ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
 * *( "220-" [ textstring ] CRLF ) "220" [ SP textstring ] CRLF )
 *
 * The two alternatives differ in their fourth octet, so the choice is exact.
 */
struct Greeting
    : sor<seq<string<'2', '2', '0', ' '>, internal::greeting_host, opt<SP, textstring>, CRLF>,
          seq<string<'2', '2', '0', '-'>, internal::greeting_host, opt<SP, textstring>, CRLF,
              star<string<'2', '2', '0', '-'>, opt<textstring>, CRLF>,
              string<'2', '2', '0'>, opt<SP, textstring>, CRLF>> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_REPLY_HPP
