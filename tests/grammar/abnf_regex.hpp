// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_GRAMMAR_ABNF_REGEX_HPP
#define SMTPSPEC_TESTS_GRAMMAR_ABNF_REGEX_HPP

// The ABNF of RFC 5321 4.1.2, 4.1.3 and 4.2 written a second time, as
// ECMAScript regular expressions, rule by rule. A regular expression tries
// every way to match, as ABNF does, so comparing it with the PEGTL rules over
// many inputs finds places where PEG's ordered choice or greedy repetition
// changed the language. None of these rules is recursive, so each is regular.

#include <string>
#include <string_view>

namespace smtpspec::grammar::test::abnf
{

/** @return a regular expression matching @p literal case-insensitively (RFC 5234 2.3). */
inline std::string ci(std::string_view literal)
{
    std::string out;
    for (const char c : literal) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            const char upper = static_cast<char>(c & ~0x20);
            const char lower = static_cast<char>(c | 0x20);
            out += std::string("[") + upper + lower + "]";
        } else if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
            out += std::string("\\") + c;
        } else {
            out += c;
        }
    }
    return out;
}

// 4.1.2 and RFC 5322 3.2.3: the rules below atext, qtextSMTP and sub-domain.
inline const std::string atext = R"re([A-Za-z0-9!#$%&'*+/=?^_`{|}~-])re";
inline const std::string Let_dig = "[A-Za-z0-9]";
inline const std::string Ldh_str = "[A-Za-z0-9-]*" + Let_dig;
inline const std::string sub_domain = Let_dig + "(?:" + Ldh_str + ")?";
inline const std::string qtextSMTP = R"re([ !#-\[\]-~])re";
inline const std::string quoted_pairSMTP = R"re(\\[ -~])re";
inline const std::string esmtp_keyword = "[A-Za-z0-9][A-Za-z0-9-]*";
inline const std::string esmtp_value = "[!-<>-~]+";

// 4.1.3
inline const std::string Snum = "[0-9]{1,3}";
inline const std::string IPv4_address_literal = Snum + R"re((?:\.)re" + Snum + "){3}";
inline const std::string IPv6_hex = "[0-9A-Fa-f]{1,4}";
inline const std::string IPv6_full = IPv6_hex + "(?::" + IPv6_hex + "){7}";
inline const std::string IPv6_comp = "(?:" + IPv6_hex + "(?::" + IPv6_hex + "){0,5})?::(?:"
                                     + IPv6_hex + "(?::" + IPv6_hex + "){0,5})?";
inline const std::string IPv6v4_full =
    IPv6_hex + "(?::" + IPv6_hex + "){5}:" + IPv4_address_literal;
inline const std::string IPv6v4_comp = "(?:" + IPv6_hex + "(?::" + IPv6_hex + "){0,3})?::(?:"
                                       + IPv6_hex + "(?::" + IPv6_hex + "){0,3}:)?"
                                       + IPv4_address_literal;
inline const std::string IPv6_addr =
    "(?:" + IPv6_full + "|" + IPv6_comp + "|" + IPv6v4_full + "|" + IPv6v4_comp + ")";
inline const std::string IPv6_address_literal = ci("IPv6:") + IPv6_addr;
inline const std::string dcontent = "[!-Z^-~]";
inline const std::string General_address_literal = Ldh_str + ":" + dcontent + "+";
inline const std::string address_literal = R"re(\[(?:)re" + IPv4_address_literal + "|"
                                           + IPv6_address_literal + "|"
                                           + General_address_literal + R"re()\])re";

/** The rules of 4.1.2 built on atext, qtextSMTP and sub-domain. */
struct address_regexes
{
    std::string Domain;         ///< Domain = sub-domain *("." sub-domain)
    std::string At_domain;      ///< At-domain = "@" Domain
    std::string A_d_l;          ///< A-d-l = At-domain *( "," At-domain )
    std::string Atom;           ///< Atom = 1*atext
    std::string Dot_string;     ///< Dot-string = Atom *("."  Atom)
    std::string Quoted_string;  ///< Quoted-string = DQUOTE *QcontentSMTP DQUOTE
    std::string Local_part;     ///< Local-part = Dot-string / Quoted-string
    std::string String;         ///< String = Atom / Quoted-string
    std::string Mailbox;        ///< Mailbox = Local-part "@" ( Domain / address-literal )
    std::string Path;           ///< Path = "<" [ A-d-l ":" ] Mailbox ">"
};

