// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/trace.hpp: Return-Path: and Received: of 4.4.

#include "grammar/rules/trace.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

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

/// Builds Received: lines from parts, most of them valid, some slightly wrong.
std::vector<std::string> received_lines(std::size_t count)
{
    const std::vector<std::string> space{" ", "  ", "\r\n ", " \r\n\t", "", "(c)", " (c) ",
                                         " (a\\)b) ", "\r\n \r\n ", " \r\n \r\n "};
    const std::vector<std::string> host{"a.example", "a.example ([192.0.2.1])",
                                        "a ([192.0.2.1])", "a (b.example [192.0.2.1])",
                                        "[192.0.2.1] ([192.0.2.1])", "[192.0.2.1]", "a-",
                                        "a (b.example)", "a ([1.2.3.4])"};
    const std::vector<std::string> clause{"",          "VIA TCP",    "with ESMTP",
                                          "WITH ESMTPS", "id 17",    "ID <m@a.example>",
                                          "id <m@[x]>", "for <x@b>", "FOR x@b",
                                          "AAA x",     "AAA \"q y\"", "for <>", "id"};
    const std::vector<std::string> date{"Fri, 4 Dec 2026 15:00:00 +0000",
                                        "4 Dec 2026 15:00 -0800 (PST)", "4 Dec 26 15:00 +0000",
                                        "Fri, 4 Dec 2026 15:00:00 +0000 ",
                                        "Fri,4 Dec 2026 15:00 +0000"};
    std::mt19937 random(4404);
    const auto pick = [&](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
    };
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string line = "Received:" + pick(space) + "from" + pick(space) + pick(host)
                         + pick(space) + "by" + pick(space) + pick(host);
        for (int n = std::uniform_int_distribution<int>(0, 3)(random); n > 0; --n) {
            line += pick(space) + pick(clause);
        }
        line += pick(space) + ";" + pick(space) + pick(date) + "\r\n";
        out.push_back(line);
    }
    return out;
}

TEST(grammar_rules_trace, Time_stamp_line_language_equals_abnf_4_4)
{
    EXPECT_GT(expect_same_language<r::Time_stamp_line>(abnf::Time_stamp_line,
                                                       received_lines(6000)),
              80U);
}

}  // namespace
}  // namespace smtpspec::grammar::test
