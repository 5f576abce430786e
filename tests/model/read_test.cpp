// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/read.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::model
{
namespace
{

const bad_line_event* bad(const command_reading& r)
{
    return std::get_if<bad_line_event>(&r.in);
}

// spec: 4.1.1.9 R-4.1.1.9-1 test
TEST(model_read, noop_argument_is_ignored_whatever_it_holds)
{
    const auto words = read_command_line("NOOP two words\r\n", rfc5321());
    EXPECT_TRUE(words.noop_argument_ignored);
    EXPECT_TRUE(std::holds_alternative<grammar::command>(words.in));
    // Found by the server_session fuzz target: a NUL in the argument.
    const auto nul = read_command_line(std::string{"NOOP \0\r\n", 8}, rfc5321());
    EXPECT_TRUE(nul.noop_argument_ignored);
    EXPECT_TRUE(std::holds_alternative<grammar::command>(nul.in));
    EXPECT_FALSE(read_command_line("NOOP\r\n", rfc5321()).noop_argument_ignored);
}

// spec: 4.1.1.1 R-4.1.1.1-2 test
TEST(model_read, ehlo_literal_text_is_read_as_the_literal_wg107)
{
    const auto r = read_command_line("EHLO [192.0.2.1] mail.example\r\n", rfc5321());
    EXPECT_TRUE(r.ehlo_literal_text);
    const auto* cmd = std::get_if<grammar::command>(&r.in);
    ASSERT_NE(cmd, nullptr);
    EXPECT_TRUE(std::holds_alternative<grammar::ehlo_command>(*cmd));
}

TEST(model_read, extensions_lines_and_errors)
{
    EXPECT_TRUE(std::holds_alternative<grammar::extension_command>(
        read_command_line("STARTTLS\r\n", rfc5321()).in));
    EXPECT_TRUE(std::holds_alternative<line_too_long_event>(
        read_command_line("NOOP " + std::string(600, 'x') + "\r\n", rfc5321()).in));
    // spec: 2.3.8 R-2.3.8-1 test
    const auto lf = read_command_line("NOOP\nRSET\r\n", rfc5321());
    ASSERT_NE(bad(lf), nullptr);
    EXPECT_EQ(bad(lf)->code, 500);
    const auto syntax = read_command_line("MAIL FROM:<;x;>\r\n", rfc5321());
    ASSERT_NE(bad(syntax), nullptr);
    EXPECT_EQ(bad(syntax)->code, 501);
    ASSERT_TRUE(syntax.error.has_value());
    EXPECT_EQ(syntax.error->reply_code, 501);
}

// WG #105: white space before CRLF follows the profile.
TEST(model_read, trailing_space_follows_the_profile_wg105)
{
    profile strict = rfc5321();
    strict.tolerate_trailing_space = false;
    EXPECT_TRUE(std::holds_alternative<grammar::command>(
        read_command_line("RSET \r\n", rfc5321()).in));
    EXPECT_NE(bad(read_command_line("RSET \r\n", strict)), nullptr);
    // HTAB is white space too, also right after the verb, and for extensions.
    const auto tab = read_command_line("NOOP\t\r\n", rfc5321());
    const auto* noop = std::get_if<grammar::command>(&tab.in);
    ASSERT_NE(noop, nullptr);
    EXPECT_TRUE(std::holds_alternative<grammar::noop_command>(*noop));
    EXPECT_TRUE(std::holds_alternative<grammar::extension_command>(
        read_command_line("STARTTLS \t\r\n", rfc5321()).in));
    const auto strict_noop = read_command_line("NOOP\t\r\n", strict);
    ASSERT_NE(bad(strict_noop), nullptr);
    EXPECT_EQ(bad(strict_noop)->code, 501);
    ASSERT_NE(bad(read_command_line("STARTTLS \r\n", strict)), nullptr);
    EXPECT_EQ(bad(read_command_line("STARTTLS \r\n", strict))->code, 501);
}

}  // namespace
}  // namespace smtpspec::model
