// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/lint.hpp"

#include "tests/lint/lint_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smtpspec::lint
{
namespace
{

using test::ids;
using test::run;

struct expected_line
{
    std::size_t line;
    side from;
    std::string rule;
    std::string state;
    std::string why;
};

void expect_lines(const result& r, const std::vector<expected_line>& want)
{
    ASSERT_EQ(r.lines.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("wire line " + std::to_string(i) + ": " + r.lines[i].octets);
        EXPECT_EQ(r.lines[i].line, want[i].line);
        EXPECT_EQ(r.lines[i].from, want[i].from);
        EXPECT_EQ(r.lines[i].rule, want[i].rule);
        EXPECT_EQ(r.lines[i].state, want[i].state);
        EXPECT_EQ(r.lines[i].why, want[i].why);
    }
}

// spec: 4.3.2 test
TEST(Lint, CleanSessionIsAnnotatedLineByLine)
{
    const result r = run("S: 220 mx.example.org ESMTP\n"
                         "C: EHLO client.example.net\n"
                         "S: 250-mx.example.org\n"
                         "S: 250 SIZE 1000\n"
                         "C: MAIL FROM:<a@example.net> SIZE=20\n"
                         "S: 250 ok\n"
                         "C: RCPT TO:<b@example.org>\n"
                         "S: 250 ok\n"
                         "C: DATA\n"
                         "S: 354 go ahead\n"
                         "C: Subject: x\n"
                         "C: .\n"
                         "S: 250 stored\n"
                         "C: QUIT\n"
                         "S: 221 bye\n");
    const side c = side::client;
    const side s = side::server;
    expect_lines(r,
                 {
                     {1, s, "Reply-line (Greeting)", "connecting -> greeted", "3.1"},
                     {2, c, "ehlo", "greeted", ""},
                     {3, s, "ehlo-ok-rsp", "", ""},
                     {4, s, "ehlo-line", "greeted -> ready", "4.1.1.1 R-4.5.1-2"},
                     {5, c, "mail", "ready", ""},
                     {6, s, "Reply-line", "ready -> mail", "4.1.1.2 R-3.3-1"},
                     {7, c, "rcpt", "mail", ""},
                     {8, s, "Reply-line", "mail -> rcpt", "4.1.1.3 R-4.5.3.1.8-1"},
                     {9, c, "data", "rcpt", ""},
                     {10, s, "Reply-line", "rcpt -> data", "4.1.1.4"},
                     {11, c, "mail data", "data", ""},
                     {12, c, "end of data", "data", ""},
                     {13, s, "Reply-line", "data -> ready", "4.1.1.4 R-4.1.1.4-6 R-6.1-1 WG#114"},
                     {14, c, "quit", "ready", ""},
                     {15, s, "Reply-line", "ready -> closed", "4.1.1.10 R-4.1.1.10-1"},
                 });
    EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
    EXPECT_TRUE(r.clean());
}

// spec: 4.2.1 R-4.2.1-5 test
TEST(Lint, ReplyNotPermittedByTheModel)
{
    const result r = run("S: 220 mx.example.org\n"
                         "C: HELO client.example.net\n"
                         "S: 250 mx.example.org\n"
                         "C: RCPT TO:<b@example.org>\n"
                         "S: 250 ok\n"
                         "C: QUIT\n"
                         "S: 221 bye\n");
    // The client sent RCPT out of order; the server should have said 503.
    ASSERT_EQ(ids(r), (std::vector<std::string>{"R-3.3-17@4", "R-3.3-10@5"}));
    EXPECT_EQ(r.findings[0].actor, side::client);
    EXPECT_EQ(r.findings[0].message,
              "rcpt out of sequence in phase ready: the server is to answer 503");
    EXPECT_EQ(r.findings[1].severity, level::error);
    EXPECT_EQ(r.findings[1].actor, side::server);
    EXPECT_EQ(r.findings[1].section, "3.3");
    EXPECT_EQ(r.findings[1].message,
              "reply 250 is not among those the model permits here (503, 421, 501, 500)");
    EXPECT_EQ(r.lines[3].state, "ready");
}

// spec: 4.1.4 R-4.1.4-18 test
TEST(Lint, MissingQuit)
{
    const result r = run("S: 220 mx.example.org\nC: NOOP\nS: 250 ok\n");
    ASSERT_EQ(ids(r), std::vector<std::string>{"R-4.1.4-18@3"});
    EXPECT_EQ(r.findings[0].message, "the session ends without QUIT");
    EXPECT_EQ(r.findings[0].severity, level::error);
}

TEST(Lint, ServerClosingWith421NeedsNoQuit)
{
    const result r = run("S: 220 mx.example.org\nC: NOOP\nS: 421 shutting down\nexpect close\n");
    EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
}

// spec: 4.3.1 R-4.3.1-1 test
TEST(Lint, GroupWithoutPipeliningOffered)
{
    std::string text(test::plain_prefix);
    text += "C: MAIL FROM:<a@example.net>\nC: RCPT TO:<b@example.org>\n"
            "S: 250 ok\nS: 250 ok\nC: RSET\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
    const result r = run(text);
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.3.1-1@6"});
}

// spec: 4.3.1 R-4.3.1-1 test
TEST(Lint, EhloMustEndAGroup)
{
    std::string text(test::ehlo_prefix);
    text += "C: EHLO client.example.net\nC: NOOP\nS: 250 mx.example.org\nS: 250 ok\n"
            "C: QUIT\nS: 221 bye\n";
    const result r = run(text);
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.3.1-1@9"});
    EXPECT_EQ(r.findings[0].section, "4.3.1");
}

// spec: 4.1.1.1 R-4.1.1.1-2 test
TEST(Lint, TextAfterTheEhloAddressLiteral)
{
    const std::string text = "S: 220 mx.example.org\nC: EHLO [192.0.2.1] my-laptop\n"
                             "S: 250 mx.example.org\nC: QUIT\nS: 221 bye\n";
    const result r = run(text);
    ASSERT_EQ(ids(r), std::vector<std::string>{"R-4.1.1.1-2@2"});
    EXPECT_EQ(r.findings[0].severity, level::warning);
    EXPECT_EQ(r.findings[0].wg_issues, std::vector<int>{107});
    EXPECT_EQ(r.lines[1].rule, "ehlo (text after the address literal)");
    options strict;
    strict.profile.ehlo_literal_trailing_text_must_not = true;
    EXPECT_EQ(lint(text, strict).findings.at(0).severity, level::error);
}

// spec: 4.1.1 test
TEST(Lint, TrailingWhiteSpace)
{
    const result r = run("S: 220 mx.example.org\nC: NOOP \nS: 250 ok\nC: QUIT\nS: 221 bye\n");
    ASSERT_EQ(ids(r), std::vector<std::string>{"rfc5321/4.1.1@2"});
    EXPECT_EQ(r.findings[0].wg_issues, std::vector<int>{105});
    EXPECT_EQ(r.lines[1].rule, "noop (with trailing white space)");
}

// spec: 4.1.1.3 R-4.1.1.3-8 test
TEST(Lint, ParametersOfExtensionsNotOffered)
{
    std::string text(test::plain_prefix);
    text += "C: MAIL FROM:<a@example.net> SIZE=10\nS: 250 ok\n"
            "C: RCPT TO:<b@example.org> NOTIFY=NEVER\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
    const result r = run(text);
    EXPECT_EQ(ids(r), (std::vector<std::string>{"rfc5321/4.1.1.2@5", "R-4.1.1.3-8@7"}));
    EXPECT_EQ(r.findings[1].message,
              "parameter NOTIFY used, but the server did not offer DSN in its EHLO reply");
}

// spec: 4.2 R-4.2-1 test
TEST(Lint, ReplyWithoutCommand)
{
    const result r = run("S: 220 mx.example.org\nS: 250 extra\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.2-1@2"});
}

// spec: 2.4 R-2.4-5 test
TEST(Lint, EightBitDataNeedsBody8bitmime)
{
    std::string text(test::plain_prefix);
    text += "C: MAIL FROM:<a@example.net>\nS: 250 ok\nC: RCPT TO:<b@example.org>\nS: 250 ok\n"
            "C: DATA\nS: 354 go\nC: caf\\xC3\\xA9\nC: .\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
    EXPECT_EQ(ids(run(text)), std::vector<std::string>{"R-2.4-5@11"});
}

// spec: rfc3207/4.2 test
TEST(Lint, StarttlsRestartsTheSession)
{
    std::string text(test::ehlo_prefix);
    text += "C: STARTTLS\nS: 220 go ahead\nstarttls\nC: MAIL FROM:<a@example.net>\n"
            "S: 503 EHLO first\nC: EHLO client.example.net\nS: 250 mx.example.org\n"
            "C: QUIT\nS: 221 bye\n";
    const result r = run(text);
    // The session starts again: MAIL right after the handshake is out of order.
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.1.4-1@11"});
    EXPECT_EQ(r.lines[7].rule, "starttls");
    EXPECT_EQ(r.lines[8].state, "ready -> handshake");
    EXPECT_EQ(r.lines[9].rule, "TLS handshake");
    EXPECT_EQ(r.lines[11].state, "greeted -> greeted");
    EXPECT_EQ(r.lines[13].state, "greeted -> ready");
}

TEST(Lint, FormatErrorStopsEverything)
{
    const result r = run("C: EHLO x\nnonsense\n");
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->line, 2U);
    EXPECT_TRUE(r.lines.empty());
    EXPECT_FALSE(r.clean());
}

