// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/client_model.hpp"

#include "spec/catalogue.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace smtpspec::model
{
namespace
{
using enum client_command;
using commands = std::vector<client_command>;

/// Sends each command and feeds its reply, in lock step.
client_state converse(client_state s, std::initializer_list<std::pair<client_command, int>> steps,
                      bool pipelining = false)
{
    for (const auto& [c, code] : steps) {
        EXPECT_TRUE(may_send(s, c).allowed) << to_string(c) << " in " << to_string(s.stage);
        s = after_reply(after_send(s, c), code, pipelining);
    }
    return s;
}

client_state greeted() { return after_reply({}, 220); }

// spec: 3.1 test
TEST(client_model, nothing_before_the_greeting)
{
    EXPECT_TRUE(permitted_commands({}).empty());
    EXPECT_EQ(spec::to_string(may_send({}, quit).why), "3.1");
}

// spec: 4.1.1.1 R-4.1.1.1-6 test
// spec: 4.1.4 R-4.1.4-1 test
TEST(client_model, after_220_ehlo_or_helo_but_no_mail)
{
    EXPECT_EQ(permitted_commands(greeted()),
              (commands{ehlo, helo, rset, vrfy, expn, help, noop, quit}));
    EXPECT_EQ(spec::to_string(may_send(greeted(), mail).why), "4.1.4 R-4.1.4-1 R-4.1.1.1-6");
}

// spec: 3.1 R-3.1-4 test
// spec: 4.1.4 R-4.1.4-19 test
TEST(client_model, after_554_greeting_only_quit)
{
    EXPECT_EQ(permitted_commands(after_reply({}, 554)), commands{quit});
}

// spec: 4.3.1 R-4.3.1-1 test
TEST(client_model, waits_for_each_reply_without_pipelining)
{
    const client_state s = after_send(greeted(), ehlo);
    EXPECT_TRUE(permitted_commands(s).empty());
    EXPECT_EQ(may_send(s, quit).reason, "wait for the reply (no PIPELINING)");
}

// spec: 3.2 R-3.2-3 test
TEST(client_model, ehlo_refused_with_5yz_allows_helo)
{
    const client_state s = converse(greeted(), {{ehlo, 502}});
    EXPECT_TRUE(s.ehlo_refused);
    EXPECT_EQ(s.stage, client_stage::greeted);
    EXPECT_EQ(spec::to_string(may_send(s, helo).why), "3.2 R-3.2-3");
    EXPECT_FALSE(may_send(s, mail).allowed);
    EXPECT_EQ(converse(s, {{helo, 250}}).stage, client_stage::ready);
}

// spec: 3.3 R-3.3-17 test
// spec: 4.1.4 R-4.1.4-13 test
TEST(client_model, mail_rcpt_data_in_order)
{
    client_state s = converse(greeted(), {{ehlo, 250}});
    EXPECT_FALSE(may_send(s, rcpt).allowed);
    EXPECT_FALSE(may_send(s, data).allowed);
    s = converse(s, {{mail, 250}});
    EXPECT_EQ(s.stage, client_stage::mail);
    const auto again = may_send(s, mail);
    EXPECT_FALSE(again.allowed);
    EXPECT_EQ(spec::to_string(again.why), "4.1.4 R-4.1.4-13 WG#101");
    EXPECT_FALSE(may_send(s, data).allowed);
    s = converse(s, {{rcpt, 550}});
    EXPECT_FALSE(may_send(s, data).allowed) << "no recipient accepted yet";
    s = converse(s, {{rcpt, 251}});
    EXPECT_TRUE(may_send(s, data).allowed);
}

// spec: 3.3 R-3.3-13 test
// spec: 3.3 R-3.3-12 test
TEST(client_model, mail_data_only_after_354)
{
    const client_state rcpt_ok = converse(greeted(), {{ehlo, 250}, {mail, 250}, {rcpt, 250}});
    EXPECT_FALSE(may_send(rcpt_ok, message_data).allowed);
    const client_state go = converse(rcpt_ok, {{data, 354}});
    EXPECT_EQ(permitted_commands(go), commands{message_data});
    EXPECT_FALSE(may_send(go, quit).allowed) << "QUIT after 354 would be mail data";
    const client_state refused = converse(rcpt_ok, {{data, 554}});
    EXPECT_FALSE(may_send(refused, message_data).allowed);
    EXPECT_EQ(spec::to_string(may_send(refused, message_data).why), "3.3 R-3.3-12 R-3.3-13");
}

// spec: 4.1.1.4 R-4.1.1.4-7 test
TEST(client_model, the_reply_to_the_data_ends_the_transaction)
{
    const client_state go =
        converse(greeted(), {{ehlo, 250}, {mail, 250}, {rcpt, 250}, {data, 354}});
    for (const int code : {250, 451, 554}) {
        const client_state s = converse(go, {{message_data, code}});
        EXPECT_EQ(s.stage, client_stage::ready) << code;
        EXPECT_TRUE(may_send(s, mail).allowed) << code;
    }
}

// spec: 4.2 R-4.2-8 R-4.2-11 test
TEST(client_model, replies_are_read_by_their_first_digit)
{
    const client_state s = converse(greeted(), {{ehlo, 299}, {mail, 257}});
    EXPECT_EQ(s.stage, client_stage::mail);
    EXPECT_EQ(converse(s, {{rcpt, 471}}).stage, client_stage::mail);
}

// spec: 3.8 test
// spec: 4.1.1.10 R-4.1.1.10-4 test
TEST(client_model, 421_or_quit_ends_everything)
{
    const client_state ready = converse(greeted(), {{ehlo, 250}});
    EXPECT_TRUE(permitted_commands(after_reply(after_send(ready, mail), 421)).empty());
    EXPECT_TRUE(permitted_commands(after_send(ready, quit)).empty());
    EXPECT_TRUE(permitted_commands(after_close(ready)).empty());
}

// RFC 2920 3.1 (cited as 4.3.1 R-4.3.1-1): MAIL, RCPT, RSET may be followed
// within a group; DATA ends it.
TEST(client_model, pipelining_groups_end_with_data)
{
    client_state s = converse(greeted(), {{ehlo, 250}}, true);
    ASSERT_TRUE(s.pipelining);
    s = after_send(s, mail);
    EXPECT_TRUE(may_send(s, rcpt).allowed) << "RCPT may follow an unanswered MAIL";
    EXPECT_FALSE(may_send(s, data).allowed) << "no RCPT in the group yet";
    s = after_send(after_send(s, rcpt), rcpt);
    EXPECT_EQ(spec::to_string(may_send(s, data).why), "4.3.1 R-4.3.1-1");
    s = after_send(s, data);
    EXPECT_TRUE(permitted_commands(s).empty()) << "DATA is last in its group";
    s = after_reply(after_reply(after_reply(s, 250), 550), 250);
    EXPECT_EQ(s.stage, client_stage::rcpt);
    s = after_reply(s, 354);
    EXPECT_EQ(permitted_commands(s), commands{message_data});
}

TEST(client_model, pipelined_group_after_a_refused_mail)
{
    client_state s = converse(greeted(), {{ehlo, 250}}, true);
    for (const auto c : {mail, rcpt, data}) {
        ASSERT_TRUE(may_send(s, c).allowed) << to_string(c);
        s = after_send(s, c);
    }
    s = after_reply(after_reply(after_reply(s, 550), 503), 503);
    EXPECT_EQ(s.stage, client_stage::ready);
    EXPECT_FALSE(may_send(s, message_data).allowed);
    EXPECT_TRUE(may_send(s, mail).allowed);
}

TEST(client_model, noop_ends_a_pipelined_group)
{
    client_state s = converse(greeted(), {{ehlo, 250}}, true);
    s = after_send(s, noop);
    EXPECT_TRUE(permitted_commands(s).empty());
    EXPECT_EQ(may_send(s, rset).reason,
              "an unanswered command ends the pipelined group (RFC 2920 3.1)");
}

TEST(client_model, helo_reply_offers_no_pipelining)
{
    const client_state s = converse(greeted(), {{helo, 250}}, true);
    EXPECT_FALSE(s.pipelining);
}

}  // namespace
}  // namespace smtpspec::model
