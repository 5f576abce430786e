// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The delivery status notification of the reference client's queue: the
// whole message for one case, then each field rule on its own.

#include "reference/dsn.hpp"

#include "tests/reference/holds.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::reference
{
namespace
{

constexpr std::int64_t arrival = 1796400000;  // Fri, 04 Dec 2026 16:00:00 +0000
constexpr std::int64_t now = 1796403600;      // Fri, 04 Dec 2026 17:00:00 +0000

dsn_notice one_refusal()
{
    dsn_notice n;
    n.reporting_mta = "client.example.net";
    n.sender = "a@example.net";
    n.queue_id = "1796400000.42.0";
    n.arrival = arrival;
    n.date = now;
    n.original = "Subject: t\nFrom: <a@example.net>\n\nhello\n.dot\n";
    notice_recipient r;
    r.final_recipient = "b@example.org";
    r.status = "5.1.1";
    r.remote_mta = "mx.example.org";
    r.reply = {"550 5.1.1 no such user"};
    r.last_attempt = now;
    n.recipients.push_back(r);
    return n;
}

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

// spec: rfc3461/6.2 test
// spec: rfc3461/6.3 test
TEST(dsn, one_refused_recipient_gives_this_exact_message)
{
    const std::string expected =
        "From: Mail Delivery <postmaster@client.example.net>\r\n"
        "To: <a@example.net>\r\n"
        "Subject: Delivery failure notice\r\n"
        "Date: Fri, 04 Dec 2026 17:00:00 +0000\r\n"
        "Message-ID: <dsn.1796400000.42.0@client.example.net>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        "\tboundary=\"smtpspec-dsn-1796400000.42.0\"\r\n"
        "\r\n"
        "This is a MIME delivery status notification (RFC 3464).\r\n"
        "\r\n"
        "--smtpspec-dsn-1796400000.42.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "This is the smtpspec reference client at client.example.net.\r\n"
        "\r\n"
        "The message queued as 1796400000.42.0\r\n"
        "on Fri, 04 Dec 2026 16:00:00 +0000 could not be delivered to 1 recipient;\r\n"
        "no further attempt will be made:\r\n"
        "\r\n"
        "<b@example.org>: 550 5.1.1 no such user (from mx.example.org)\r\n"
        "\r\n"
        "The report for programs follows, then the message.\r\n"
        "\r\n"
        "--smtpspec-dsn-1796400000.42.0\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; client.example.net\r\n"
        "Arrival-Date: Fri, 04 Dec 2026 16:00:00 +0000\r\n"
        "\r\n"
        "Final-Recipient: rfc822;b@example.org\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx.example.org\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
        "Last-Attempt-Date: Fri, 04 Dec 2026 17:00:00 +0000\r\n"
        "\r\n"
        "--smtpspec-dsn-1796400000.42.0\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "Subject: t\r\n"
        "From: <a@example.net>\r\n"
        "\r\n"
        "hello\r\n"
        ".dot\r\n"  // Not dot-stuffed here: the client stuffs when it sends the notice.
        "\r\n"
        "--smtpspec-dsn-1796400000.42.0--\r\n";
    EXPECT_EQ(compose_dsn(one_refusal()), expected);
}

// spec: rfc3461/6.3 test
TEST(dsn, envid_and_orcpt_appear_only_when_given)
{
    dsn_notice n = one_refusal();
    std::string text = compose_dsn(n);
    EXPECT_EQ(count(text, "Original-Envelope-Id:"), 0U);
    EXPECT_EQ(count(text, "Original-Recipient:"), 0U);

    n.envid = "QQ314159";
    n.recipients[0].original_recipient = "b@example.org";
    text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "Content-Type: message/delivery-status\r\n\r\n"
                            "Original-Envelope-Id: QQ314159\r\n"
                            "Reporting-MTA: dns; client.example.net\r\n"));
    EXPECT_TRUE(holds(text, "\r\n\r\nOriginal-Recipient: rfc822;b@example.org\r\n"
                            "Final-Recipient: rfc822;b@example.org\r\n"));
}

