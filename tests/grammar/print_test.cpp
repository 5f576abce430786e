// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/print.hpp: printing gives back what was parsed.

#include "grammar/print.hpp"

#include "grammar/parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace smtpspec::grammar
{
namespace
{

mail_command mail_of(const std::string& line)
{
    const command_result r = parse_command(line);
    EXPECT_TRUE(std::holds_alternative<command>(r)) << line;
    return std::get<mail_command>(std::get<command>(r));
}

rcpt_command rcpt_of(const std::string& line)
{
    const command_result r = parse_command(line);
    EXPECT_TRUE(std::holds_alternative<command>(r)) << line;
    return std::get<rcpt_command>(std::get<command>(r));
}

TEST(grammar_print, mailbox_round_trip_4_1_2)
{
    for (const char* text : {"a@b", "\"a b\"@example.org", "\"@\"@example.org", "\"\"@x",
                             "\"a\\\"b\"@x", "first.last@[192.0.2.1]", "u@[IPv6:::1]",
                             "User@Example.ORG"}) {
        SCOPED_TRACE(text);
        const auto parsed = parse_mailbox(text);
        ASSERT_TRUE(std::holds_alternative<mailbox>(parsed));
        const mailbox& m = std::get<mailbox>(parsed);
        EXPECT_EQ(to_string(m), text);
        EXPECT_EQ(std::get<mailbox>(parse_mailbox(to_string(m))), m);
    }
}

TEST(grammar_print, reverse_and_forward_path_round_trip_4_1_2)
{
    for (const char* arg : {"<>", "<a@b>", "<@x,@y:a@b>", "<\"a b\"@c>", "<\"x>y\"@c>"}) {
        SCOPED_TRACE(arg);
        const mail_command m = mail_of(std::string("MAIL FROM:") + arg + "\r\n");
        EXPECT_EQ(to_string(m.from), arg);
        EXPECT_EQ(mail_of("MAIL FROM:" + to_string(m.from) + "\r\n").from, m.from);
    }
    for (const char* arg : {"<Postmaster>", "<a@b>", "<postmaster@x.org>", "<@r:a@[1.2.3.4]>"}) {
        SCOPED_TRACE(arg);
        const rcpt_command r = rcpt_of(std::string("RCPT TO:") + arg + "\r\n");
        EXPECT_EQ(to_string(r.to), arg);
        EXPECT_EQ(rcpt_of("RCPT TO:" + to_string(r.to) + "\r\n").to, r.to);
    }
    EXPECT_EQ(to_string(rcpt_of("RCPT TO:<postmaster>\r\n").to), "<Postmaster>");
}

TEST(grammar_print, esmtp_param_4_1_2)
{
    EXPECT_EQ(to_string(esmtp_param{"SIZE", "10"}), "SIZE=10");
    EXPECT_EQ(to_string(esmtp_param{"SMTPUTF8", std::nullopt}), "SMTPUTF8");
}

}  // namespace
}  // namespace smtpspec::grammar
