// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Every client-side row of tests/known-faults.md, as a transcript the linter
// must flag (and the valid inputs of those rows, which it must not flag).
// Test names carry the row id.

#include "lint/lint.hpp"

#include "tests/lint/lint_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace smtpspec::lint
{
namespace
{

using test::ids;
using test::run;

/// ehlo_prefix, then MAIL, RCPT and DATA accepted: the data starts on line 14.
std::string in_data()
{
    return std::string(test::ehlo_prefix) +
           "C: MAIL FROM:<a@example.net>\nS: 250 ok\nC: RCPT TO:<b@example.org>\nS: 250 ok\n"
           "C: DATA\nS: 354 go ahead\n";
}

/// A session that sends one command after EHLO and gets the reply; QUIT ends it.
std::vector<std::string> one_command(const std::string& command, const std::string& reply)
{
    return ids(run(std::string(test::ehlo_prefix) + "C: " + command + "\nS: " + reply +
                   "\nC: QUIT\nS: 221 bye\n"));
}

// spec: 2.3.8 R-2.3.8-3 test
TEST(LintKnownFaults, B01_LfDotCrLf)
{
    const result r =
        run(in_data() + "C: Subject: a\nC:\nC: hello\\n.\\r\\nMAIL FROM:<boss@example.com>\n"
                        "C: .\nS: 554 5.6.0 bare LF\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-2.3.8-3@16/B01"});
    EXPECT_EQ(r.findings[0].message,
              "a bare CR or LF in the mail data; only CRLF ends a line, and <LF>.<CR><LF> here "
              "ends the data for a server that accepts it (SMTP smuggling)");
    EXPECT_EQ(r.lines[15].rule, "mail data");
    EXPECT_EQ(r.lines[16].rule, "mail data");
    EXPECT_EQ(r.lines[17].rule, "end of data");
}

// spec: 4.1.1.4 R-4.1.1.4-4 test
TEST(LintKnownFaults, B01_ServerThatEndsDataEarlyIsFlagged)
{
    const result r =
        run(in_data() + "C: hello\\n.\\r\\nMAIL FROM:<boss@example.com>\nS: 250 queued\n"
                        "S: 250 sender ok\nC: .\nS: 250 ok\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), (std::vector<std::string>{"R-2.3.8-3@14/B01", "R-4.1.1.4-4@15/B01"}));
    EXPECT_EQ(r.findings[1].actor, side::server);
}

// spec: 2.3.8 R-2.3.8-3 test
TEST(LintKnownFaults, B02_LfDotLf)
{
    const result r = run(in_data() + "C: hello\\n.\\nMAIL FROM:<boss@example.com>\nC: .\n"
                                     "S: 554 5.6.0 bare LF\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-2.3.8-3@14/B02"});
}

// spec: 2.3.8 R-2.3.8-3 test
TEST(LintKnownFaults, B03_CrLfDotLf)
{
    const result r = run(in_data() + "C: hello\nC: .\\nQUIT\nC: .\nS: 554 5.6.0 bare LF\n"
                                     "C: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-2.3.8-3@15/B03"});
}

// spec: 4.1.1.4 test
TEST(LintKnownFaults, B05_VerdictDoesNotDependOnHowTheOctetsAreSplit)
{
    const std::string whole = in_data() + "C: hello\\n.\\r\\nMAIL FROM:<x@example.com>\nC: .\n"
                                          "S: 554 bare LF\nC: QUIT\nS: 221 bye\n";
    const std::string split = in_data() +
                              "C: hello\\\nC: \\n.\\r\\\nC: \\nMAIL FROM:<x@example.com>\n"
                              "C: .\nS: 554 bare LF\nC: QUIT\nS: 221 bye\n";
    EXPECT_EQ(ids(run(whole)), std::vector<std::string>{"R-2.3.8-3@14/B01"});
    EXPECT_EQ(ids(run(split)), std::vector<std::string>{"R-2.3.8-3@16/B01"});
}

// spec: 3.3 R-3.3-13 test
TEST(LintKnownFaults, B06_DataNotLastInAPipelinedGroup)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: MAIL FROM:<a@example.net>\\r\\nRCPT TO:<b@example.org>\\r\\nDATA"
                         "\\r\\nSubject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n\\\nC: QUIT\n"
                         "S: 250 ok\nS: 250 ok\nS: 354 go ahead\nS: 250 stored\nS: 221 bye\n");
    ASSERT_EQ(ids(r), std::vector<std::string>{"R-3.3-13@8/B06"});
    EXPECT_EQ(r.findings[0].section, "3.3");
    EXPECT_EQ(r.findings[0].severity, level::error);
    // The held lines are read as the server reads them: as data once 354 came.
    EXPECT_EQ(r.lines[10].rule, "mail data");
    EXPECT_EQ(r.lines[13].rule, "end of data");
    EXPECT_EQ(r.lines[14].rule, "quit");
}