/**
 * @return the rules of 4.1.2 for the given bottom rules: RFC 5321's, or
 *         those RFC 6531 3.3 extends.
 */
inline address_regexes addresses(const std::string& atext, const std::string& qtextSMTP,
                                 const std::string& sub_domain)
{
    address_regexes r;
    r.Domain = sub_domain + R"re((?:\.)re" + sub_domain + ")*";
    r.At_domain = "@" + r.Domain;
    r.A_d_l = r.At_domain + "(?:," + r.At_domain + ")*";
    r.Atom = "(?:" + atext + ")+";
    r.Dot_string = r.Atom + R"re((?:\.)re" + r.Atom + ")*";
    r.Quoted_string = "\"(?:" + qtextSMTP + "|" + quoted_pairSMTP + ")*\"";
    r.Local_part = "(?:" + r.Dot_string + "|" + r.Quoted_string + ")";
    r.String = "(?:" + r.Atom + "|" + r.Quoted_string + ")";
    r.Mailbox = r.Local_part + "@(?:" + r.Domain + "|" + address_literal + ")";
    r.Path = "<(?:" + r.A_d_l + ":)?" + r.Mailbox + ">";
    return r;
}

inline const address_regexes rfc5321 = addresses(atext, qtextSMTP, sub_domain);
inline const std::string Domain = rfc5321.Domain;
inline const std::string Dot_string = rfc5321.Dot_string;
inline const std::string Quoted_string = rfc5321.Quoted_string;
inline const std::string String = rfc5321.String;
inline const std::string Mailbox = rfc5321.Mailbox;
inline const std::string Path = rfc5321.Path;
inline const std::string Reverse_path = "(?:" + Path + "|<>)";
inline const std::string esmtp_param = esmtp_keyword + "(?:=" + esmtp_value + ")?";
inline const std::string Mail_parameters = esmtp_param + "(?: " + esmtp_param + ")*";

// 4.1.1
inline const std::string mail =
    ci("MAIL FROM:") + Reverse_path + "(?: " + Mail_parameters + ")?\r\n";
inline const std::string rcpt = ci("RCPT TO:") + "(?:" + ci("<Postmaster@") + Domain + ">|"
                                + ci("<Postmaster>") + "|" + Path + ")(?: "
                                + Mail_parameters + ")?\r\n";

// 4.2
inline const std::string Reply_code = "[2-5][0-5][0-9]";
inline const std::string textstring = "[\t -~]+";
inline const std::string Reply_line = "(?:" + Reply_code + "-(?:" + textstring + ")?\r\n)*"
                                      + Reply_code + "(?: " + textstring + ")?\r\n";
inline const std::string greeting_host = "(?:" + Domain + "|" + address_literal + ")";
inline const std::string Greeting = "(?:220 " + greeting_host + "(?: " + textstring
                                    + ")?\r\n|220-" + greeting_host + "(?: " + textstring
                                    + ")?\r\n(?:220-(?:" + textstring + ")?\r\n)*220(?: "
                                    + textstring + ")?\r\n)";

// RFC 5322, with comments not nested (a regular expression cannot count
// parentheses); inputs given to these must not nest comments.
inline const std::string FWS = R"re((?:[ \t]+(?:\r\n[ \t]+)*|(?:[ \t]*\r\n)?[ \t]+))re";
inline const std::string ctext = R"re([!-'*-\[\]-~\x01-\x08\x0b\x0c\x0e-\x1f\x7f])re";
inline const std::string quoted_pair = R"re(\\[\x00-\x7f])re";
inline const std::string flat_comment =
    R"re(\()re" "(?:" + FWS + "?(?:" + ctext + "|" + quoted_pair + "))*" + FWS + R"re(?\))re";
inline const std::string CFWS =
    "(?:(?:" + FWS + "?" + flat_comment + ")+" + FWS + "?|" + FWS + ")";
inline const std::string dot_atom_text = atext + "+(?:\\." + atext + "+)*";
inline const std::string dtext =
    R"re((?:[!-Z^-~\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|)re" + quoted_pair + ")";
inline const std::string msg_id = "(?:" + CFWS + ")?<" + dot_atom_text + "@(?:" + dot_atom_text
                                  + "|\\[" + dtext + "*\\])>(?:" + CFWS + ")?";
