// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of the extension grammars in grammar/rules/extensions/ (one suite per
// header; they share this file to keep PEGTL's compile time down).

#include "grammar/rules/extensions/auth.hpp"
#include "grammar/rules/extensions/body.hpp"
#include "grammar/rules/extensions/chunking.hpp"
#include "grammar/rules/extensions/dsn.hpp"
#include "grammar/rules/extensions/enhanced_status.hpp"
#include "grammar/rules/extensions/mt_priority.hpp"
#include "grammar/rules/extensions/size.hpp"
#include "grammar/rules/extensions/smtputf8.hpp"
#include "grammar/rules/extensions/starttls.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

TEST(grammar_rules_size, size_rfc1870_4)
{
    check_rows<r::size::size_value>({{"0", 1}, {"12345678901234567890", 20},
                                     {"123456789012345678901", 20}, {"", no_match},
                                     {"x", no_match}});
    check_rows<r::size::size_param>({{"", 0}, {"1000", 4}});
    check_rows<r::size::ehlo_size_line>({{"SIZE", 4}, {"SIZE 10240000", 13}, {"size 0", 6}});
    check_rows<r::size::size_parameter>({{"SIZE=1000", 9}, {"size=1", 6}, {"SIZE=", no_match},
                                         {"SIZE=-1", no_match}});
}

TEST(grammar_rules_body, body_value_rfc6152_2_and_rfc3030_3)
{
    check_rows<r::body::body_value>({{"7BIT", 4}, {"7bit", 4}, {"8BITMIME", 8},
                                     {"8bitMIME", 8}, {"9BIT", no_match},
                                     {"BINARYMIME", no_match}});
    check_rows<r::chunking::body_value>({{"BINARYMIME", 10}, {"binarymime", 10},
                                                {"7BIT", 4}});
    check_rows<r::body::body_parameter>({{"BODY=8BITMIME", 13}, {"BODY=9BIT", no_match}});
}

TEST(grammar_rules_enhancedstatuscodes, status_code_rfc3463_2)
{
    namespace e = r::enhancedstatuscodes;
    check_rows<e::status_code>({
        {"2.0.0", 5},
        {"5.7.1", 5},
        {"4.123.456", 9},
        {"5.1.1234", 7},
        {"3.0.0", no_match},
        {"5.1", no_match},
        {"5..1", no_match},
        {"2.0.", no_match},
    });
    check_rows<e::class_>({{"2", 1}, {"4", 1}, {"5", 1}, {"1", no_match}, {"3", no_match}});
}

TEST(grammar_rules_dsn, xtext_rfc3461_4)
{
    namespace d = r::dsn;
    check_rows<d::xchar>({{"!", 1}, {"~", 1}, {"+", no_match}, {"=", no_match},
                          {" ", no_match}, {"\x7f", no_match}});
    check_rows<d::hexchar>({{"+2B", 3}, {"+0A", 3}, {"+0a", no_match}, {"+2", no_match}});
    check_rows<d::xtext>({{"", 0}, {"rfc822;a@b", 10}, {"a+2Bb", 5}, {"a+2bb", 1},
                          {"a=b", 1}, {"x+0AReceived:+20forged", 22}});
    EXPECT_GT(expect_same_language<d::xtext>("(?:[!-*,-<>-~]|\\+[0-9A-F]{2})*",
                                             all_strings("a+2B=b", 5)),
              100U);
}

TEST(grammar_rules_dsn, parameters_rfc3461_4)
{
    namespace d = r::dsn;
    check_rows<d::notify_esmtp_value>({
        {"NEVER", 5},
        {"SUCCESS,FAILURE", 15},
        {"success,delay,failure", 21},
        {"SUCCESS,", 7},
        {"NEVER,SUCCESS", 5},
        {",SUCCESS", no_match},
        {"SOMETIMES", no_match},
    });
    check_rows<d::orcpt_parameter>({{"ORCPT=rfc822;b@example.org", 26},
                                    {"ORCPT=rfc822;x+0Dy@example.org", 30},
                                    {"ORCPT=rfc822", no_match}, {"ORCPT=;x", no_match}});
    check_rows<d::addr_type>({{"rfc822", 6}, {"x-type", 6}, {"a;b", 1}, {"@", no_match}});
    check_rows<d::ret_value>({{"FULL", 4}, {"hdrs", 4}, {"PART", no_match}});
    check_rows<d::envid_parameter>({{"ENVID=QQ314159", 14}, {"ENVID=", 6},
                                    {"ENVID", no_match}});
}

TEST(grammar_rules_chunking, bdat_cmd_rfc3030_2)
{
    namespace c = r::chunking;
    check_rows<c::bdat_cmd>({
        {"BDAT 1000\r\n", 11},
        {"BDAT 0 LAST\r\n", 13},
        {"bdat 12 last\r\n", 14},
        {"BDAT\r\n", no_match},
        {"BDAT -1\r\n", no_match},
        {"BDAT 1 FIRST\r\n", no_match},
        {"BDAT 1 LAST \r\n", no_match},
    });
}

TEST(grammar_rules_starttls, starttls_rfc3207_4)
{
    check_rows<r::starttls::starttls>({{"STARTTLS\r\n", 10}, {"starttls\r\n", 10},
                                       {"STARTTLS x\r\n", no_match}, {"STARTTLS\n", no_match}});
}

