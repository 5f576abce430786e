// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/literal.hpp: address literals of 4.1.3.

#include "grammar/rules/literal.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

TEST(grammar_rules_literal, Snum_and_IPv4_address_literal_4_1_3)
{
    check_rows<r::Snum>({{"0", 1}, {"255", 3}, {"1234", 3}, {"x", no_match}});
    check_rows<r::IPv4_address_literal>({
        {"192.0.2.1", 9},
        {"999.0.0.0", 9},  // the 0..255 range is an ABNF comment, checked by the parsers
        {"1.2.3", no_match},
        {"1.2.3.", no_match},
        {"1..2.3", no_match},
        {"1.2.3.4.5", 7},
    });
}

TEST(grammar_rules_literal, IPv6_hex_full_comp_4_1_3)
{
    check_rows<r::IPv6_hex>({{"0", 1}, {"ffff", 4}, {"FfFf1", 4}, {"g", no_match}});
    check_rows<r::IPv6_full>({{"1:2:3:4:5:6:7:8", 15},
                              {"2001:db8:0:0:0:0:0:1", 20},
                              {"1:2:3:4:5:6:7", no_match}});
    check_rows<r::IPv6_comp>({
        {"::", 2},
        {"::1", 3},
        {"1::", 3},
        {"2001:db8::1", 11},
        {"1:2:3:4:5:6::1:2:3:4:5:6", 24},  // the ABNF allows 6 + 6; the comment says 6
        {"1:2:3:4:5:6:7::", no_match},
        {":1", no_match},
    });
}

TEST(grammar_rules_literal, IPv6v4_forms_4_1_3)
{
    check_rows<r::IPv6v4_full>({{"1:2:3:4:5:6:1.2.3.4", 19}, {"1:2:3:4:5:1.2.3.4", no_match}});
    check_rows<r::IPv6v4_comp>({
        {"::1.2.3.4", 9},
        {"::ffff:192.0.2.1", 16},  // a greedy "*3(":" IPv6-hex)" would take "ffff:192"
        {"1:2::3:4:5:6:1.2.3.4", 20},
        {"1:2:3:4::5:1.2.3.4", 18},
        {"1:2:3:4:5::1.2.3.4", no_match},
        {"::1:2:3:4:5:1.2.3.4", no_match},
        {"::ffff", no_match},
    });
}

TEST(grammar_rules_literal, IPv6_addr_chooses_the_whole_form_4_1_3)
{
    check_rows<r::IPv6_addr>({
        {"::1.2.3.4", 9},          // not only the "::1" of IPv6-comp
        {"::ffff:1.2.3.4", 14},
        {"1:2:3:4:5:6:1.2.3.4", 19},
        {"1:2:3:4:5:6:7:8", 15},
        {"fe80::1", 7},
    });
    const std::vector<std::string> tokens{"1", "ff", "abcd", ":", "::", "1.2.3.4", ".", "12345",
                                          "g"};
    const std::size_t n = expect_same_language<r::IPv6_addr>(abnf::IPv6_addr,
                                                             token_strings(tokens, 10, 60000));
    EXPECT_GT(n, 500U);
}

TEST(grammar_rules_literal, IPv6_address_literal_4_1_3)
{
    check_rows<r::IPv6_address_literal>({{"IPv6:::1", 8}, {"ipv6:2001:db8::1", 16},
                                         {"IPv6:1.2.3.4", no_match}, {"IPv4:::1", no_match}});
}

TEST(grammar_rules_literal, General_address_literal_4_1_3)
{
    check_rows<r::Standardized_tag>({{"x-tag", 5}, {"tag-", 3}});
    check_rows<r::dcontent>({{"!", 1}, {"Z", 1}, {"^", 1}, {"~", 1}, {"[", no_match},
                             {"\\", no_match}, {"]", no_match}, {" ", no_match}});
    check_rows<r::General_address_literal>({{"x-tag:a@b", 9}, {"x:", no_match},
                                            {":a", no_match}, {"x-:a", no_match}});
}

TEST(grammar_rules_literal, address_literal_4_1_3)
{
    check_rows<r::address_literal>({
        {"[192.0.2.1]", 11},
        {"[IPv6:2001:db8::1]", 18},
        {"[ipv6:::1]", 10},       // ABNF strings are case-insensitive (RFC 5234 2.3)
        {"[IPv6:::1x]", 11},      // a General-address-literal with the tag "IPv6"
        {"[IPv6:::1.2.3.4]", 16},
        {"[x-tag:anything]", 16},
        {"[1.2.3.4", no_match},
        {"[]", no_match},
        {"[1.2.3]", no_match},
        {"192.0.2.1", no_match},
    });
    const std::vector<std::string> tokens{"[", "]", "1", "255", ".", "IPv6:", "ipv6:", ":",
                                          "::", "ffff", "x-y", "-", "1.2.3.4", "\\",
                                          "[1.2.3.4", "[IPv6:", "::1]", "[x-y:", "z]", "1]"};
    const std::size_t n = expect_same_language<r::address_literal>(
        abnf::address_literal, token_strings(tokens, 6, 60000));
    EXPECT_GT(n, 200U);
}

}  // namespace
}  // namespace smtpspec::grammar::test