inline const std::string date_time =
    "(?:(?:" + FWS + ")?(?:" + ci("Mon") + "|" + ci("Tue") + "|" + ci("Wed") + "|" + ci("Thu")
    + "|" + ci("Fri") + "|" + ci("Sat") + "|" + ci("Sun") + "),)?(?:" + FWS + ")?[0-9]{1,2}"
    + FWS + "(?:" + ci("Jan") + "|" + ci("Feb") + "|" + ci("Mar") + "|" + ci("Apr") + "|"
    + ci("May") + "|" + ci("Jun") + "|" + ci("Jul") + "|" + ci("Aug") + "|" + ci("Sep") + "|"
    + ci("Oct") + "|" + ci("Nov") + "|" + ci("Dec") + ")" + FWS + "[0-9]{4,}" + FWS
    + "[0-9]{2}:[0-9]{2}(?::[0-9]{2})?" + FWS + "[+-][0-9]{4}(?:" + CFWS + ")?";

/**
 * @return Time-stamp-line of 4.4, with Additional-Registered-Clauses as
 *         corrected by erratum 1683, on the given rules of 4.1.2.
 */
inline std::string time_stamp_line(const address_regexes& a)
{
    const std::string TCP_info =
        "(?:" + address_literal + "|" + a.Domain + FWS + address_literal + ")";
    const std::string Extended_Domain = "(?:" + a.Domain + "|" + a.Domain + FWS + "\\("
                                        + TCP_info + "\\)|" + address_literal + FWS + "\\("
                                        + TCP_info + "\\))";
    return ci("Received:") + FWS + ci("FROM") + FWS + Extended_Domain + CFWS + ci("BY") + FWS
         + Extended_Domain + "(?:" + CFWS + ci("VIA") + FWS + a.Atom + ")?(?:" + CFWS
         + ci("WITH") + FWS + a.Atom + ")?(?:" + CFWS + ci("ID") + FWS + "(?:" + a.Atom + "|"
         + msg_id + "))?(?:" + CFWS + ci("FOR") + FWS + "(?:" + a.Path + "|" + a.Mailbox
         + "))?(?:" + CFWS + a.Atom + FWS + a.String + ")*(?:" + CFWS + ")?;" + FWS + date_time
         + "\r\n";
}

// 4.4
inline const std::string Time_stamp_line = time_stamp_line(rfc5321);

/**
 * The rules RFC 6531 3.3 extends, with UTF8-non-ascii of RFC 6532 3.1 (the
 * UTF-8 of RFC 3629 4 beyond ASCII, written as octets), and what they change.
 */
namespace smtputf8
{
inline const std::string UTF8_tail = R"re([\x80-\xBF])re";
inline const std::string UTF8_non_ascii =
    "(?:[\\xC2-\\xDF]" + UTF8_tail + "|\\xE0[\\xA0-\\xBF]" + UTF8_tail + "|[\\xE1-\\xEC]"
    + UTF8_tail + "{2}|\\xED[\\x80-\\x9F]" + UTF8_tail + "|[\\xEE-\\xEF]" + UTF8_tail
    + "{2}|\\xF0[\\x90-\\xBF]" + UTF8_tail + "{2}|[\\xF1-\\xF3]" + UTF8_tail
    + "{3}|\\xF4[\\x80-\\x8F]" + UTF8_tail + "{2})";
// atext =/ UTF8-non-ascii; qtextSMTP =/ UTF8-non-ascii
inline const std::string atext = "(?:" + abnf::atext + "|" + UTF8_non_ascii + ")";
inline const std::string qtextSMTP = "(?:" + abnf::qtextSMTP + "|" + UTF8_non_ascii + ")";
// U-label of RFC 5890 by its shape, as grammar/rules/extensions/smtputf8.hpp reads it:
// letters, digits, hyphens and UTF-8, no hyphen first or last, some UTF-8.
inline const std::string u_label_char = "(?:" + Let_dig + "|" + UTF8_non_ascii + ")";
inline const std::string U_label = "(?=[A-Za-z0-9-]*" + UTF8_non_ascii + ")" + u_label_char
                                   + "(?:-*" + u_label_char + ")*";
// sub-domain =/ U-label
inline const std::string sub_domain = "(?:" + U_label + "|" + abnf::sub_domain + ")";
inline const address_regexes rfc6531 = addresses(atext, qtextSMTP, sub_domain);
inline const std::string Time_stamp_line = time_stamp_line(rfc6531);
}  // namespace smtputf8

}  // namespace smtpspec::grammar::test::abnf

#endif  // SMTPSPEC_TESTS_GRAMMAR_ABNF_REGEX_HPP
