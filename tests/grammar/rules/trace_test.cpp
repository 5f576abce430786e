// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/trace.hpp: Return-Path: and Received: of 4.4.

#include "grammar/rules/trace.hpp"

#include "grammar/rules/extensions/smtputf8_trace.hpp"
#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;
namespace u = rules::smtputf8;

TEST(grammar_rules_trace, Return_path_line_4_4)
{
    check_rows<r::Return_path_line>({
        {"Return-Path: <a@example.org>\r\n", 30},
        {"return-path: <>\r\n", 17},
        {"Return-Path:<a@b>\r\n", no_match},
        {"Return-Path: a@b\r\n", no_match},
    });
}

TEST(grammar_rules_trace, clauses_4_4)
{
    check_rows<r::Link>({{"TCP", 3}, {"TCPX", 4}, {"X25", 3}});
    check_rows<r::Addtl_Link>({{"X25", 3}, {"(x)", no_match}});
    check_rows<r::Attdl_Protocol>({{"LMTP", 4}, {"<x>", no_match}});
    check_rows<r::From_domain>({{"FROM a.example", 14}, {"from a ([1.2.3.4])", 18},
                                {"FROMa", no_match}, {"FROM [1.2.3.4]", no_match}});
    check_rows<r::By_domain>({{" BY b.example", 13}, {" (c) by b", 9}, {"BY b", no_match}});
    check_rows<r::Opt_info>({
        {"", 0},
        {" VIA TCP WITH ESMTP ID 1 FOR <a@b> X y", 38},
        // Out of order, VIA and ID are taken as Additional-Registered-Clauses.
        {" WITH ESMTP VIA TCP", 19},
        {" ID <a@b> FOR <c@d>", 19},
        {" FOR <a@b> ID x", 15},
        {" FOR <a@b> ID <x@y>", 10},  // a msg-id is not a String
    });
    check_rows<r::Protocol>({{"ESMTP", 5}, {"ESMTPSA", 7}, {"SMTP", 4}, {"UTF8SMTPS", 9}});
    check_rows<r::Via>({{" VIA TCP", 8}, {"VIA TCP", no_match}});
    check_rows<r::With>({{" with ESMTPS", 12}, {" WITH", no_match}});
    check_rows<r::ID>({{" id 17", 6}, {" ID <a.b@c> ", 12}, {" ID", no_match}});
    check_rows<r::For>({{" for <b@example.org>", 20}, {" FOR b@example.org", 18},
                        {" FOR <>", no_match}});
    check_rows<r::TCP_info>({{"[192.0.2.1]", 11}, {"a.example [192.0.2.1]", 21},
                             {"a.example", no_match}});
    check_rows<r::Extended_Domain>({
        {"a.example", 9},
        {"a.example ([192.0.2.1])", 23},
        {"a.example (b.example [192.0.2.1])", 33},
        {"[192.0.2.1] ([192.0.2.1])", 25},
        {"[192.0.2.1]", no_match},  // an address literal alone is not an Extended-Domain
    });
}

