// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/extension.hpp: extension commands and parameter values.

#include "grammar/extension.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace smtpspec::grammar
{
namespace
{

/** One row: a parameter and the rule its check names, or "" when it is valid. */
struct param_row
{
    esmtp_param param;     ///< The parameter as parsed.
    std::string rule;      ///< Expected rule, or "".
    std::size_t offset;    ///< Expected offset from the start of the keyword.
};

void check_params(const std::vector<param_row>& rows, bool rcpt)
{
    for (const param_row& row : rows) {
        SCOPED_TRACE(row.param.keyword + "=" + row.param.value.value_or("(none)"));
        const auto e = rcpt ? check_rcpt_parameter(row.param) : check_mail_parameter(row.param);
        if (row.rule.empty()) {
            EXPECT_FALSE(e.has_value()) << e->message;
            continue;
        }
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->rule, row.rule) << e->message;
        EXPECT_EQ(e->offset, row.offset) << e->message;
        EXPECT_EQ(e->reply_code, 501);
    }
}

TEST(grammar_extension, bdat_rfc3030_2)
{
    EXPECT_EQ(std::get<extension_command>(parse_extension_command("BDAT 1000\r\n")),
              extension_command(bdat_command{1000, false}));
    EXPECT_EQ(std::get<extension_command>(parse_extension_command("bdat 0 last\r\n")),
              extension_command(bdat_command{0, true}));
    const auto bad = parse_extension_command("BDAT x\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(bad));
    EXPECT_EQ(std::get<syntax_error>(bad).reply_code, 501);
    EXPECT_EQ(std::get<syntax_error>(bad).offset, 5U);
    const auto huge = parse_extension_command("BDAT 99999999999999999999999\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(huge));
    EXPECT_EQ(std::get<syntax_error>(huge).rule, "chunk-size");
}

TEST(grammar_extension, starttls_rfc3207_4)
{
    EXPECT_EQ(std::get<extension_command>(parse_extension_command("STARTTLS\r\n")),
              extension_command(starttls_command{}));
    const auto bad = parse_extension_command("STARTTLS now\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(bad));
    EXPECT_EQ(std::get<syntax_error>(bad).reply_code, 501);
    EXPECT_EQ(std::get<syntax_error>(bad).offset, 8U);
    const auto unknown = parse_extension_command("MAIL FROM:<>\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(unknown));
    EXPECT_EQ(std::get<syntax_error>(unknown).reply_code, 500);
}

TEST(grammar_extension, auth_rfc4954_4)
{
    EXPECT_EQ(std::get<extension_command>(parse_extension_command("AUTH LOGIN\r\n")),
              extension_command(auth_command{"LOGIN", std::nullopt}));
    EXPECT_EQ(
        std::get<extension_command>(parse_extension_command("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n")),
        extension_command(auth_command{"PLAIN", "AGFsaWNlAHNlY3JldA=="}));
    EXPECT_EQ(std::get<extension_command>(parse_extension_command("AUTH PLAIN =\r\n")),
              extension_command(auth_command{"PLAIN", "="}));
    const auto bad = parse_extension_command("AUTH\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(bad));
    EXPECT_EQ(std::get<syntax_error>(bad).offset, 4U);
}

TEST(grammar_extension, enhanced_status_rfc2034_4)
{
    EXPECT_EQ(parse_enhanced_status("2.1.0 Sender OK"), (enhanced_status{2, 1, 0}));
    EXPECT_EQ(parse_enhanced_status("5.7.123"), (enhanced_status{5, 7, 123}));
    EXPECT_FALSE(parse_enhanced_status("3.0.0 go ahead").has_value());
    EXPECT_FALSE(parse_enhanced_status("2.1.0x").has_value());
    EXPECT_FALSE(parse_enhanced_status("2.1.1234 x").has_value());
    EXPECT_FALSE(parse_enhanced_status("OK").has_value());
    EXPECT_FALSE(parse_enhanced_status("").has_value());
}

TEST(grammar_extension, decode_xtext_rfc3461_4)
{
    EXPECT_EQ(decode_xtext("a+2Bb"), "a+b");
    EXPECT_EQ(decode_xtext(""), "");
    EXPECT_EQ(decode_xtext("x+0Dy"), "x\ry");
    EXPECT_FALSE(decode_xtext("a+2bb").has_value());
    EXPECT_EQ(decode_xtext("a+2bb", true), "a+b");
    EXPECT_FALSE(decode_xtext("a=b").has_value());
    EXPECT_FALSE(decode_xtext("a b").has_value());
    EXPECT_FALSE(decode_xtext("+2").has_value());
}

TEST(grammar_extension, mail_parameters)
{
    check_params(
        {
            {{"SIZE", "1000"}, "", 0},
            {{"SIZE", "x"}, "size-value", 5},
            {{"SIZE", std::nullopt}, "esmtp-param", 4},
            {{"SMTPUTF8", std::nullopt}, "", 0},
            {{"SMTPUTF8", "yes"}, "esmtp-param", 9},
            {{"RET", "hdrs"}, "", 0},
            {{"RET", "PART"}, "ret-value", 4},
            {{"ENVID", "QQ314159"}, "", 0},
            {{"ENVID", "a+0Ab"}, "envid-parameter", 6},
            {{"MT-PRIORITY", "-9"}, "", 0},
            {{"MT-PRIORITY", "10"}, "priority-value", 13},
            {{"XTEST", "anything"}, "", 0},
        },
        false);
}

TEST(grammar_extension, B27_xtext_decoding_to_control_octets_is_501)
{
    check_params({{{"AUTH", "x+0AReceived:+20forged"}, "auth-param", 5}}, false);
    check_params({{{"ORCPT", "rfc822;x+0Dy@example.org"}, "original-recipient-address", 6}},
                 true);
}

TEST(grammar_extension, B28_body_values_case_insensitive_rfc6152_2)
{
    check_params({{{"BODY", "8bitMIME"}, "", 0},
                  {{"BODY", "7bit"}, "", 0},
                  {{"BODY", "BINARYMIME"}, "", 0},
                  {{"BODY", "9BIT"}, "body-value", 5}},
                 false);
}

TEST(grammar_extension, B30_notify_values_rfc3461_4_1)
{
    check_params({{{"NOTIFY", "SUCCESS,FAILURE"}, "", 0},
                  {{"NOTIFY", "NEVER"}, "", 0},
                  {{"NOTIFY", "NEVER,SUCCESS"}, "notify-esmtp-value", 12},
                  {{"NOTIFY", "SOMETIMES"}, "notify-esmtp-value", 7},
                  {{"ORCPT", "rfc822;b@example.org"}, "", 0}},
                 true);
}

TEST(grammar_extension, B33_auth_null_mailbox_is_valid_rfc4954_5)
{
    check_params({{{"AUTH", "<>"}, "", 0},
                  {{"AUTH", "john+2B@example.org"}, "", 0},
                  {{"AUTH", "not a mailbox"}, "xtext", 8}},
                 false);
}

}  // namespace
}  // namespace smtpspec::grammar
