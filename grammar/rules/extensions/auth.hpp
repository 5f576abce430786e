// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_AUTH_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_AUTH_HPP

// RFC 4954: the AUTH extension (SMTP authentication), with sasl-mech from
// RFC 4422.

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::auth
{

/// RFC 4954 8: hexchar = "+" HEXDIG HEXDIG
struct hexchar : seq<one<'+'>, HEXDIG, HEXDIG> {};

/// RFC 4954 8: xchar = %x21-2A / %x2C-3C / %x3E-7E
struct xchar : ranges<0x21, 0x2a, 0x2c, 0x3c, 0x3e, 0x7e> {};

/// RFC 4954 8: xtext = *(xchar / hexchar)
struct xtext : star<sor<xchar, hexchar>> {};

/// RFC 4954 8: auth-param = "AUTH=" xtext
struct auth_param : seq<istring<'A', 'U', 'T', 'H', '='>, xtext> {};

/**
 * RFC 4422 3.1: mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
 *
 * Lower-case letters are accepted too: RFC 4954 8 requires the strings of its
 * grammar to be accepted in any case.
 */
struct mech_char : sor<ALPHA, DIGIT, one<'-', '_'>> {};

/// RFC 4422 3.1: sasl-mech = 1*20mech-char (written as mech-char *19mech-char)
struct sasl_mech : seq<mech_char, rep_opt<19, mech_char>> {};

/// RFC 4954 8: base64-char = ALPHA / DIGIT / "+" / "/"
struct base64_char : sor<ALPHA, DIGIT, one<'+', '/'>> {};

/// RFC 4954 8: base64-terminal = (2base64-char "==") / (3base64-char "=")
struct base64_terminal : sor<seq<rep<2, base64_char>, string<'=', '='>>,
                             seq<rep<3, base64_char>, one<'='>>> {};

/**
 * RFC 4954 8: base64 = base64-terminal / ( 1*(4base64-char) [base64-terminal] )
 *
 * A base64-terminal ends in "=", which no base64-char is, so it never matches
 * a prefix of the second alternative; four base64-chars are taken as a group
 * only when all four are there, so the groups never take the terminal's octets.
 */
struct base64
    : sor<base64_terminal, seq<plus<rep<4, base64_char>>, opt<base64_terminal>>> {};

/// RFC 4954 8: initial-response = base64 / "="
struct initial_response : sor<base64, one<'='>> {};

/// RFC 4954 8: cancel-response = "*"
struct cancel_response : one<'*'> {};

/// RFC 4954 8: continue-req = "334" SP [base64] CRLF
struct continue_req : seq<string<'3', '3', '4'>, SP, opt<base64>, CRLF> {};

/**
 * RFC 4954 8: auth-command = "AUTH" SP sasl-mech [SP initial-response]
 * *(CRLF [base64]) [CRLF cancel-response] CRLF
 *
 * The whole exchange as the client sends it, server replies left out. A step
 * of *(CRLF [base64]) that is the final CRLF fails on the next CRLF it needs
 * and is given back, as is one that meets "*".
 */
struct auth_command
    : seq<istring<'A', 'U', 'T', 'H'>, SP, sasl_mech, opt<SP, initial_response>,
          star<CRLF, opt<base64>, at<CRLF>>, opt<CRLF, cancel_response>, CRLF> {};

/// The first line of auth-command: "AUTH" SP sasl-mech [SP initial-response] CRLF.
struct auth_command_line
    : seq<istring<'A', 'U', 'T', 'H'>, SP, sasl_mech, opt<SP, initial_response>, CRLF> {};

}  // namespace smtpspec::grammar::rules::auth

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_AUTH_HPP
