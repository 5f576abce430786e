// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// How traces and logs show octets: valid UTF-8 as it is, everything else that
// a terminal would not show plainly as an escape.

#include "reference/trace.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::reference
{
namespace
{

TEST(reference_trace, printable_keeps_ascii_and_escapes_controls)
{
    EXPECT_EQ(printable("250 OK"), "250 OK");
    EXPECT_EQ(printable("a\r\nb\tc\\d"), "a\\r\\nb\\tc\\\\d");
    EXPECT_EQ(printable(std::string("\x00\x01\x1b[31m\x7f", 8)), "\\x00\\x01\\x1B[31m\\x7F");
}

// RFC 6531 3.7.4.1: in an SMTPUTF8 session a reply may carry a UTF-8 mailbox.
TEST(reference_trace, printable_shows_valid_utf8_as_utf8_rfc3629_4)
{
    EXPECT_EQ(printable("251 2.1.5 j\xc3\xb6rg@b\xc3\xbc"
                        "cher.example"),
              "251 2.1.5 j\xc3\xb6rg@b\xc3\xbc"
              "cher.example");
    EXPECT_EQ(printable("\xe7\x94\xa8\xe6\x88\xb7 \xf0\x9f\x98\x80 \xc2\xa0"),
              "\xe7\x94\xa8\xe6\x88\xb7 \xf0\x9f\x98\x80 \xc2\xa0");
}

TEST(reference_trace, printable_escapes_each_octet_of_invalid_utf8_rfc3629_4)
{
    // clang-format off
    EXPECT_EQ(printable("caf\xe9"), "caf\\xE9");                        // Latin-1
    EXPECT_EQ(printable("\xff\xfe"), "\\xFF\\xFE");
    EXPECT_EQ(printable("\xc3"), "\\xC3");                              // cut short at the end
    EXPECT_EQ(printable("\xc3("), "\\xC3(");                            // cut short by ASCII
    EXPECT_EQ(printable("\xc0\xaf"), "\\xC0\\xAF");                     // overlong "/"
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xED\\xA0\\x80");            // a UTF-16 surrogate
    EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");   // past U+10FFFF
    EXPECT_EQ(printable("\x80\xc3\xa9"), "\\x80\xc3\xa9");              // a stray tail, then é
    // clang-format on
}

TEST(reference_trace, printable_escapes_characters_that_change_the_layout)
{
    // clang-format off
    EXPECT_EQ(printable("a\xc2\x85" "b"), "a\\xC2\\x85b");               // NEL, a C1 control
    EXPECT_EQ(printable("\xc2\x9b" "31m"), "\\xC2\\x9B31m");             // CSI, a C1 control
    EXPECT_EQ(printable("a\xe2\x80\xa8" "b"), "a\\xE2\\x80\\xA8b");      // LINE SEPARATOR
    EXPECT_EQ(printable("\xe2\x80\xae" "cba"), "\\xE2\\x80\\xAEcba");    // RIGHT-TO-LEFT OVERRIDE
    EXPECT_EQ(printable("\xe2\x81\xa6" "x"), "\\xE2\\x81\\xA6x");        // LEFT-TO-RIGHT ISOLATE
    EXPECT_EQ(printable("\xd8\x9c"), "\\xD8\\x9C");                     // ARABIC LETTER MARK
    // clang-format on
}

TEST(reference_trace, log_quoted_keeps_utf8_and_escapes_quotes)
{
    EXPECT_EQ(log_quoted("j\xc3\xb6rg \"x\"\xff"), "\"j\xc3\xb6rg \\\"x\\\"\\xFF\"");
}

TEST(reference_trace, formats_show_utf8_replies)
{
    const trace_event e{7, trace_source::server, "251 2.1.5 j\xc3\xb6rg \xff", std::nullopt};
    EXPECT_EQ(format_text(e), "7 S: 251 2.1.5 j\xc3\xb6rg \\xFF");
    // JSON Lines: the line is a JSON string of valid UTF-8; the escape's
    // backslash is JSON-escaped in turn.
    EXPECT_EQ(format_json(e),
              "{\"line\":\"251 2.1.5 j\xc3\xb6rg \\\\xFF\",\"session\":7,\"source\":\"S\"}");
    EXPECT_EQ(format(e, trace_format::text), format_text(e));
}

}  // namespace
}  // namespace smtpspec::reference
