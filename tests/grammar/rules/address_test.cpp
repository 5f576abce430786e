// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/address.hpp: the argument syntax of 4.1.2.

#include "grammar/rules/address.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

TEST(grammar_rules_address, atext_is_the_rfc5322_set)
{
    for (int c = 0; c < 256; ++c) {
        const std::string s(1, static_cast<char>(c));
        const bool letter_or_digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                                  || (c >= '0' && c <= '9');
        const bool special = std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c))
                                 != std::string_view::npos
                          && c != 0;
        EXPECT_EQ(accepts<r::atext>(s), letter_or_digit || special) << "octet " << c;
    }
}

TEST(grammar_rules_address, Let_dig)
{
    check_rows<r::Let_dig>({{"a", 1}, {"Z", 1}, {"7", 1}, {"-", no_match}, {"_", no_match},
                            {"", no_match}});
}

// spec: 4.1.2 R-4.1.2-11 test (labels hold only letters, digits and hyphens)
TEST(grammar_rules_address, Ldh_str_keeps_its_last_letter_4_1_2)
{
    check_rows<r::Ldh_str>({
        {"a", 1},
        {"a-b", 3},
        {"--a", 3},
        {"ab-", 2},    // a trailing hyphen is not part of it
        {"a--b-", 4},
        {"-", no_match},
        {"", no_match},
        {"a_b", 1},
        {"a.b", 1},
    });
}

TEST(grammar_rules_address, Ldh_str_language_equals_abnf)
{
    const std::size_t n = expect_same_language<r::Ldh_str>(abnf::Ldh_str, all_strings("a7-.", 6));
    EXPECT_GT(n, 100U);
}

TEST(grammar_rules_address, sub_domain_language_equals_abnf)
{
    const std::size_t n =
        expect_same_language<r::sub_domain>(abnf::sub_domain, all_strings("a7-_", 6));
    EXPECT_GT(n, 100U);
}

// spec: 4.1.2 R-4.1.2-11 test (no underscore or other octets in a domain label)
TEST(grammar_rules_address, Domain_4_1_2)
{
    check_rows<r::Domain>({
        {"example.org", 11},
        {"a", 1},
        {"x-1.example", 11},
        {"1.2.3.4", 7},
        {"a.", 1},            // the dot is given back
        {"a..b", 1},
        {"a-.b", 1},          // "a-" is not a sub-domain, only "a" is
        {"exa_mple.org", 3},  // underscore is not allowed in a label
        {"-a", no_match},
        {".a", no_match},
        {"[1.2.3.4]", no_match},
    });
    const std::size_t n = expect_same_language<r::Domain>(abnf::Domain, all_strings("a-._", 7));
    EXPECT_GT(n, 100U);
}

TEST(grammar_rules_address, At_domain_and_A_d_l)
{
    check_rows<r::At_domain>({{"@a.b", 4}, {"@", no_match}, {"a", no_match}});
    check_rows<r::A_d_l>({{"@a,@b.c", 7}, {"@a,", 2}, {"@a,b", 2}, {",@a", no_match}});
}

TEST(grammar_rules_address, Atom_and_Dot_string)
{
    check_rows<r::Atom>({{"abc", 3}, {"a.b", 1}, {"!#$", 3}, {"\"", no_match}, {"", no_match}});
    check_rows<r::Dot_string>({
        {"a.b.c", 5},
        {"a.", 1},
        {"a..b", 1},
        {".a", no_match},
        {"first.last+tag", 14},
        {";sleep", no_match},
    });
    const std::size_t n =
        expect_same_language<r::Dot_string>(abnf::Dot_string, all_strings("a.\";", 7));
    EXPECT_GT(n, 30U);
}

TEST(grammar_rules_address, quoted_string_parts)
{
    check_rows<r::qtextSMTP>({{" ", 1}, {"!", 1}, {"#", 1}, {"[", 1}, {"]", 1}, {"~", 1},
                              {"\"", no_match}, {"\\", no_match}, {"\t", no_match},
                              {"\x7f", no_match}});
    check_rows<r::quoted_pairSMTP>({{"\\\"", 2}, {"\\\\", 2}, {"\\ ", 2}, {"\\\t", no_match},
                                    {"\\", no_match}});
    check_rows<r::QcontentSMTP>({{"a", 1}, {"\\a", 2}, {"\"", no_match}});
}

TEST(grammar_rules_address, Quoted_string_4_1_2)
{
    check_rows<r::Quoted_string>({
        {"\"\"", 2},
        {"\" \"", 3},
        {"\"Alex Example\"", 14},
        {"\"a\\\"b\"", 6},
        {"\"@\"", 3},
        {"\"a\\\"", no_match},  // the closing quote is escaped
        {"\"a", no_match},
        {"\"a\tb\"", no_match},  // HTAB is neither qtextSMTP nor after a backslash
        {"a\"", no_match},
    });
    const std::size_t n = expect_same_language<r::Quoted_string>(
        abnf::Quoted_string, all_strings(std::string_view("\"\\a \x7f", 5), 6));
    EXPECT_GT(n, 50U);
}