// A msg-id ends in [CFWS] (RFC 5322 3.6.4), and what follows an ID clause
// starts with CFWS: For, a registered clause, or Stamp's [CFWS] before ";".
// Each string here was refused before internal::after_msg_id: a PEG CFWS took
// all the white space, or split a run of folds where the next could not go on.
TEST(grammar_rules_trace, msg_id_cfws_then_clause_cfws_4_4)
{
    // The msg-id's own [CFWS] where Opt-info ends.
    EXPECT_TRUE(accepts<r::Opt_info>(" ID <a@b> (c)"));
    EXPECT_TRUE(accepts<r::Opt_info>(" ID <a@b> "));
    EXPECT_TRUE(accepts<r::Opt_info>(" ID <a@b>\r\n (c) (d)"));
    EXPECT_FALSE(accepts<r::Opt_info>(" ID <a@b> (c"));
    // CRLF HTAB ends the msg-id's CFWS; For's (or the clause's) CFWS is the
    // obs-FWS SP CRLF SP CRLF SP. As one CFWS the run would not be an FWS.
    EXPECT_TRUE(accepts<r::Opt_info>(" ID <a@b>\r\n\t \r\n \r\n FOR <x@y>"));
    EXPECT_TRUE(accepts<r::Opt_info>(" ID <a@b>\r\n\t \r\n \r\n X y"));
    EXPECT_FALSE(accepts<r::Opt_info>(" ID <a@b>\r\n\t \r\n \r\n "));  // no second CFWS
    // Two such runs would be three CFWS in a row.
    EXPECT_FALSE(accepts<r::Opt_info>(" ID <a@b>\r\n\t \r\n \r\n (c)\r\n\t \r\n \r\n FOR <x@y>"));
    // Without white space before it, an Atom is no registered clause.
    EXPECT_EQ(match_prefix<r::Opt_info>(" ID <a@b>X y"), 9U);
    check_rows<r::Opt_info>({{" ID <a@b> (c);", 13}, {" ID <a@b> (c) FOR <x@y>", 23}});
    EXPECT_TRUE(accepts<r::Stamp>("FROM a BY b ID <a@b>; Fri, 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::Stamp>("FROM a BY b ID <a@b> (c); Fri, 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::Stamp>(
        "FROM a BY b ID <a@b>\r\n\t \r\n \r\n ; Fri, 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::Stamp>(
        "FROM a BY b ID <a@b> (c)\r\n \r\n (d) ; Fri, 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::as_printed::Stamp>(
        "FROM a BY b ID <a@b>\r\n\t \r\n \r\n X y; Fri, 4 Dec 2026 15:00:00 +0000"));
}

// ";" FWS date-time and "ID" FWS msg-id put two FWS side by side (date-time
// and msg-id may start with FWS). A fold CRLF HTAB followed by the obs-FWS
// SP CRLF SP CRLF SP is two FWS; PEG's FWS took HTAB SP and left CRLF SP CRLF
// SP, which no FWS matches. Refused before internal::fws_fws.
TEST(grammar_rules_trace, fws_then_fws_4_4)
{
    EXPECT_TRUE(accepts<r::Stamp>("FROM a BY b;\r\n\t \r\n \r\n Fri, 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::Stamp>("FROM a BY b;\r\n \r\n 4 Dec 2026 15:00:00 +0000"));
    // Three folds of one WSP each are not FWS [FWS].
    EXPECT_FALSE(accepts<r::Stamp>("FROM a BY b;\r\n \r\n \r\n 4 Dec 2026 15:00:00 +0000"));
    EXPECT_TRUE(accepts<r::ID>(" ID\r\n\t \r\n \r\n <a@b>"));
    EXPECT_TRUE(accepts<r::ID>(" ID\r\n\t \r\n \r\n (c) <a@b>"));
    EXPECT_TRUE(accepts<r::ID>(" ID\r\n \r\n <a@b>"));
    EXPECT_FALSE(accepts<r::ID>(" ID\r\n\t \r\n \r\n x"));  // before an Atom, one FWS
    EXPECT_TRUE(accepts<r::Time_stamp_line>(
        "Received: from a by b id\r\n\t \r\n \r\n <m@a>;\r\n\t \r\n \r\n"
        " 4 Dec 2026 15:00:00 +0000\r\n"));
    // The shortest refused corpus sample docs/fuzzing.md recorded (offset 45, rule day).
    EXPECT_TRUE(accepts<r::Time_stamp_line>(
        "Received: from a.example by b.example;\r\n  \r\n \r\n 1 Jan 2000 00:00 +0000\r\n"));
}

/// Derives random strings from the ABNF of 4.4 (and the RFC 5322 rules it
/// uses), independently of the PEG rules: every string is in the language.
class abnf_deriver
{
public:
    /// @param utf8 derive from RFC 6531 3.3's atext, qtextSMTP and sub-domain too.
    abnf_deriver(unsigned seed, bool utf8) : random_(seed), utf8_(utf8) {}

    std::string time_stamp_line()
    {
        return ci("Received:") + fws() + stamp() + "\r\n";
    }
    std::string stamp()
    {
        return ci("FROM") + fws() + extended_domain() + cfws() + ci("BY") + fws()
             + extended_domain() + opt_info() + maybe([&] { return cfws(); }) + ";" + fws()
             + date_time();
    }
    std::string opt_info()
    {
        std::string out = maybe([&] { return cfws() + ci("VIA") + fws() + pick_of({ci("TCP"), atom()}); });
        out += maybe([&] { return cfws() + ci("WITH") + fws() + pick_of({ci("ESMTP"), ci("SMTP"), atom()}); });
        out += maybe([&] { return cfws() + ci("ID") + fws() + (coin() ? atom() : msg_id()); }, 3);
        out += maybe([&] { return cfws() + ci("FOR") + fws() + (coin() ? path() : mailbox()); });
        return out + maybe([&] {
            return repeat(1, 3, [&] { return cfws() + atom() + fws() + string(); });
        });
    }
    std::string id() { return cfws() + ci("ID") + fws() + (coin() ? atom() : msg_id()); }
    std::string extended_domain()
    {
        switch (below(3)) {
        case 0: return domain();
        case 1: return domain() + fws() + "(" + tcp_info() + ")";
        default: return address_literal() + fws() + "(" + tcp_info() + ")";
        }
    }

private:
    std::mt19937 random_;
    bool utf8_;

    std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
    bool coin() { return below(2) == 0; }
    template <typename F>
    std::string maybe(F f, std::size_t in_four = 2) { return below(4) < in_four ? f() : ""; }
    template <typename F>
    std::string repeat(std::size_t lo, std::size_t hi, F f)
    {
        std::string out;
        for (std::size_t n = lo + below(hi - lo + 1); n > 0; --n) {
            out += f();
        }
        return out;
    }
    std::string pick_of(const std::vector<std::string>& from) { return from[below(from.size())]; }
    std::string one_of(std::string_view chars) { return std::string(1, chars[below(chars.size())]); }
    std::string ci(std::string_view literal)
    {
        std::string out(literal);
        for (char& c : out) {
            if (std::isalpha(static_cast<unsigned char>(c)) != 0 && coin()) {
                c = static_cast<char>(c ^ 0x20);
            }
        }
        return out;
    }
    std::string wsp1() { return repeat(1, 3, [&] { return one_of(" \t"); }); }
    // FWS = ([*WSP CRLF] 1*WSP) / obs-FWS; obs-FWS = 1*WSP *(CRLF 1*WSP)
    std::string fws()
    {
        if (coin()) {
            return maybe([&] { return repeat(0, 2, [&] { return one_of(" \t"); }) + "\r\n"; })
                 + wsp1();
        }
        return wsp1() + repeat(0, 3, [&] { return "\r\n" + wsp1(); });
    }
    std::string comment(unsigned depth = 0)
    {
        std::string out = "(";
        for (std::size_t n = below(4); n > 0; --n) {
            out += maybe([&] { return fws(); });
            const std::size_t kind = below(depth < 2 ? 3 : 2);
            out += kind == 0 ? one_of("abc!'*[]~\x01\x7f")
                 : kind == 1 ? "\\" + one_of("a() \t\\")
                             : comment(depth + 1);
        }
        return out + maybe([&] { return fws(); }) + ")";
    }
    // CFWS = (1*([FWS] comment) [FWS]) / FWS
    std::string cfws()
    {
        if (coin()) {
            return fws();
        }
        return repeat(1, 3, [&] { return maybe([&] { return fws(); }) + comment(); })
             + maybe([&] { return fws(); });
    }
    // UTF8-non-ascii (RFC 6532 3.1): two, three and four octets.
    std::string utf8_char()
    {
        return pick_of({"\xc3\xa9", "\xe2\x82\xac", "\xe7\x94\xa8", "\xf0\x9f\x98\x80"});
    }
    // atext, and with utf8_ "atext =/ UTF8-non-ascii" (RFC 6531 3.3)
    std::string atext()
    {
        return utf8_ && below(3) == 0 ? utf8_char() : one_of("abXZ09!#$%&'*+-/=?^_`{|}~");
    }
    std::string atom() { return repeat(1, 4, [&] { return atext(); }); }
    std::string dot_atom_text() { return atom() + repeat(0, 2, [&] { return "." + atom(); }); }
    std::string quoted_string()
    {
        return "\"" + repeat(0, 3, [&] {
                   return utf8_ && coin() ? utf8_char() : pick_of({"a", " ", "\\\"", "@"});
               }) + "\"";
    }
    std::string string() { return coin() ? atom() : quoted_string(); }
    std::string sub_domain()
    {
        if (utf8_ && coin()) {
            // U-label by its shape (smtputf8.hpp): LDH and UTF-8, some UTF-8, no hyphen at an end.
            return maybe([&] { return one_of("a9") + maybe([&] { return std::string("-"); }); })
                 + utf8_char() + maybe([&] { return one_of("-") + one_of("z") + utf8_char(); });
        }
        return one_of("az09") + maybe([&] { return repeat(0, 3, [&] { return one_of("a-9"); }) + one_of("az09"); });
    }
    std::string domain() { return sub_domain() + repeat(0, 2, [&] { return "." + sub_domain(); }); }
    std::string address_literal()
    {
        return pick_of({"[192.0.2.1]", "[IPv6:2001:db8::1]", "[x-y:a!~()Z]"});
    }
    std::string tcp_info()
    {
        return coin() ? address_literal() : domain() + fws() + address_literal();
    }
    std::string mailbox()
    {
        return (coin() ? dot_atom_text() : quoted_string()) + "@"
             + (coin() ? domain() : address_literal());
    }
    std::string path()
    {
        return "<" + maybe([&] { return "@" + domain() + ":"; }) + mailbox() + ">";
    }
    // msg-id is RFC 5322's, ASCII with or without SMTPUTF8.
    std::string msg_id()
    {
        const bool utf8 = std::exchange(utf8_, false);
        std::string out = maybe([&] { return cfws(); }) + "<" + dot_atom_text() + "@"
             + (coin() ? dot_atom_text() : "[" + repeat(0, 3, [&] { return one_of("ab.:"); }) + "]")
             + ">" + maybe([&] { return cfws(); });
        utf8_ = utf8;
        return out;
    }
    std::string date_time()
    {
        std::string out = maybe([&] {
            return maybe([&] { return fws(); }) + ci(pick_of({"Mon", "Fri", "Sun"})) + ",";
        });
        out += maybe([&] { return fws(); }) + std::to_string(1 + below(31)) + fws();
        out += ci(pick_of({"Jan", "Dec"})) + fws() + std::to_string(1000 + below(99000)) + fws();
        out += "12:34" + maybe([&] { return std::string(":56"); }) + fws() + one_of("+-") + "0800";
        return out + maybe([&] { return cfws(); });
    }
};

std::string shown(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        out += c == '\r' ? std::string("\\r") : c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return out;
}

// The other direction from the regular expression below: strings derived
// from the ABNF itself, with every fold, comment and clause the rules allow
// side by side, all parse. The PEG-shaped corpus generator cannot find what
// PEG refuses; this can.
/**
 * Checks 3000 derivations of each of Time-stamp-line, Opt-info, ID and
 * Extended-Domain against the given rules (of rules or rules::smtputf8).
 * @return how many of the lines hold an octet over 127.
 */
template <typename Line, typename Info, typename Id, typename Domain>
std::size_t check_derived(abnf_deriver abnf)
{
    std::size_t with_utf8 = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string line = abnf.time_stamp_line();
        with_utf8 += std::ranges::any_of(line, [](char c) { return (c & 0x80) != 0; }) ? 1 : 0;
        EXPECT_TRUE(accepts<Line>(line)) << shown(line);
        const std::string info = abnf.opt_info();
        EXPECT_TRUE(accepts<Info>(info)) << shown(info);
        const std::string id = abnf.id();
        EXPECT_TRUE(accepts<Id>(id)) << shown(id);
        const std::string domain = abnf.extended_domain();
        EXPECT_TRUE(accepts<Domain>(domain)) << shown(domain);
        if (::testing::Test::HasFailure()) {
            break;
        }
    }
    return with_utf8;
}

TEST(grammar_rules_trace, strings_derived_from_the_abnf_parse_4_4)
{
    EXPECT_EQ((check_derived<r::Time_stamp_line, r::Opt_info, r::ID, r::Extended_Domain>(
                  abnf_deriver(4404, false))),
              0U);
}

// spec: 4.4 R-4.4-3 test (the structure of a Received: line)
TEST(grammar_rules_trace, Time_stamp_line_4_4)
{
    check_rows<r::Time_stamp_line>({
        {"Received: from a.example by b.example; Fri, 4 Dec 2026 15:00:00 +0000\r\n", 71},
        {"Received: from a.example ([192.0.2.1]) by b.example (c.example [192.0.2.2])"
         " with ESMTP id 1\r\n\tfor <x@b.example>; Fri, 4 Dec 2026 15:00:00 +0000\r\n", 145},
        {"Received: from a (comment) by b; 4 Dec 2026 15:00:00 +0000 (UTC)\r\n", 66},
        {"Received: from a ([1.2.3.4])by b; 4 Dec 2026 15:00:00 +0000\r\n", 61},
        {"Received: from a by b id <m@a> for <x@b>; 4 Dec 2026 15:00:00 +0000\r\n", 69},
        {"Received: by b; 4 Dec 2026 15:00:00 +0000\r\n", no_match},  // FROM is required
        {"Received: from a by b 4 Dec 2026 15:00:00 +0000\r\n", no_match},
        {"Received: from a by b; 4 Dec 26 15:00:00 +0000\r\n", no_match},
    });
}

TEST(grammar_rules_trace, erratum_1683_allows_many_registered_clauses_4_4)
{
    const std::string one = "Received: from a.example.net by mx.example.org AAA x;"
                            " Fri, 4 Dec 2026 15:00:00 +0000\r\n";
    EXPECT_TRUE(accepts<r::Time_stamp_line>(one));
    EXPECT_TRUE(accepts<r::as_printed::Time_stamp_line>(one));
    check_rows<r::Additional_Registered_Clauses>({{" AAA x BBB y", 12}, {" AAA x", 6},
                                                  {" AAA", no_match}});
    check_rows<r::as_printed::Additional_Registered_Clauses>({{" AAA x BBB y", 6}});
}

/// Builds Received: lines from parts, most of them valid, some slightly wrong;
/// with @p utf8, parts with UTF-8 (RFC 6531 3.3) and broken UTF-8 join them.
std::vector<std::string> received_lines(std::size_t count, bool utf8 = false)
{
    const std::vector<std::string> space{" ", "  ", "\r\n ", " \r\n\t", "", "(c)", " (c) ",
                                         " (a\\)b) ", "\r\n \r\n ", " \r\n \r\n "};
    // Runs of folds (one FWS, two FWS, three) beside comments, where PEG and
    // ABNF split white space differently; taken one time in six.
    const std::vector<std::string> folds{"\r\n\t \r\n \r\n ", "\r\n \r\n \r\n ",
                                         "(c)\r\n\t \r\n \r\n ", "\r\n\t \r\n \r\n (c)",
                                         " (c)\r\n \r\n (d) ", "\r\n\t"};
    std::vector<std::string> host{"a.example", "a.example ([192.0.2.1])",
                                        "a ([192.0.2.1])", "a (b.example [192.0.2.1])",
                                        "[192.0.2.1] ([192.0.2.1])", "[192.0.2.1]", "a-",
                                        "a (b.example)", "a ([1.2.3.4])"};
    std::vector<std::string> clause{"",          "VIA TCP",    "with ESMTP",
                                          "WITH ESMTPS", "id 17",    "ID <m@a.example>",
                                          "id <m@[x]>", "for <x@b>", "FOR x@b",
                                          "AAA x",     "AAA \"q y\"", "for <>", "id",
                                          "ID (c) <m@a>", "ID\r\n\t \r\n \r\n <m@a>",
                                          "ID <m@a>\r\n\t", "ID (c)\r\n \r\n <m@a>"};
    const std::vector<std::string> date{"Fri, 4 Dec 2026 15:00:00 +0000",
                                        "4 Dec 2026 15:00 -0800 (PST)", "4 Dec 26 15:00 +0000",
                                        "Fri, 4 Dec 2026 15:00:00 +0000 ",
                                        "Fri,4 Dec 2026 15:00 +0000",
                                        "\r\n\t \r\n 4 Dec 2026 15:00:00 +0000 \r\n (x)"};
    if (utf8) {
        host.insert(host.end(), {"b\xc3\xbc" "cher.example", "\xe4\xbe\x8b.example ([192.0.2.1])",
                                 "a (\xc3\xa9 [192.0.2.1])", "a-\xc3\xa9-b", "\xc3\xa9-",
                                 "b\xc3" "cher.example", "x\xed\xa0\x80"});
        clause.insert(clause.end(),
                      {"for <j\xc3\xb6rg@b\xc3\xbc" "cher.example>", "FOR \xe7\x94\xa8@x",
                       "for <\"\xc3\xa9 x\"@[192.0.2.1]>", "with UTF8SMTPS", "id j\xc3\xb6rg",
                       "VIA \xc3\xa9", "X\xc3\xa9 \"\xe2\x82\xac\"", "id <\xc3\xa9@a>",
                       "for <a@\xc3\xa9\xff>", "(\xc3\xa9)"});
    }
    std::mt19937 random(4404);
    const auto pick = [&](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
    };
    const auto white = [&] {
        return std::uniform_int_distribution<int>(0, 5)(random) == 0 ? pick(folds) : pick(space);
    };
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string line = "Received:" + white() + "from" + white() + pick(host) + white() + "by"
                         + white() + pick(host);
        for (int n = std::uniform_int_distribution<int>(0, 3)(random); n > 0; --n) {
            line += white() + pick(clause);
        }
        line += white() + ";" + white() + pick(date) + "\r\n";
        out.push_back(line);
    }
    return out;
}

TEST(grammar_rules_trace, Time_stamp_line_language_equals_abnf_4_4)
{
    EXPECT_GT(expect_same_language<r::Time_stamp_line>(abnf::Time_stamp_line,
                                                       received_lines(12000)),
              80U);
}

// RFC 6531 3.7.3: with SMTPUTF8, a Received field may name UTF-8 mailboxes
// and U-labels; 3.3's atext reaches every Atom of 4.4. msg-id, comments and
// date-time stay ASCII.
// spec: rfc6531/3.7.3 test
TEST(grammar_rules_trace, smtputf8_clauses_rfc6531_3_7_3)
{
    check_rows<u::Return_path_line>({{"Return-Path: <j\xc3\xb6rg@example.org>\r\n", 34},
                                     {"Return-Path: <>\r\n", 17}});
    check_rows<r::Return_path_line>({{"Return-Path: <j\xc3\xb6rg@example.org>\r\n", no_match}});
    check_rows<u::Extended_Domain>({
        {"b\xc3\xbc" "cher.example", 15},
        {"b\xc3\xbc" "cher.example ([192.0.2.1])", 29},
        {"a (\xc3\xa9 [192.0.2.1])", 18},
        {"[192.0.2.1]", no_match},
    });
    check_rows<u::From_domain>({{"FROM \xc3\xa9", 7}, {"FROM \xff", no_match}});
    check_rows<u::By_domain>({{" by \xc3\xa9.example", 14}});
    check_rows<u::Link>({{"TCP", 3}, {"TCP\xc3\xa9", 5}, {"\xc3\xa9", 2}});
    check_rows<u::Protocol>({{"UTF8SMTP", 8}, {"UTF8SMTPSA", 10}, {"ESMTP\xc3\xa9", 7},
                             {"ESMTP", 5}});
    check_rows<u::Via>({{" via \xc3\xa9", 7}});
    check_rows<u::With>({{" with UTF8SMTPS", 15}});
    check_rows<u::ID>({{" id j\xc3\xb6rg", 9}, {" id <a@b>", 9}, {" id <\xc3\xa9@b>", no_match}});
    check_rows<u::For>({{" for <\xe7\x94\xa8\xe6\x88\xb7@b\xc3\xbc" "cher.example>", 29},
                        {" FOR j\xc3\xb6rg@example.org", 22}, {" for <\xc3@x>", no_match}});
    check_rows<u::Additional_Registered_Clauses>({{" X\xc3\xa9 \"\xe2\x82\xac\" Y z", 14}});
    check_rows<u::Opt_info>({{" with UTF8SMTP id 1 for <j\xc3\xb6rg@x>", 33}});
    check_rows<u::Addtl_Link>({{"\xc3\xa9", 2}});
    check_rows<u::Attdl_Protocol>({{"UTF8LMTP", 8}});
    check_rows<u::TCP_info>({{"\xc3\xa9 [192.0.2.1]", 14}});
    EXPECT_TRUE(accepts<u::Stamp>("from \xc3\xa9 by b; 4 Dec 2026 15:00:00 +0000"));
}

// The reference server's own Received field of a transaction with SMTPUTF8
// (reference/message_store.cpp), as tests/reference checks it too: RFC 5321's
// rule refuses it at the first UTF-8 octet, RFC 6531's takes it.
// spec: rfc6531/3.7.3 test
TEST(grammar_rules_trace, smtputf8_Time_stamp_line_rfc6531_3_7_3)
{
    const std::string line = "Received: from client.example ([127.0.0.1])\r\n"
                             "\tby mx.example.org (smtpspec) with UTF8SMTP id id1\r\n"
                             "\tfor <\xe7\x94\xa8\xe6\x88\xb7@b\xc3\xbc" "cher.example>;\r\n"
                             "\tThu, 1 Jan 1970 00:00:00 +0000\r\n";
    EXPECT_TRUE(accepts<u::Time_stamp_line>(line));
    EXPECT_FALSE(accepts<r::Time_stamp_line>(line));
    EXPECT_EQ(match_prefix<r::Time_stamp_line>(line), std::nullopt);
    // Every ASCII line means the same to both.
    for (const std::string& ascii : received_lines(2000)) {
        ASSERT_EQ(accepts<u::Time_stamp_line>(ascii), accepts<r::Time_stamp_line>(ascii))
            << shown(ascii);
    }
}

TEST(grammar_rules_trace, smtputf8_strings_derived_from_the_abnf_parse_rfc6531_3_7_3)
{
    EXPECT_GT((check_derived<u::Time_stamp_line, u::Opt_info, u::ID, u::Extended_Domain>(
                  abnf_deriver(6531, true))),
              2000U);
}

TEST(grammar_rules_trace, smtputf8_Time_stamp_line_language_equals_abnf_rfc6531_3_7_3)
{
    const std::vector<std::string> lines = received_lines(12000, true);
    const std::size_t rfc6531 =
        expect_same_language<u::Time_stamp_line>(abnf::smtputf8::Time_stamp_line, lines);
    const std::size_t rfc5321 = expect_same_language<r::Time_stamp_line>(abnf::Time_stamp_line,
                                                                         lines);
    // Of the lines 6531's rule takes, some (those with UTF-8) 5321's does not.
    EXPECT_GT(rfc6531, 40U);
    EXPECT_GT(rfc5321, 10U);
    EXPECT_GT(rfc6531, rfc5321 + 20);
}

}  // namespace
}  // namespace smtpspec::grammar::test
