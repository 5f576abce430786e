// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_HPP

// RFC 6531 3.3: with SMTPUTF8, atext, qtextSMTP and esmtp-value also allow
// UTF8-non-ascii, and sub-domain allows a U-label. An "=/" extension changes
// every rule above it, so this namespace repeats the 4.1.1 and 4.1.2 rules
// that contain them, built on the extended ones; the names are the same as in
// smtpspec::grammar::rules.

#include "grammar/rules/address.hpp"
#include "grammar/rules/command.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/literal.hpp"

namespace smtpspec::grammar::rules::smtputf8
{

/// RFC 3629 4: UTF8-tail = %x80-BF
struct UTF8_tail : range<'\x80', '\xbf'> {};

/// RFC 3629 4: UTF8-2 = %xC2-DF UTF8-tail
struct UTF8_2 : seq<range<'\xc2', '\xdf'>, UTF8_tail> {};

/**
 * RFC 3629 4: UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 * %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 */
struct UTF8_3 : sor<seq<one<'\xe0'>, range<'\xa0', '\xbf'>, UTF8_tail>,
                    seq<range<'\xe1', '\xec'>, rep<2, UTF8_tail>>,
                    seq<one<'\xed'>, range<'\x80', '\x9f'>, UTF8_tail>,
                    seq<range<'\xee', '\xef'>, rep<2, UTF8_tail>>> {};

/**
 * RFC 3629 4: UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 * %xF4 %x80-8F 2( UTF8-tail )
 */
struct UTF8_4 : sor<seq<one<'\xf0'>, range<'\x90', '\xbf'>, rep<2, UTF8_tail>>,
                    seq<range<'\xf1', '\xf3'>, rep<3, UTF8_tail>>,
                    seq<one<'\xf4'>, range<'\x80', '\x8f'>, rep<2, UTF8_tail>>> {};

/// RFC 6532 3.1: UTF8-non-ascii = UTF8-2 / UTF8-3 / UTF8-4
struct UTF8_non_ascii : sor<UTF8_2, UTF8_3, UTF8_4> {};

namespace internal
{
/// A letter, digit or non-ASCII character of a U-label.
struct u_label_char : sor<Let_dig, UTF8_non_ascii> {};
}  // namespace internal

/**
 * RFC 5890 2.3.2.1: U-label, approximated by its shape: letters, digits,
 * hyphens and UTF-8 characters, not starting or ending with a hyphen, with at
 * least one non-ASCII character.
 *
 * RFC 5890 defines a U-label through IDNA2008's code point tables and
 * normalisation, which a grammar cannot express; a server that must know
 * whether a label is a valid U-label has to check it with an IDNA library.
 */
struct U_label
    : seq<at<star<sor<Let_dig, one<'-'>>>, UTF8_non_ascii>, internal::u_label_char,
          star<star<one<'-'>>, internal::u_label_char>> {};

/// RFC 6531 3.3: atext =/ UTF8-non-ascii
struct atext : sor<rules::atext, UTF8_non_ascii> {};

/// RFC 6531 3.3: qtextSMTP =/ UTF8-non-ascii
struct qtextSMTP : sor<rules::qtextSMTP, UTF8_non_ascii> {};

/// RFC 6531 3.3: esmtp-value =/ UTF8-non-ascii, i.e. 1*(%d33-60 / %d62-126 / UTF8-non-ascii)
struct esmtp_value : plus<sor<ranges<33, 60, 62, 126>, UTF8_non_ascii>> {};

/**
 * RFC 6531 3.3: sub-domain =/ U-label
 *
 * U-label is tried first: on "ab\u00e9" the ASCII alternative would take "ab"
 * and stop. A U-label never matches a proper prefix of an ASCII sub-domain,
 * since it needs a non-ASCII character.
 */
struct sub_domain : sor<U_label, rules::sub_domain> {};

/// RFC 5321 4.1.2 with RFC 6531: Domain = sub-domain *("." sub-domain)
struct Domain : seq<sub_domain, star<one<'.'>, sub_domain>> {};

/// RFC 5321 4.1.2 with RFC 6531: At-domain = "@" Domain
struct At_domain : seq<one<'@'>, Domain> {};

/// RFC 5321 4.1.2 with RFC 6531: A-d-l = At-domain *( "," At-domain )
struct A_d_l : seq<At_domain, star<one<','>, At_domain>> {};

/// RFC 5321 4.1.2 with RFC 6531: Atom = 1*atext
struct Atom : plus<atext> {};

/// RFC 5321 4.1.2 with RFC 6531: Dot-string = Atom *("." Atom)
struct Dot_string : seq<Atom, star<one<'.'>, Atom>> {};

/// RFC 5321 4.1.2 with RFC 6531: QcontentSMTP = qtextSMTP / quoted-pairSMTP
struct QcontentSMTP : sor<qtextSMTP, quoted_pairSMTP> {};

/// RFC 5321 4.1.2 with RFC 6531: Quoted-string = DQUOTE *QcontentSMTP DQUOTE
struct Quoted_string : seq<DQUOTE, star<QcontentSMTP>, DQUOTE> {};

/// RFC 5321 4.1.2 with RFC 6531: Local-part = Dot-string / Quoted-string
struct Local_part : sor<Dot_string, Quoted_string> {};

/// RFC 5321 4.1.2 with RFC 6531: Mailbox = Local-part "@" ( Domain / address-literal )
struct Mailbox : seq<Local_part, one<'@'>, sor<Domain, address_literal>> {};

/// RFC 5321 4.1.2 with RFC 6531: Path = "<" [ A-d-l ":" ] Mailbox ">"
struct Path : seq<one<'<'>, opt<A_d_l, one<':'>>, Mailbox, one<'>'>> {};

/// RFC 5321 4.1.2 with RFC 6531: Reverse-path = Path / "<>"
struct Reverse_path : sor<Path, string<'<', '>'>> {};

/// RFC 5321 4.1.2 with RFC 6531: Forward-path = Path
struct Forward_path : Path {};

/// RFC 5321 4.1.2 with RFC 6531: String = Atom / Quoted-string
struct String : sor<Atom, Quoted_string> {};

/// RFC 5321 4.1.2 with RFC 6531: esmtp-param = esmtp-keyword ["=" esmtp-value]
struct esmtp_param : seq<esmtp_keyword, opt<one<'='>, esmtp_value>> {};

/// RFC 5321 4.1.2 with RFC 6531: Mail-parameters = esmtp-param *(SP esmtp-param)
struct Mail_parameters : seq<esmtp_param, star<SP, esmtp_param>> {};

/// RFC 5321 4.1.2 with RFC 6531: Rcpt-parameters = esmtp-param *(SP esmtp-param)
struct Rcpt_parameters : seq<esmtp_param, star<SP, esmtp_param>> {};

namespace internal
{
/// "SMTPUTF8", the parameter of VRFY and EXPN.
struct smtputf8_keyword : istring<'S', 'M', 'T', 'P', 'U', 'T', 'F', '8'> {};

/// "<Postmaster@" Domain ">" with the extended Domain.
struct postmaster_at_domain
    : seq<istring<'<', 'P', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', '@'>, Domain,
          one<'>'>> {};
}  // namespace internal

/// RFC 5321 4.1.1.1 with RFC 6531: ehlo = "EHLO" SP ( Domain / address-literal ) CRLF.
/// What 3.3's extended sub-domain makes of the rule; the command parser does
/// not use it (nor helo below): RFC 6531 3.7.1 keeps EHLO's domain ASCII.
struct ehlo : seq<istring<'E', 'H', 'L', 'O'>, SP, sor<Domain, address_literal>, CRLF> {};

/// RFC 5321 4.1.1.1 with RFC 6531: helo = "HELO" SP Domain CRLF
struct helo : seq<istring<'H', 'E', 'L', 'O'>, SP, Domain, CRLF> {};

/// RFC 5321 4.1.1.2 with RFC 6531: mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
struct mail : seq<rules::internal::mail_from, Reverse_path, opt<SP, Mail_parameters>, CRLF> {};

/**
 * RFC 5321 4.1.1.3 with RFC 6531: rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" /
 * "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
 */
struct rcpt : seq<rules::internal::rcpt_to,
                  sor<internal::postmaster_at_domain, rules::internal::bare_postmaster,
                      Forward_path>,
                  opt<SP, Rcpt_parameters>,
                  CRLF> {};

/// RFC 6531 3.7.4.2: vrfy = "VRFY" SP String [ SP "SMTPUTF8" ] CRLF
struct vrfy : seq<istring<'V', 'R', 'F', 'Y'>, SP, String, opt<SP, internal::smtputf8_keyword>,
                  CRLF> {};

/// RFC 6531 3.7.4.2: expn = "EXPN" SP String [ SP "SMTPUTF8" ] CRLF
struct expn : seq<istring<'E', 'X', 'P', 'N'>, SP, String, opt<SP, internal::smtputf8_keyword>,
                  CRLF> {};

/// RFC 5321 4.1.1.8 with RFC 6531: help = "HELP" [ SP String ] CRLF
struct help : seq<istring<'H', 'E', 'L', 'P'>, opt<SP, String>, CRLF> {};

/// RFC 5321 4.1.1.9 with RFC 6531: noop = "NOOP" [ SP String ] CRLF
struct noop : seq<istring<'N', 'O', 'O', 'P'>, opt<SP, String>, CRLF> {};

}  // namespace smtpspec::grammar::rules::smtputf8

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_HPP
