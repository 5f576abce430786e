// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_ADDRESS_HPP
#define SMTPSPEC_GRAMMAR_RULES_ADDRESS_HPP

// RFC 5321 4.1.2: the argument syntax of the commands (paths, mailboxes,
// domains, ESMTP parameters), and atext imported from RFC 5322 3.2.3.
//
// Where PEG differs from ABNF (ordered choice commits to the first alternative
// that matches; repetition is greedy and never gives back), the comment on the
// rule says why the transcription still accepts exactly the ABNF language.

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules
{

struct address_literal;  // 4.1.3, defined in grammar/rules/literal.hpp.

/**
 * RFC 5322 3.2.3: atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
 * "-" / "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
 */
struct atext : sor<ALPHA, DIGIT,
                   one<'!', '#', '$', '%', '&', '\'', '*', '+', '-', '/', '=', '?', '^', '_',
                       '`', '{', '|', '}', '~'>> {};

/// RFC 5321 4.1.2: Let-dig = ALPHA / DIGIT
struct Let_dig : sor<ALPHA, DIGIT> {};

/**
 * RFC 5321 4.1.2: Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
 *
 * A greedy *( ALPHA / DIGIT / "-" ) would swallow the final Let-dig and then
 * fail. The language is "one or more letters, digits and hyphens, ending in a
 * letter or digit", written here as 1*( *"-" Let-dig ): it stops after the last
 * Let-dig and leaves trailing hyphens unread. Taking the longest such prefix is
 * exact because no rule that uses Ldh-str lets a letter, digit or hyphen follow it.
 */
struct Ldh_str : plus<star<one<'-'>>, Let_dig> {};

/// RFC 5321 4.1.2: sub-domain = Let-dig [Ldh-str]
struct sub_domain : seq<Let_dig, opt<Ldh_str>> {};

/**
 * RFC 5321 4.1.2: Domain = sub-domain *("." sub-domain)
 *
 * A "." not followed by a sub-domain is given back (PEG's star retries the
 * whole group), so "a." matches "a" and leaves the dot.
 */
struct Domain : seq<sub_domain, star<one<'.'>, sub_domain>> {};

/// RFC 5321 4.1.2: At-domain = "@" Domain
struct At_domain : seq<one<'@'>, Domain> {};

/// RFC 5321 4.1.2: A-d-l = At-domain *( "," At-domain )
struct A_d_l : seq<At_domain, star<one<','>, At_domain>> {};

/// RFC 5321 4.1.2: Atom = 1*atext
struct Atom : plus<atext> {};

/// RFC 5321 4.1.2: Dot-string = Atom *("." Atom)
struct Dot_string : seq<Atom, star<one<'.'>, Atom>> {};

/// RFC 5321 4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126
struct qtextSMTP : ranges<32, 33, 35, 91, 93, 126> {};

/// RFC 5321 4.1.2: quoted-pairSMTP = %d92 %d32-126
struct quoted_pairSMTP : seq<one<92>, range<32, 126>> {};

/// RFC 5321 4.1.2: QcontentSMTP = qtextSMTP / quoted-pairSMTP
struct QcontentSMTP : sor<qtextSMTP, quoted_pairSMTP> {};

/// RFC 5321 4.1.2: Quoted-string = DQUOTE *QcontentSMTP DQUOTE
struct Quoted_string : seq<DQUOTE, star<QcontentSMTP>, DQUOTE> {};

/**
 * RFC 5321 4.1.2: Local-part = Dot-string / Quoted-string
 *
 * The alternatives start with disjoint octets (DQUOTE is not atext), so the
 * ordered choice never hides one behind the other.
 */
struct Local_part : sor<Dot_string, Quoted_string> {};

/**
 * RFC 5321 4.1.2: Mailbox = Local-part "@" ( Domain / address-literal )
 *
 * Domain starts with a Let-dig and address-literal with "[", so the choice is
 * decided by the first octet.
 */
struct Mailbox : seq<Local_part, one<'@'>, sor<Domain, address_literal>> {};

/// RFC 5321 4.1.2: Path = "<" [ A-d-l ":" ] Mailbox ">"
struct Path : seq<one<'<'>, opt<A_d_l, one<':'>>, Mailbox, one<'>'>> {};

/**
 * RFC 5321 4.1.2: Reverse-path = Path / "<>"
 *
 * Path needs a Mailbox or "@" after "<", so it never matches "<>" and the
 * second alternative is reached.
 */
struct Reverse_path : sor<Path, string<'<', '>'>> {};

/// RFC 5321 4.1.2: Forward-path = Path
struct Forward_path : Path {};

/// RFC 5321 4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
struct esmtp_keyword : seq<sor<ALPHA, DIGIT>, star<sor<ALPHA, DIGIT, one<'-'>>>> {};

/// RFC 5321 4.1.2: esmtp-value = 1*(%d33-60 / %d62-126)
struct esmtp_value : plus<ranges<33, 60, 62, 126>> {};

/// RFC 5321 4.1.2: esmtp-param = esmtp-keyword ["=" esmtp-value]
struct esmtp_param : seq<esmtp_keyword, opt<one<'='>, esmtp_value>> {};

/// RFC 5321 4.1.2: Mail-parameters = esmtp-param *(SP esmtp-param)
struct Mail_parameters : seq<esmtp_param, star<SP, esmtp_param>> {};

/// RFC 5321 4.1.2: Rcpt-parameters = esmtp-param *(SP esmtp-param)
struct Rcpt_parameters : seq<esmtp_param, star<SP, esmtp_param>> {};

/// RFC 5321 4.1.2: Keyword = Ldh-str
struct Keyword : Ldh_str {};

/// RFC 5321 4.1.2: Argument = Atom
struct Argument : Atom {};

/**
 * RFC 5321 4.1.2: String = Atom / Quoted-string
 *
 * Disjoint first octets, as for Local-part.
 */
struct String : sor<Atom, Quoted_string> {};

}  // namespace smtpspec::grammar::rules

// address-literal (4.1.3) is part of Mailbox; literal.hpp needs Ldh-str from
// this file, so it is included after the declarations above.
#include "grammar/rules/literal.hpp"  // IWYU pragma: export

#endif  // SMTPSPEC_GRAMMAR_RULES_ADDRESS_HPP