// spec: rfc3207/4 test
TEST(LintKnownFaults, B07_CommandsAfterStarttlsInOneSegment)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: STARTTLS\\r\\nRSET\nS: 220 go ahead\nstarttls\n"
                         "C: EHLO client.example.net\nS: 250 mx.example.org\nC: QUIT\n"
                         "S: 221 bye\n");
    ASSERT_EQ(ids(r), std::vector<std::string>{"rfc3207/4@8/B07"});
    EXPECT_EQ(r.lines[8].rule, "dropped: sent in clear before the TLS handshake");
}

// spec: rfc3207/4.2 test
TEST(LintKnownFaults, B07_ServerThatRunsTheInjectedCommand)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: STARTTLS\\r\\nRSET\nS: 220 go ahead\nstarttls\nS: 250 reset\n"
                         "C: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), (std::vector<std::string>{"rfc3207/4@8/B07", "rfc3207/4.2@11/B07"}));
}

// spec: rfc3207/4 test
TEST(LintKnownFaults, B09_RepliesInjectedBeforeTheHandshake)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: STARTTLS\nS: 220 2.0.0 go ahead\\r\\n250-mx.example.org\\r\\n"
                         "250 AUTH PLAIN\nstarttls\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"rfc3207/4@9/B09"});
    EXPECT_EQ(r.findings[0].actor, side::server);
}

// spec: 4.1.2 test
TEST(LintKnownFaults, B11_InvalidLocalPartWithoutDomain)
{
    EXPECT_EQ(one_command("MAIL FROM:<;sleep 66;>", "501 syntax"),
              std::vector<std::string>{"rfc5321/4.1.2@8"});
}

// spec: 4.1.2 test
TEST(LintKnownFaults, B12_QuotedLocalPartWithSpaceIsValid)
{
    EXPECT_TRUE(one_command("MAIL FROM:<\"Alex Example\"@example.org>", "250 ok").empty());
}

// spec: 4.1.2 test
TEST(LintKnownFaults, B13_QuotedLocalPartForms)
{
    EXPECT_TRUE(one_command("MAIL FROM:<\" \"@example.org>", "250 ok").empty());
    EXPECT_EQ(one_command("MAIL FROM:<just\"not\"right@example.org>", "501 syntax"),
              std::vector<std::string>{"rfc5321/4.1.2@8"});
    EXPECT_EQ(one_command("MAIL FROM:<this is\"not\\\\allowed@example.org>", "501 syntax"),
              std::vector<std::string>{"rfc5321/4.1.2@8"});
}

// spec: 4.1.1.2 test
TEST(LintKnownFaults, B16_PathWithoutAngleBrackets)
{
    EXPECT_EQ(one_command("MAIL FROM:alice@example.org", "501 syntax"),
              std::vector<std::string>{"rfc5321/4.1.2@8"});
    // A lenient server that accepts it does not make the client right; the
    // server gets a note, not an error.
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: MAIL FROM:alice@example.org\nS: 250 ok\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), (std::vector<std::string>{"rfc5321/4.1.2@8", "R-4.3.1-3@9"}));
    EXPECT_EQ(r.findings[1].severity, level::note);
}

// spec: 4.1.1.3 test
TEST(LintKnownFaults, B17_PostmasterForms)
{
    const std::string mail = "C: MAIL FROM:<a@example.net>\nS: 250 ok\n";
    const auto rcpt = [&](const std::string& to, const std::string& reply) {
        return ids(run(std::string(test::ehlo_prefix) + mail + "C: RCPT TO:" + to +
                       "\nS: " + reply + "\nC: QUIT\nS: 221 bye\n"));
    };
    EXPECT_EQ(rcpt("Postmaster", "501 syntax"), std::vector<std::string>{"rfc5321/4.1.2@10"});
    EXPECT_TRUE(rcpt("<Postmaster>", "250 ok").empty());
    EXPECT_TRUE(rcpt("<postmaster>", "250 ok").empty());
}

