// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/transcript.hpp"

#include <gtest/gtest.h>

namespace smtpspec::validate
{

TEST(ValidateTranscript, KeepsRawOctetsAndRendersThemEscaped)
{
    transcript t;
    t.add(direction::note, "connected");
    t.add(direction::server, "220 hi\r\n");
    t.add(direction::client, std::string{"NOOP \x01\xff\\\r\n"});
    ASSERT_EQ(t.entries().size(), 3U);
    EXPECT_EQ(t.entries()[1].octets, "220 hi\r\n");
    EXPECT_EQ(t.to_text(), "# connected\nS: 220 hi\\r\\n\nC: NOOP \\x01\\xFF\\\\\\r\\n\n");
}

TEST(ValidateTranscript, StopsAtItsSizeBoundWithOneNote)
{
    transcript t{10};
    t.add(direction::server, "12345");
    t.add(direction::server, "1234567");
    t.add(direction::server, "1");
    ASSERT_EQ(t.entries().size(), 2U);
    EXPECT_EQ(t.entries()[1].from, direction::note);
}

}  // namespace smtpspec::validate
