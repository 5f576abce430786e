// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/server_reply.hpp"

#include <gtest/gtest.h>

namespace smtpspec::validate
{

// Reply-line syntax of 4.2; frames by position even when the syntax is bad.
TEST(ValidateServerReply, ObservesValidLines)
{
    const auto l = observe_reply_line("250-mx.example.org\r\n");
    EXPECT_EQ(l.code, 250);
    EXPECT_FALSE(l.last);
    EXPECT_EQ(l.text, "mx.example.org");
    EXPECT_EQ(l.syntax_error, "");

    const auto bare = observe_reply_line("220\r\n");  // code alone: valid (4.2, B35)
    EXPECT_EQ(bare.code, 220);
    EXPECT_TRUE(bare.last);
    EXPECT_EQ(bare.syntax_error, "");
}

TEST(ValidateServerReply, FlagsBadSyntaxButStillFrames)
{
    const auto bare_lf = observe_reply_line("250 ok\n");
    EXPECT_EQ(bare_lf.code, 250);
    EXPECT_TRUE(bare_lf.last);
    EXPECT_NE(bare_lf.syntax_error, "");

    const auto out_of_range = observe_reply_line("299 odd\r\n");  // second digit 0-5 (4.2)
    EXPECT_NE(out_of_range.syntax_error, "");

    const auto junk = observe_reply_line("hello\r\n");
    EXPECT_EQ(junk.code, 0);
    EXPECT_NE(junk.syntax_error, "");
}

// 4.2.1 R-4.2.1-5: one code on every line of a reply (B36).
TEST(ValidateServerReply, DetectsMixedCodes)
{
    server_reply r;
    r.lines.push_back(observe_reply_line("220-mx.example.org ESMTP\r\n"));
    r.lines.push_back(observe_reply_line("521 5.7.1 service unavailable\r\n"));
    EXPECT_EQ(r.code(), 220);
    EXPECT_TRUE(r.valid_syntax());
    EXPECT_FALSE(r.consistent_codes());
    EXPECT_EQ(r.summary(), "220-mx.example.org ESMTP (+1 lines)");
}

}  // namespace smtpspec::validate
