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

// 4.1.2 and RFC 5322 3.2.3
inline const std::string atext = R"re([A-Za-z0-9!#$%&'*+/=?^_`{|}~-])re";
inline const std::string Let_dig = "[A-Za-z0-9]";
inline const std::string Ldh_str = "[A-Za-z0-9-]*" + Let_dig;
inline const std::string sub_domain = Let_dig + "(?:" + Ldh_str + ")?";
inline const std::string Domain = sub_domain + R"re((?:\.)re" + sub_domain + ")*";
inline const std::string At_domain = "@" + Domain;
inline const std::string A_d_l = At_domain + "(?:," + At_domain + ")*";
inline const std::string Atom = atext + "+";
inline const std::string Dot_string = Atom + R"re((?:\.)re" + Atom + ")*";
inline const std::string qtextSMTP = R"re([ !#-\[\]-~])re";
inline const std::string quoted_pairSMTP = R"re(\\[ -~])re";
inline const std::string Quoted_string = "\"(?:" + qtextSMTP + "|" + quoted_pairSMTP + ")*\"";
inline const std::string Local_part = "(?:" + Dot_string + "|" + Quoted_string + ")";
inline const std::string String = "(?:" + Atom + "|" + Quoted_string + ")";
inline const std::string esmtp_keyword = "[A-Za-z0-9][A-Za-z0-9-]*";
inline const std::string esmtp_value = "[!-<>-~]+";
inline const std::string esmtp_param = esmtp_keyword + "(?:=" + esmtp_value + ")?";
inline const std::string Mail_parameters = esmtp_param + "(?: " + esmtp_param + ")*";

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

// 4.1.2 again: the rules that use address-literal.
inline const std::string Mailbox =
    Local_part + "@(?:" + Domain + "|" + address_literal + ")";
inline const std::string Path = "<(?:" + A_d_l + ":)?" + Mailbox + ">";
inline const std::string Reverse_path = "(?:" + Path + "|<>)";

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

// 4.4, with Additional-Registered-Clauses as corrected by erratum 1683.
inline const std::string TCP_info =
    "(?:" + address_literal + "|" + Domain + FWS + address_literal + ")";
inline const std::string Extended_Domain = "(?:" + Domain + "|" + Domain + FWS + "\\("
                                           + TCP_info + "\\)|" + address_literal + FWS
                                           + "\\(" + TCP_info + "\\))";
inline const std::string Time_stamp_line =
    ci("Received:") + FWS + ci("FROM") + FWS + Extended_Domain + CFWS + ci("BY") + FWS
    + Extended_Domain + "(?:" + CFWS + ci("VIA") + FWS + Atom + ")?(?:" + CFWS + ci("WITH")
    + FWS + Atom + ")?(?:" + CFWS + ci("ID") + FWS + "(?:" + Atom + "|" + msg_id + "))?(?:"
    + CFWS + ci("FOR") + FWS + "(?:" + Path + "|" + Mailbox + "))?(?:" + CFWS + Atom + FWS
    + String + ")*(?:" + CFWS + ")?;" + FWS + date_time + "\r\n";

}  // namespace smtpspec::grammar::test::abnf

#endif  // SMTPSPEC_TESTS_GRAMMAR_ABNF_REGEX_HPP
