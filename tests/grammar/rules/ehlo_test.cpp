// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/ehlo.hpp: the positive EHLO reply of 4.1.1.1.

#include "grammar/rules/ehlo.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

TEST(grammar_rules_ehlo, keyword_param_line_4_1_1_1)
{
    check_rows<r::ehlo_keyword>({{"SIZE", 4}, {"8BITMIME", 8}, {"X-ONE", 5}, {"-X", no_match}});
    check_rows<r::ehlo_param>({{"10240000", 8}, {"PLAIN LOGIN", 5}, {" ", no_match},
                               {"\x7f", no_match}});
    check_rows<r::ehlo_line>({{"AUTH PLAIN LOGIN", 16}, {"SIZE", 4}, {"SIZE ", 4},
                              {"SIZE  1", 4}});
    check_rows<r::ehlo_greet>({{"hello there\t!", 13}, {"a\rb", 1}, {"a\nb", 1},
                               {std::string_view("\0x", 2), 2}, {"", no_match}});
}

TEST(grammar_rules_ehlo, ehlo_ok_rsp_4_1_1_1)
{
    check_rows<r::ehlo_ok_rsp>({
        {"250 mx.example.org\r\n", 20},
        {"250 mx.example.org greets you\r\n", 31},
        {"250-mx.example.org hi\r\n250-PIPELINING\r\n250 SIZE 1000\r\n", 54},
        {"250-mx\r\n250 8BITMIME\r\n", 22},
        {"250-mx\r\n", no_match},
        {"250-mx\r\n250-SIZE\r\n", no_match},
        {"250 [192.0.2.1]\r\n", no_match},  // the server names itself with a Domain
        {"250-mx\r\n250 \r\n", no_match},
        {"250-mx\r\n251 SIZE\r\n", no_match},
    });
    const std::string keyword = "[A-Za-z0-9][A-Za-z0-9-]*";
    const std::string line = keyword + "(?: [!-~]+)*";
    const std::string greet = "[\\x00-\\x09\\x0b\\x0c\\x0e-\\x7f]+";
    const std::string abnf_rsp = "(?:250 " + abnf::Domain + "(?: " + greet + ")?\r\n|250-"
                                 + abnf::Domain + "(?: " + greet + ")?\r\n(?:250-" + line
                                 + "\r\n)*250 " + line + "\r\n)";
    const std::vector<std::string> tokens{"250", "250-", " ", "mx", "SIZE", "\r\n", "1 2", "-",
                                          "250-mx\r\n", "250 X\r\n", "250-A B\r\n"};
    EXPECT_GT(expect_same_language<r::ehlo_ok_rsp>(abnf_rsp, token_strings(tokens, 6, 40000)),
              50U);
}

}  // namespace
}  // namespace smtpspec::grammar::test
