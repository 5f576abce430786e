// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/dialogue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smtpspec::lint
{
namespace
{

TEST(LintDialogue, LinePatterns)
{
    EXPECT_TRUE(matches_line("250-*\r\n", "250-mx.example.org greets you\r\n"));
    EXPECT_TRUE(matches_line("250 2.0.0 Accepted and stored as *\r\n",
                             "250 2.0.0 Accepted and stored as 17.M2P3Q1.vm\r\n"));
    EXPECT_TRUE(matches_line("220 * ESMTP *\r\n", "220 mx ESMTP ready\r\n"));
    EXPECT_TRUE(matches_line("250 *\r\n", "250 \r\n"));
    EXPECT_FALSE(matches_line("250 *\r\n", "251 ok\r\n"));
    EXPECT_FALSE(matches_line("250 ok\r\n", "250 ok\n"));
    EXPECT_FALSE(matches_line("250 *", "250 ok\r\n"));
    EXPECT_FALSE(matches_line("250-PIPELINING\r\n", "250 PIPELINING\r\n"));
}

TEST(LintDialogue, CodePatterns)
{
    EXPECT_TRUE(matches_code("250", 250));
    EXPECT_TRUE(matches_code("2xx", 221));
    EXPECT_TRUE(matches_code("5x1", 501));
    EXPECT_FALSE(matches_code("5x1", 502));
    EXPECT_FALSE(matches_code("250", 25));
}

TEST(LintDialogue, ConsecutiveClientLinesAreOneSend)
{
    auto parsed = parse_script("C: MAIL FROM:<a@example.net>\nC: RCPT TO:<b@example.org>\n"
                               "expect 250\nexpect 250\nC: QUIT\nS: 221 *\nexpect close\n");
    const auto steps = plan(std::get<std::vector<entry>>(parsed));
    ASSERT_EQ(steps.size(), 6U);
    EXPECT_EQ(steps[0].octets, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n");
    EXPECT_EQ(steps[0].line, 1U);
    EXPECT_EQ(steps[1].kind, entry_kind::expect_reply);
    EXPECT_EQ(steps[3].octets, "QUIT\r\n");
    EXPECT_EQ(steps[4].octets, "221 *\r\n");
    EXPECT_EQ(steps[5].kind, entry_kind::expect_close);
}

}  // namespace
}  // namespace smtpspec::lint
