// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/reply.hpp: greetings and replies of 4.2.

#include "grammar/rules/reply.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

// spec: 4.2 R-4.2-12 test (first digit 2..5 only)
TEST(grammar_rules_reply, Reply_code_4_2)
{
    check_rows<r::Reply_code>({{"250", 3}, {"554", 3}, {"200", 3}, {"199", no_match},
                               {"600", no_match}, {"260", no_match}, {"299", no_match},
                               {"25", no_match}});
}

TEST(grammar_rules_reply, textstring_4_2)
{
    check_rows<r::textstring>({{"OK", 2}, {"a\tb c", 5}, {"\r", no_match}, {"", no_match},
                               {"\x7f", no_match}, {"a\x01", 1}});
}

// spec: 4.2 R-4.2-7 test (a reply with no text is valid syntax)
TEST(grammar_rules_reply, Reply_line_4_2)
{
    check_rows<r::Reply_line>({
        {"250 OK\r\n", 8},
        {"250\r\n", 5},
        {"250-a\r\n250-\r\n250 b\r\n", 20},
        {"250-a\r\n250 b\r\n250 c\r\n", 14},
        {"250 \r\n", no_match},
        {"250-a\r\n", no_match},
        {"250OK\r\n", no_match},
    });
    const std::vector<std::string> tokens{"250", "5", "-", " ", "x", "\r\n", "\t", "299", "\n"};
    EXPECT_GT(expect_same_language<r::Reply_line>(abnf::Reply_line,
                                                  token_strings(tokens, 8, 40000)),
              50U);
}

TEST(grammar_rules_reply, Greeting_4_2)
{
    check_rows<r::Greeting>({
        {"220 mx.example.org ESMTP ready\r\n", 32},
        {"220 mx.example.org\r\n", 20},
        {"220 [192.0.2.1]\r\n", 17},
        {"220-mx.example.org ESMTP\r\n220-no bulk mail\r\n220\r\n", 49},
        {"220-mx.example.org\r\n220-\r\n220 ok\r\n", 34},
        {"220\r\n", no_match},  // the first line must name the server
        {"220 \r\n", no_match},
        {"221 mx\r\n", no_match},
        {"220-mx\r\n521 no\r\n", no_match},
    });
    const std::vector<std::string> tokens{"220", " ", "-", "mx.example", "[1.2.3.4]", "\r\n",
                                          "x", "221", "220 mx\r\n", "220-mx\r\n", "220-x\r\n",
                                          "220\r\n", "220 ok\r\n"};
    EXPECT_GT(expect_same_language<r::Greeting>(abnf::Greeting, token_strings(tokens, 6, 40000)),
              50U);
}

}  // namespace
}  // namespace smtpspec::grammar::test
