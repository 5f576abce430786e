// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/client_session.hpp"

#include "spec/catalogue.hpp"
#include "tests/reference/client_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace smtpspec::reference
{
namespace
{

using testing::converse;
using testing::job;

// spec: 4.5.2 test (known fault B39)
TEST(client_session, prepare_data_stuffs_dots_and_normalises_endings_B39)
{
    std::size_t longest = 0;
    EXPECT_EQ(prepare_data("hello\n.\n.test\n..x", longest),
              "hello\r\n..\r\n..test\r\n...x\r\n.\r\n");
    EXPECT_EQ(prepare_data("a\rb\r\nc\n", longest), "a\r\nb\r\nc\r\n.\r\n");
    EXPECT_EQ(prepare_data("", longest), ".\r\n");
    EXPECT_EQ(longest, 0U);
}

TEST(client_session, sends_one_message)
{
    client_session c{{}, job()};
    const std::string sent = converse(
        c, {"220 mx.example.org ready\r\n", "250-mx.example.org\r\n250 8BITMIME\r\n",
            "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 stored\r\n", "221 bye\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
                    "RCPT TO:<b@example.org>\r\nDATA\r\nSubject: t\r\n\r\nhello\r\n.\r\nQUIT\r\n");
    EXPECT_TRUE(c.done());
    EXPECT_TRUE(c.result().delivered);
    EXPECT_EQ(c.result().final_code, 250);
}

// A close inside a reply names what came of it: a line without its CRLF
// (2.3.8), or the complete lines of a multi-line reply (4.2.1). A close
// between replies says only that the server closed.
// spec: 2.3.8 R-2.3.8-1 test
TEST(client_session, a_close_inside_a_reply_shows_what_came)
{
    client_session unended{{}, job()};
    unended.feed("220 hi");
    unended.peer_closed();
    EXPECT_EQ(unended.result().error,
              "the server closed the connection inside a reply, after \"220 hi\" without the "
              "CRLF that ends a reply line (RFC 5321 4.2, 2.3.8 R-2.3.8-1)");

    client_session cut{{}, job()};
    cut.feed("220 mx.example.org\r\n250-mx.example.org\r\n");
    EXPECT_EQ(cut.take_output(), "EHLO smtpspec.localhost\r\n");
    cut.feed("250 8BI");
    EXPECT_EQ(cut.unfinished_reply(), "250-mx.example.org\r\n250 8BI");
    cut.peer_closed();
    EXPECT_EQ(cut.result().error,
              "the server closed the connection inside a reply, after "
              "\"250-mx.example.org\\r\\n250 8BI\" without the CRLF that ends a reply line "
              "(RFC 5321 4.2, 2.3.8 R-2.3.8-1)");

    client_session between{{}, job()};
    between.feed("220 mx.example.org\r\n");
    EXPECT_EQ(between.unfinished_reply(), "");
    between.peer_closed();
    EXPECT_EQ(between.result().error, "the server closed the connection");
}

// Known fault B35: a greeting whose last line is a bare code.
// spec: 4.2 R-4.2-2 test
TEST(client_session, multiline_greeting_with_bare_last_line_B35)
{
    client_session c{{}, job()};
    c.feed("220-mx.example.org ESMTP\r\n220-no bulk mail\r\n");
    EXPECT_EQ(c.take_output(), "");
    c.feed("220\r\n");
    EXPECT_EQ(c.take_output(), "EHLO smtpspec.localhost\r\n");
}

// Known fault B36: the reply ends at the line without "-", and a 5yz greeting
// ends the session. spec: 4.2.1 R-4.2.1-5 test
TEST(client_session, mixed_code_greeting_is_treated_as_5yz_B36)
{
    client_session c{{}, job()};
    c.feed("220-mx.example.org ESMTP\r\n521 5.7.1 service unavailable\r\n");
    EXPECT_EQ(c.take_output(), "QUIT\r\n");
    EXPECT_FALSE(c.result().delivered);
    const auto trace = c.take_trace();
    EXPECT_TRUE(std::ranges::any_of(trace, [](const trace_event& e) {
        return e.why && spec::to_string(*e.why) == "4.2.1 R-4.2.1-5";
    }));
}

// Known fault B37: the client acts on the first digit of any code.
// spec: 4.2 R-4.2-10 test
TEST(client_session, recipient_codes_by_first_digit_B37)
{
    for (const auto& [reply, accepted] :
         {std::pair{"251 2.1.5 will forward\r\n", true}, {"257 2.0.0 unlisted\r\n", true},
          {"452 4.5.3 too many\r\n", false}, {"299 odd\r\n", true}}) {
        client_session c{{}, job()};
        const std::string sent = converse(c, {"220 x\r\n", "250 x\r\n", "250 ok\r\n", reply});
        EXPECT_EQ(sent.ends_with("DATA\r\n"), accepted) << reply;
        EXPECT_EQ(sent.ends_with("QUIT\r\n"), !accepted) << reply;
    }
}

// spec: 4.1.1.1 R-4.1.1.1-4 test
TEST(client_session, falls_back_to_helo)
{
    client_session c{{}, job()};
    const std::string sent = converse(c, {"220 x\r\n", "502 no EHLO here\r\n"});
    EXPECT_TRUE(sent.ends_with("HELO smtpspec.localhost\r\n"));
}

TEST(client_session, refuses_8bit_without_8bitmime)
{
    client_session c{{}, job("Subject: caf\xc3\xa9\n\nx\n")};
    const std::string sent = converse(c, {"220 x\r\n", "250 x\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nQUIT\r\n");
    EXPECT_NE(c.result().error.find("8BITMIME"), std::string::npos);
}

TEST(client_session, declares_size_and_body_when_offered)
{
    client_session c{{}, job("Subject: caf\xc3\xa9\n\nx\n")};
    const std::string sent =
        converse(c, {"220 x\r\n", "250-x\r\n250-SIZE 1000\r\n250 8bitmime\r\n"});
    EXPECT_TRUE(sent.ends_with("MAIL FROM:<a@example.net> SIZE=21 BODY=8BITMIME\r\n")) << sent;
}

// Known fault B46: the reference client never sends a line over 1000 octets.
TEST(client_session, refuses_overlong_lines_B46)
{
    client_session c{{}, job("Subject: t\n\n" + std::string(1200, 'c') + "\n")};
    const std::string sent = converse(c, {"220 x\r\n", "250 x\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nQUIT\r\n");
}

client_job job_to(std::initializer_list<const char*> locals)
{
    client_job j = job();
    j.to.clear();
    for (const char* local : locals) {
        j.to.push_back(grammar::forward_path{false, grammar::path{{}, {local, "example.org"}}});
    }
    return j;
}

// Known fault B06 (client side): with PIPELINING the group ends with DATA and
// the message waits for 354. spec: 3.3 R-3.3-13 R-3.3-17 test
TEST(client_session, pipelines_mail_rcpt_data_and_waits_for_354_B06)
{
    client_session c{{}, job_to({"b", "c"})};
    std::string sent = converse(c, {"220 x\r\n", "250-x\r\n250 PIPELINING\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
                    "RCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
    // Replies may come in any split; nothing is sent before the 354.
    sent = converse(c, {"250 ok\r\n250 ok\r\n", "550 no such user\r\n"});
    EXPECT_EQ(sent, "");
    sent = converse(c, {"354 go\r\n"});
    EXPECT_EQ(sent, "Subject: t\r\n\r\nhello\r\n.\r\n");
    sent = converse(c, {"250 stored\r\n", "221 bye\r\n"});
    EXPECT_EQ(sent, "QUIT\r\n");
    EXPECT_TRUE(c.result().delivered);
    EXPECT_EQ(c.result().recipients[0].code, 250);
    EXPECT_EQ(c.result().recipients[1].code, 550);
}

// RFC 2920 3.1: a 354 after all recipients failed gets a lone dot, not data.
// spec: 3.3 R-3.3-11 R-3.3-13 test
TEST(client_session, pipelined_354_without_recipients_gets_a_lone_dot)
{
    client_session c{{}, job()};
    converse(c, {"220 x\r\n", "250-x\r\n250 pipelining\r\n"});
    const std::string sent =
        converse(c, {"250 ok\r\n550 unknown\r\n354 go\r\n", "554 no valid recipients\r\n"});
    EXPECT_EQ(sent, ".\r\nQUIT\r\n");
    EXPECT_FALSE(c.result().delivered);
    EXPECT_EQ(c.result().recipients[0].code, 550);
}

// spec: 3.3 R-3.3-12 test
TEST(client_session, pipelined_refused_mail_sends_no_data)
{
    client_session c{{}, job()};
    converse(c, {"220 x\r\n", "250-x\r\n250 PIPELINING\r\n"});
    const std::string sent =
        converse(c, {"451 4.3.0 try later\r\n503 no MAIL\r\n503 no RCPT\r\n"});
    EXPECT_EQ(sent, "QUIT\r\n");
    EXPECT_EQ(c.result().final_code, 451);
    EXPECT_EQ(c.result().recipients[0].code, 0) << "a 503 after a refused MAIL is no verdict";
}

TEST(client_session, pipelining_can_be_turned_off)
{
    client_config config;
    config.use_pipelining = false;
    client_session c{config, job()};
    const std::string sent = converse(c, {"220 x\r\n", "250-x\r\n250 PIPELINING\r\n"});
    EXPECT_TRUE(sent.ends_with("EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"));
}

// RFC 2920 3.1: a group larger than one TCP window is not pipelined.
TEST(client_session, a_group_larger_than_a_window_is_not_pipelined)
{
    client_job j = job();
    for (int i = 0; i < 200; ++i) {
        j.to.push_back(j.to.front());
    }
    client_session c{{}, std::move(j)};
    const std::string sent = converse(c, {"220 x\r\n", "250-x\r\n250 PIPELINING\r\n"});
    EXPECT_TRUE(sent.ends_with("MAIL FROM:<a@example.net>\r\n"));
}

}  // namespace
}  // namespace smtpspec::reference