// spec: 4.1.1.2 test
TEST(LintKnownFaults, B18_TrailingGarbageAfterThePath)
{
    EXPECT_EQ(one_command("MAIL FROM:<>>>>>", "501 syntax").size(), 1U);
    EXPECT_EQ(one_command("MAIL FROM:<a@example.org>>>", "501 syntax").size(), 1U);
    EXPECT_EQ(one_command("MAIL FROM:<a@example.org>>>", "501 syntax").front().substr(0, 8),
              "rfc5321/");
}

// spec: 4.1.3 test
TEST(LintKnownFaults, B19_AddressLiteralMailboxIsValid)
{
    const std::string text =
        std::string(test::ehlo_prefix) +
        "C: MAIL FROM:<a@example.net>\nS: 250 ok\nC: RCPT TO:<test@[192.0.2.123]>\n"
        "S: 250 ok\nC: QUIT\nS: 221 bye\n";
    EXPECT_TRUE(run(text).findings.empty());
}

// spec: 4.1.1.3 test
TEST(LintKnownFaults, B22_NullForwardPath)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: MAIL FROM:<a@example.net>\nS: 250 ok\nC: RCPT TO:<>\n"
                         "S: 501 syntax\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"rfc5321/4.1.2@10"});
}

// spec: 4.1.1.2 test
TEST(LintKnownFaults, B23_NullReversePathIsValid)
{
    EXPECT_TRUE(one_command("MAIL FROM:<>", "250 ok").empty());
}

// spec: 4.1.1.3 test
TEST(LintKnownFaults, B25_SeveralMailboxesInOneRcpt)
{
    const result r = run(std::string(test::ehlo_prefix) +
                         "C: MAIL FROM:<a@example.net>\nS: 250 ok\n"
                         "C: RCPT TO:<a@example.org,b@example.org>\nS: 501 syntax\n"
                         "C: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"rfc5321/4.1.2@10"});
}

// spec: 4.1.2 R-4.1.2-10 test
TEST(LintKnownFaults, B27_XtextThatDecodesToALineBreak)
{
    const std::string text =
        "S: 220 mx.example.org\nC: EHLO client.example.net\n"
        "S: 250-mx.example.org\nS: 250-AUTH PLAIN\nS: 250 DSN\n"
        "C: MAIL FROM:<a@example.org> AUTH=x+0AReceived:+20forged\n"
        "S: 250 ok\nC: RCPT TO:<b@example.org> ORCPT=rfc822;x+0Dy@example.org\n"
        "S: 250 ok\nC: RSET\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
    EXPECT_EQ(ids(run(text)), (std::vector<std::string>{"R-4.1.2-10@6/B27", "R-4.1.2-10@8/B27"}));
    EXPECT_TRUE(one_command("MAIL FROM:<a@example.org> ENVID=QQ+2B1", "250 ok").empty());
}

// spec: 4.1.1.2 test
TEST(LintKnownFaults, B28_BodyValues)
{
    EXPECT_TRUE(one_command("MAIL FROM:<a@example.org> BODY=8bitMIME", "250 ok").empty());
    EXPECT_EQ(one_command("MAIL FROM:<a@example.org> BODY=9BIT", "501 bad value"),
              std::vector<std::string>{"rfc5321/4.1.1.2@8"});
}

// spec: 4.1.1.2 test
TEST(LintKnownFaults, B29_EqualsSignInsideEsmtpValue)
{
    EXPECT_EQ(one_command("MAIL FROM:<a@example.org> XTEST=a=b", "501 syntax"),
              std::vector<std::string>{"rfc5321/4.1.1.2@8"});
}

// spec: 4.1.1.3 test
TEST(LintKnownFaults, B30_NotifyAfterThePathWithDsnOffered)
{
    const std::string text =
        std::string(test::ehlo_prefix) +
        "C: MAIL FROM:<a@example.net>\nS: 250 ok\n"
        "C: RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
    EXPECT_TRUE(run(text).findings.empty());
}

// spec: 4.2 test
TEST(LintKnownFaults, B35_GreetingWithEmptyLastLineIsValid)
{
    const result r = run("S: 220-mx.example.org ESMTP\nS: 220-no bulk mail\nS: 220\n"
                         "C: QUIT\nS: 221 bye\n");
    // Valid syntax, so no error; the server only skips two SHOULDs (the
    // space after the code, some text), as the prober grades it too.
    EXPECT_EQ(ids(r), (std::vector<std::string>{"R-4.2.1-3@3", "R-4.2-6@3"}));
    EXPECT_TRUE(std::ranges::none_of(r.findings,
                                     [](const finding& f) { return f.severity == level::error; }));
    EXPECT_EQ(r.lines[2].state, "connecting -> greeted");
}

// spec: 4.2.1 R-4.2.1-5 test
TEST(LintKnownFaults, B36_MultilineReplyWithTwoCodes)
{
    const result r = run("S: 220-mx.example.org ESMTP\nS: 521 5.7.1 service unavailable\n"
                         "C: QUIT\nS: 221 bye\n");
    ASSERT_EQ(ids(r), (std::vector<std::string>{"R-4.2.1-5@2/B36", "R-4.3.1-3@2"}));
    EXPECT_EQ(r.findings[0].actor, side::server);
    EXPECT_EQ(r.findings[0].message, "a multiline reply with two codes: 220 then 521");
}

// spec: 4.2 R-4.2-3 test
TEST(LintKnownFaults, B37_ReplyCodeOutsideTheGrammar)
{
    const std::string mail = std::string(test::ehlo_prefix) +
                             "C: MAIL FROM:<a@example.net>\n"
                             "S: 250 ok\nC: RCPT TO:<b@example.org>\n";
    const auto with = [&](const std::string& reply) {
        return run(mail + "S: " + reply + "\nC: QUIT\nS: 221 bye\n");
    };
    EXPECT_TRUE(with("251 2.1.5 will forward").findings.empty());
    EXPECT_TRUE(with("452 4.5.3 too many").findings.empty());
    EXPECT_EQ(ids(with("299 odd")).front(), "R-4.2-3@11/B37");
    EXPECT_EQ(ids(with("199 odd")).front(), "R-4.2-12@11");
}

// spec: 4.5.3.1.4 R-4.5.3.1-2 test
TEST(LintKnownFaults, B38_CommandLineOver512Octets)
{
    const result r = run("S: 220 mx.example.org\nC: NOOP " + std::string(600, 'a') +
                         "\nS: 500 line too long\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.5.3.1-2@2/B38"});
    EXPECT_EQ(r.findings[0].severity, level::warning);
}