TEST(grammar_rules_auth, base64_rfc4954_8)
{
    namespace a = r::auth;
    check_rows<a::base64>({
        {"AGFsaWNlAHNlY3JldA==", 20},
        {"QUJD", 4},
        {"QUI=", 4},
        {"QQ==", 4},
        {"QUJDRA==", 8},
        {"QUJDREU=", 8},
        {"Q===", no_match},
        {"QUJ", no_match},
        {"QUJDR", 4},
    });
    const std::string b64 = "[A-Za-z0-9+/]";
    const std::string terminal = "(?:" + b64 + "{2}==|" + b64 + "{3}=)";
    EXPECT_GT(expect_same_language<a::base64>(
                  "(?:" + terminal + "|(?:" + b64 + "{4})+" + terminal + "?)",
                  all_strings("Q+=", 8)),
              50U);
}

TEST(grammar_rules_auth, command_and_parameter_rfc4954_8)
{
    namespace a = r::auth;
    check_rows<a::sasl_mech>({{"PLAIN", 5}, {"SCRAM-SHA-256", 13}, {"X_Y", 3},
                              {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20}, {"", no_match}});
    check_rows<a::auth_command_line>({
        {"AUTH PLAIN\r\n", 12},
        {"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", 33},
        {"AUTH PLAIN =\r\n", 14},
        {"AUTH\r\n", no_match},
        {"AUTH PLAIN ===\r\n", no_match},
    });
    check_rows<a::auth_command>({
        {"AUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\n", 32},
        {"AUTH LOGIN\r\n*\r\n", 15},
        {"AUTH PLAIN\r\n\r\n", 14},
        {"AUTH PLAIN\r\n", 12},
    });
    check_rows<a::continue_req>({{"334 \r\n", 6}, {"334 VXNlcm5hbWU6\r\n", 18},
                                 {"334\r\n", no_match}});
    check_rows<a::auth_param>({{"AUTH=<>", 7}, {"AUTH=a+40b", 10}, {"AUTH=x+0a", 9},
                               {"AUTH=a=b", 6}});
}

TEST(grammar_rules_mt_priority, rfc6710_7)
{
    namespace m = r::mt_priority;
    check_rows<m::priority_value>({{"0", 1}, {"9", 1}, {"-9", 2}, {"-0", no_match},
                                   {"10", 1}, {"+1", no_match}});
    check_rows<m::mt_priority_parameter>({{"MT-PRIORITY=3", 13}, {"MT-PRIORITY=-4", 14},
                                          {"MT-PRIORITY=", no_match}});
    check_rows<m::mt_priority_ehlo>({{"MT-PRIORITY", 11}, {"MT-PRIORITY MIXER", 17},
                                     {"MT-PRIORITY STANAG4406", 22}});
    check_rows<m::priority_profile>({{"ABCDEFGHIJKLMNOPQRSTUV", 20}, {"a_b.c-d", 7},
                                     {"", no_match}});
    check_rows<m::Pri>({{" PRIORITY -2", 12}, {" PRIORITY", no_match}});
}

TEST(grammar_rules_smtputf8, utf8_rfc3629_4)
{
    namespace u = r::smtputf8;
    check_rows<u::UTF8_non_ascii>({
        {"\xc3\xa9", 2},              // é
        {"\xe2\x82\xac", 3},          // €
        {"\xf0\x9f\x98\x80", 4},      // an emoji
        {"\xc0\xaf", no_match},       // overlong
        {"\xed\xa0\x80", no_match},   // a UTF-16 surrogate
        {"\xf4\x90\x80\x80", no_match},
        {"\x80", no_match},
        {"a", no_match},
    });
}

TEST(grammar_rules_smtputf8, mailbox_rfc6531_3_3)
{
    namespace u = r::smtputf8;
    check_rows<u::U_label>({{"b\xc3\xbc" "cher", 7}, {"\xc3\xa9", 2}, {"abc", no_match},
                            {"-\xc3\xa9", no_match}, {"\xc3\xa9-", 2}, {"a-\xc3\xa9", 4}});
    check_rows<u::sub_domain>({{"ab\xc3\xa9", 4}, {"ab", 2}, {"ab-", 2}});
    check_rows<u::Mailbox>({
        {"j\xc3\xb6rg@b\xc3\xbc" "cher.example", 21},
        {"\"j\xc3\xb6rg x\"@example.org", 21},
        {"a@[192.0.2.1]", 13},
        {"j\xc3\xb6rg@exa_mple", 9},
        {"\xff@x", no_match},
    });
    check_rows<u::mail>({{"MAIL FROM:<j\xc3\xb6rg@example.org> SMTPUTF8\r\n", 40}});
    check_rows<u::vrfy>({{"VRFY j\xc3\xb6rg SMTPUTF8\r\n", 21}, {"VRFY x\r\n", 8},
                         {"VRFY x OTHER\r\n", no_match}});
    check_rows<u::esmtp_param>({{"X=\xc3\xa9", 4}});
    // Without SMTPUTF8 the same mailbox is not valid.
    check_rows<r::Mailbox>({{"j\xc3\xb6rg@example.org", no_match}});
}

}  // namespace
}  // namespace smtpspec::grammar::test