// An empty file, or one of comments only, is not a clean dialogue.
TEST(Lint, NothingToLintIsAnError)
{
    for (const char* text : {"", "# only a comment\n\n"}) {
        const result r = run(text);
        ASSERT_TRUE(r.error.has_value()) << text;
        EXPECT_EQ(r.error->line, 1U);
        EXPECT_NE(r.error->message.find("nothing to lint"), std::string::npos);
        EXPECT_FALSE(r.clean());
    }
}

/// A session whose answer to NOOP (line 3) is @p reply.
result with_noop_reply(const std::string& reply)
{
    return run("S: 220 mx.example.org\nC: NOOP\nS: " + reply + "\nC: QUIT\nS: 221 bye\n");
}

// The last line of a reply is Reply-code [ SP textstring ] CRLF (4.2): the
// bare code matches the ABNF, but 4.2.1 asks for the space and 4.2 for text;
// the code and a space alone are what 4.2.1 asks for, still without text.
// spec: 4.2.1 R-4.2.1-3 test
// spec: 4.2 R-4.2-6 test
TEST(Lint, ReplyCodeWithoutText)
{
    const result bare = with_noop_reply("250");
    EXPECT_EQ(ids(bare), (std::vector<std::string>{"R-4.2.1-3@3", "R-4.2-6@3"}));
    EXPECT_EQ(bare.findings[0].severity, level::warning);
    EXPECT_EQ(bare.findings[0].actor, side::server);
    EXPECT_EQ(bare.findings[1].severity, level::warning);
    EXPECT_EQ(bare.lines[2].state, "greeted -> greeted");

    const result spaced = with_noop_reply("250 ");
    EXPECT_EQ(ids(spaced), std::vector<std::string>{"R-4.2-6@3"});
    EXPECT_EQ(spaced.lines[2].octets, "250 \r\n");

    // A continuation line without text is allowed by the ABNF, but has no text.
    const result r = run("S: 220 mx.example.org\nC: NOOP\nS: 250-\nS: 250 ok\nC: QUIT\n"
                         "S: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.2-6@3"});
    EXPECT_TRUE(with_noop_reply("250 ok").findings.empty());
}