// spec: 4.5.2 test
TEST(LintKnownFaults, B39_MissingDotStuffingEndsTheDataEarly)
{
    const result r = run(in_data() + "C: hello\nC: .\nC: .test\nC: .\nS: 250 ok\nS: 500 what\n"
                                     "S: 500 what\nC: QUIT\nS: 221 bye\n");
    // The lone "." ends the data; ".test" is then read as a command.
    EXPECT_EQ(r.lines[14].rule, "end of data");
    EXPECT_EQ(r.lines[15].rule, "command (failed)");
    EXPECT_EQ(ids(r), (std::vector<std::string>{"R-4.1.5-2@16", "R-4.1.5-2@17"}));
}

// spec: 4.1.1.1 test
TEST(LintKnownFaults, B43_EhloWithoutDomain)
{
    const result r = run("S: 220 mx.example.org\nC: EHLO\nS: 501 domain needed\nC: QUIT\n"
                         "S: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"rfc5321/4.1.1.1@2"});
}

// spec: 4.1.4 R-4.1.4-1 test
TEST(LintKnownFaults, B44_MailBeforeEhlo)
{
    const result r = run("S: 220 mx.example.org\nC: MAIL FROM:<a@example.org>\n"
                         "S: 503 EHLO first\nC: NOOP\nS: 250 ok\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.1.4-1@2"});
    EXPECT_EQ(r.findings[0].actor, side::client);
}

// spec: 4.5.3.1.6 R-4.5.3.1-2 test
TEST(LintKnownFaults, B46_TextLinesOverTheLimit)
{
    const result r = run(in_data() + "C: " + std::string(998, 'a') + "\nC: .." +
                         std::string(997, 'b') + "\nC: " + std::string(1200, 'c') +
                         "\nC: .\nS: 250 ok\nC: QUIT\n"
                         "S: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-4.5.3.1-2@16/B46"});
}

// spec: 2.3.8 R-2.3.8-3 test
TEST(LintKnownFaults, B48_BareLfAsCommandTerminator)
{
    const result r = run("S: 220 mx.example.org\nC: HELO client.example.net\\n\\\n"
                         "C: MAIL FROM:<>\\n\\\nC: \\r\\n\nS: 500 bare LF\nC: QUIT\nS: 221 bye\n");
    EXPECT_EQ(ids(r), std::vector<std::string>{"R-2.3.8-3@4/B48"});
    ASSERT_EQ(r.lines.size(), 5U);
    EXPECT_EQ(r.lines[1].rule, "command (failed: bare CR or LF)");
}

}  // namespace
}  // namespace smtpspec::lint