// spec: rfc3461/6.2 test
TEST(dsn, ret_hdrs_returns_the_header_only)
{
    dsn_notice n = one_refusal();
    n.headers_only = true;
    const std::string text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "Content-Type: text/rfc822-headers\r\n\r\n"
                            "Subject: t\r\nFrom: <a@example.net>\r\n"
                            "\r\n--smtpspec-dsn-1796400000.42.0--\r\n"));
    EXPECT_EQ(text.find("hello"), std::string::npos);
    EXPECT_EQ(text.find("message/rfc822"), std::string::npos);
}

// spec: rfc3461/6.2 test
TEST(dsn, a_message_over_the_limit_is_returned_as_its_header)
{
    dsn_notice n = one_refusal();
    n.full_limit = 10;
    const std::string text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "Content-Type: text/rfc822-headers\r\n"));
    EXPECT_EQ(text.find("hello"), std::string::npos);
}

// RFC 3461 9.2: every line of a multiline reply, the later ones folded.
// spec: rfc3461/6.3 test
TEST(dsn, a_multiline_reply_is_folded_into_diagnostic_code)
{
    dsn_notice n = one_refusal();
    n.recipients[0].reply = {"550-mailbox unavailable", "550 moved, no forwarding address"};
    const std::string text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "Diagnostic-Code: smtp; 550-mailbox unavailable\r\n"
                            " 550 moved, no forwarding address\r\n"
                            "Last-Attempt-Date: "));
}

TEST(dsn, without_a_reply_the_reason_is_an_x_diagnostic_and_no_remote_mta)
{
    dsn_notice n = one_refusal();
    n.recipients[0].reply.clear();
    n.recipients[0].remote_mta.clear();
    n.recipients[0].status = "5.1.10";
    n.recipients[0].diagnostic = "null MX: nullmx.example takes no mail";
    n.recipients[0].last_attempt = 0;
    const std::string text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "Final-Recipient: rfc822;b@example.org\r\n"
                            "Action: failed\r\n"
                            "Status: 5.1.10\r\n"
                            "Diagnostic-Code: X-smtpspec; null MX: nullmx.example takes no mail\r\n"
                            "\r\n--"));
    EXPECT_EQ(text.find("Remote-MTA:"), std::string::npos);
    EXPECT_EQ(text.find("Last-Attempt-Date:"), std::string::npos);
}

TEST(dsn, the_boundary_never_occurs_in_the_original)
{
    dsn_notice n = one_refusal();
    n.original = "Subject: t\r\n\r\n--smtpspec-dsn-1796400000.42.0\r\n"
                 "smtpspec-dsn-1796400000.42.0-1\r\n";
    const std::string text = compose_dsn(n);
    EXPECT_TRUE(holds(text, "boundary=\"smtpspec-dsn-1796400000.42.0-2\""));
    EXPECT_EQ(count(text, "\r\n--smtpspec-dsn-1796400000.42.0-2\r\n"), 3U);
    EXPECT_EQ(count(text, "\r\n--smtpspec-dsn-1796400000.42.0-2--\r\n"), 1U);
}

TEST(dsn, eight_bit_content_is_labelled_and_report_fields_stay_ascii)
{
    dsn_notice n = one_refusal();
    n.original = "Subject: caf\xc3\xa9\r\n\r\nna\xc3\xafve\r\n";
    n.recipients[0].reply = {"550 5.1.1 \xc3\xa9l\xc3\xa8ve inconnu"};
    const std::string text = compose_dsn(n);
    EXPECT_EQ(count(text, "Content-Transfer-Encoding: 8bit\r\n"), 2U) << "top level and part";
    EXPECT_TRUE(holds(text, "Diagnostic-Code: smtp; 550 5.1.1 ??l??ve inconnu\r\n"));
}

// spec: rfc3461/6.3 test
TEST(dsn, status_comes_from_the_enhanced_code_of_the_right_class)
{
    EXPECT_EQ(status_of_reply(550, {"5.1.1 no such user"}), "5.1.1");
    EXPECT_EQ(status_of_reply(452, {"4.2.2 mailbox full"}), "4.2.2");
    EXPECT_EQ(status_of_reply(550, {"no such user"}), "5.0.0");
    EXPECT_EQ(status_of_reply(451, {"try again"}), "4.0.0");
    EXPECT_EQ(status_of_reply(550, {"4.2.2 wrong class"}), "5.0.0");
    EXPECT_EQ(status_of_reply(554, {}), "5.0.0");
}

}  // namespace
}  // namespace smtpspec::reference