// The first line of a 250 to EHLO is "250" SP Domain [ SP ehlo-greet ] (or
// with "250-"): a bare code there breaks ehlo-ok-rsp, an error, not only the
// two SHOULDs a bare code breaks elsewhere.
// spec: 4.1.1.1 test
TEST(Lint, EhloReplyWithoutDomain)
{
    const result bare = run("S: 220 mx.example.org\nC: EHLO client.example.net\nS: 250\n"
                            "C: QUIT\nS: 221 bye\n");
    ASSERT_EQ(ids(bare), std::vector<std::string>{"rfc5321/4.1.1.1@3"});
    EXPECT_EQ(bare.findings[0].severity, level::error);
    EXPECT_EQ(bare.findings[0].actor, side::server);
    EXPECT_EQ(bare.findings[0].message,
              "the first line of the EHLO reply does not name the server's Domain: rule "
              "Domain at offset 0: Domain: unexpected end of input at offset 0");
    EXPECT_EQ(bare.lines[2].rule, "ehlo-ok-rsp (failed)");

    const result multi = run("S: 220 mx.example.org\nC: EHLO client.example.net\n"
                             "S: 250-[192.0.2.1] hi\nS: 250 SIZE 1000\nC: QUIT\nS: 221 bye\n");
    ASSERT_EQ(ids(multi), std::vector<std::string>{"rfc5321/4.1.1.1@3"});
    EXPECT_EQ(multi.lines[3].rule, "ehlo-line");

    // With a Domain and a greeting the line is clean; so is HELO's 250,
    // whose text 4.1.1.1 leaves free.
    EXPECT_TRUE(run("S: 220 mx.example.org\nC: EHLO client.example.net\n"
                    "S: 250 mx.example.org greets client.example.net\nC: QUIT\nS: 221 bye\n")
                    .findings.empty());
    EXPECT_TRUE(run("S: 220 mx.example.org\nC: HELO client.example.net\nS: 250 ok\n"
                    "C: QUIT\nS: 221 bye\n")
                    .findings.empty());
}