// spec: 4.1.2 R-4.1.2-10 test (no control or 8-bit octets in a mailbox)
TEST(grammar_rules_address, Local_part_4_1_2)
{
    check_rows<r::Local_part>({
        {"user", 4},
        {"\"odd user\"", 10},
        {"just\"not\"right", 4},
        {"a\x01", 1},
        {"\xc3\xa9", no_match},
        {"", no_match},
    });
}

TEST(grammar_rules_address, Mailbox_4_1_2)
{
    check_rows<r::Mailbox>({
        {"user@example.org", 16},
        {"\"a b\"@example.org", 17},
        {"\"@\"@example.org", 15},
        {"test@[192.0.2.123]", 18},
        {"a@[IPv6:2001:db8::1]", 20},
        {"a@[x-tag:stuff]", 15},
        {"a@b.", 3},
        {"a", no_match},
        {"a@", no_match},
        {"@b", no_match},
        {"a@_b", no_match},
    });
    const std::vector<std::string> tokens{"a", "@", ".", "\"", " ", "[", "]", "1.2.3.4",
                                          "IPv6:", "::1", "x:", "-", "\\", "a@", "b.c",
                                          "\"x y\"@", "@[", "@b", "1.2.3.4]", "x-y:z]"};
    const std::size_t n =
        expect_same_language<r::Mailbox>(abnf::Mailbox, token_strings(tokens, 6, 60000));
    EXPECT_GT(n, 300U);
}

// spec: 4.1.2 R-4.1.2-1 test (a source route must be accepted)
TEST(grammar_rules_address, Path_with_and_without_source_route_4_1_2)
{
    check_rows<r::Path>({
        {"<a@b>", 5},
        {"<@x.org:a@b>", 12},
        {"<@x,@y.z:a@b>", 13},
        {"<@x:>", no_match},
        {"<@x a@b>", no_match},
        {"<a@b", no_match},
        {"<>", no_match},
        {"a@b", no_match},
        {"<a@b>>", 5},
    });
    check_rows<r::Forward_path>({{"<a@b>", 5}, {"<>", no_match}});
}

// spec: 3.6.3 R-3.6.3-4 test (the null reverse-path exists)
TEST(grammar_rules_address, Reverse_path_null_and_path_4_1_2)
{
    check_rows<r::Reverse_path>({
        {"<>", 2},
        {"<a@b>", 5},
        {"<>>", 2},
        {"< >", no_match},
        {"<", no_match},
    });
    const std::size_t n = expect_same_language<r::Reverse_path>(abnf::Reverse_path,
                                                                all_strings("<>@a:,", 6));
    EXPECT_GT(n, 3U);
    const std::vector<std::string> tokens{"<", ">", "@", "a", ":", ",", ".", "\"", "[1.2.3.4]",
                                          "<>", "<@a:", "b.c", "<a@b", "a@b>", "<@a,@b:",
                                          "\"a b\"", "@a"};
    EXPECT_GT(expect_same_language<r::Reverse_path>(abnf::Reverse_path,
                                                    token_strings(tokens, 8, 40000)),
              100U);
}

TEST(grammar_rules_address, esmtp_param_4_1_2)
{
    check_rows<r::esmtp_keyword>({{"SIZE", 4}, {"X-A1", 4}, {"1x", 2}, {"-x", no_match}});
    check_rows<r::esmtp_value>({{"a", 1}, {"a=b", 1}, {"a b", 1}, {"<>", 2}, {"=", no_match},
                                {" ", no_match}, {"\x7f", no_match}});
    check_rows<r::esmtp_param>({
        {"SIZE=1000", 9},
        {"SMTPUTF8", 8},
        {"XTEST=a=b", 7},
        {"BODY=", 4},
        {"=x", no_match},
    });
}

TEST(grammar_rules_address, Mail_and_Rcpt_parameters_4_1_2)
{
    check_rows<r::Mail_parameters>({
        {"SIZE=1 BODY=8BITMIME", 20},
        {"A B", 3},
        {"A  B", 1},
        {"A ", 1},
    });
    check_rows<r::Rcpt_parameters>({{"NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b", 39}});
    const std::size_t n = expect_same_language<r::Mail_parameters>(abnf::Mail_parameters,
                                                                   all_strings("a=- <", 6));
    EXPECT_GT(n, 100U);
}

TEST(grammar_rules_address, Keyword_Argument_String_4_1_2)
{
    check_rows<r::Keyword>({{"X-KEY", 5}, {"X-", 1}, {"-", no_match}});
    check_rows<r::Argument>({{"a+b", 3}, {"\"a\"", no_match}});
    check_rows<r::String>({{"postmaster", 10}, {"\"John Smith\"", 12}, {"a b", 1},
                           {" ", no_match}});
    const std::size_t n =
        expect_same_language<r::String>(abnf::String, all_strings("a\" \\", 6));
    EXPECT_GT(n, 50U);
}

}  // namespace
}  // namespace smtpspec::grammar::test
