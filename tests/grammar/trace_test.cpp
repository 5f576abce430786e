// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/trace.hpp: checking Received: and Return-Path: lines.

#include "grammar/trace.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::grammar
{
namespace
{

// spec: 4.4 R-4.4-3 test (Received: line structure)
TEST(grammar_trace, received_line_4_4)
{
    const std::string good = "Received: from a.example ([192.0.2.1]) by mx.example.org with ESMTP"
                             " id 17; Fri, 4 Dec 2026 15:00:00 +0000\r\n";
    EXPECT_FALSE(check_received_line(good).has_value());

    // Two-digit years are obs- syntax, which 4.4 forbids (R-4.4-29).
    const std::string old_year = "Received: from a by b; 4 Dec 26 15:00:00 +0000\r\n";
    const auto e = check_received_line(old_year);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->rule, "year");
    EXPECT_EQ(e->offset, 31U);  // the octet after "26", where a third digit must be
    EXPECT_EQ(e->reply_code, 0);

    const auto no_from = check_received_line("Received: by b; 4 Dec 2026 15:00 +0000\r\n");
    ASSERT_TRUE(no_from.has_value());
    EXPECT_EQ(no_from->rule, "Stamp");
    EXPECT_EQ(no_from->offset, 10U);
}

TEST(grammar_trace, B41_reading_selects_the_erratum_or_the_printed_rule)
{
    const std::string line = "Received: from a.example.net by mx.example.org via TCP with ESMTP"
                             " id 17 for <b@example.org> AAA x BBB y;"
                             " Fri, 4 Dec 2026 15:00:00 +0000\r\n";
    EXPECT_FALSE(check_received_line(line).has_value());
    EXPECT_TRUE(check_received_line(line, trace_reading::as_printed).has_value());
}

TEST(grammar_trace, return_path_line_4_4)
{
    EXPECT_FALSE(check_return_path_line("Return-Path: <a@example.org>\r\n").has_value());
    EXPECT_FALSE(check_return_path_line("Return-Path: <>\r\n").has_value());
    const auto e = check_return_path_line("Return-Path: a@example.org\r\n");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->rule, "Reverse-path");
    EXPECT_EQ(e->offset, 13U);
}

}  // namespace
}  // namespace smtpspec::grammar