// A code of four digits is no Reply-code: the line names the requirement, and
// the session model does not move (the reply to EHLO never came).
// spec: 4.3.2 R-4.3.2-3 test
TEST(Lint, NotAReplyDoesNotAdvanceTheModel)
{
    const result r = run("S: 220 mx.example.org\nC: EHLO client.example.net\n"
                         "S: 2500 mx.example.org\nC: QUIT\nS: 221 bye\n");
    ASSERT_EQ(ids(r), std::vector<std::string>{"R-4.3.2-3@3"});
    EXPECT_EQ(r.findings[0].severity, level::error);
    EXPECT_EQ(r.findings[0].actor, side::server);
    EXPECT_EQ(r.lines[2].rule, "Reply-line (failed)");
    EXPECT_EQ(r.lines[2].state, "greeted (not a reply: no transition)");
    EXPECT_EQ(r.lines[3].state, "greeted");
    EXPECT_EQ(r.lines[4].state, "greeted -> closed");
}

TEST(Lint, RawStreamsInLockStep)
{
    const result r = lint_streams("EHLO client.example.net\r\nNOOP\r\nQUIT\r\n",
                                  "220 mx.example.org\r\n250-mx.example.org\r\n250 SIZE\r\n"
                                  "250 ok\r\n221 bye\r\n",
                                  options{});
    EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
    ASSERT_EQ(r.lines.size(), 8U);
    EXPECT_EQ(r.lines[1].rule, "ehlo");
    EXPECT_EQ(r.lines[3].state, "greeted -> ready");
    EXPECT_EQ(r.lines[7].state, "ready -> closed");
    EXPECT_EQ(r.input_lines, 8U);
}

TEST(Lint, AnyInputIsAResult)
{
    // The fuzz target's contract: nothing throws, whatever the octets.
    const std::string inputs[] = {"",
                                  "C:",
                                  "S: 2",
                                  "S: 250-a\nS: 251 b\n",
                                  "C: BDAT 99999\n",
                                  "C: \\xFF\\x00\\r\nS: \\xFF\n",
                                  "expect 2xx\nexpect 5xx\n",
                                  "starttls\nstarttls\nreconnect\nexpect close\n"};
    for (const std::string& input : inputs) {
        EXPECT_NO_THROW((void)run(input)) << input;
    }
}

}  // namespace
}  // namespace smtpspec::lint
