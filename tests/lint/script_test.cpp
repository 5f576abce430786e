// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/script.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smtpspec::lint
{
namespace
{

std::vector<entry> parse_ok(std::string_view text)
{
    auto parsed = parse_script(text);
    if (auto* e = std::get_if<format_error>(&parsed)) {
        ADD_FAILURE() << "line " << e->line << ": " << e->message;
        return {};
    }
    return std::get<std::vector<entry>>(parsed);
}

TEST(LintScript, LinesGetCrlfUnlessTheyEndInCrOrLf)
{
    const auto entries = parse_ok("# comment\n\nC: EHLO a.example\nS: 250 ok\\r\\n\n"
                                  "C: hello\\n.\\r\\n\nC: part\\\nC:\n");
    ASSERT_EQ(entries.size(), 5U);
    EXPECT_EQ(entries[0], (entry{entry_kind::client, "EHLO a.example\r\n", "", 3}));
    EXPECT_EQ(entries[1], (entry{entry_kind::server, "250 ok\r\n", "", 4}));
    EXPECT_EQ(entries[2].octets, "hello\n.\r\n");
    EXPECT_EQ(entries[3].octets, "part");
    EXPECT_EQ(entries[4].octets, "\r\n");
    EXPECT_EQ(entries[4].line, 7U);
}

TEST(LintScript, EscapesAndCrlfFiles)
{
    const auto entries = parse_ok("C: a\\tb\\\\c\\x00\\xfF\r\nS: 220\r\n");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].octets, std::string("a\tb\\c\0\xff\r\n", 9));
    EXPECT_EQ(entries[1].octets, "220\r\n");
}

TEST(LintScript, Directives)
{
    const auto entries = parse_ok("expect 250\nexpect 2xx\nexpect close\nstarttls\nreconnect\n");
    ASSERT_EQ(entries.size(), 5U);
    EXPECT_EQ(entries[0], (entry{entry_kind::expect_reply, "", "250", 1}));
    EXPECT_EQ(entries[1].code, "2xx");
    EXPECT_EQ(entries[2].kind, entry_kind::expect_close);
    EXPECT_EQ(entries[3].kind, entry_kind::starttls);
    EXPECT_EQ(entries[4].kind, entry_kind::reconnect);
}

TEST(LintScript, ErrorsNameTheLine)
{
    EXPECT_EQ(std::get<format_error>(parse_script("C: ok\nC: bad \\q\n")),
              (format_error{2, "unknown escape \\q (column 9); use \\r, \\n, \\t, \\\\ or \\xHH"}));
    EXPECT_EQ(std::get<format_error>(parse_script("C: \\x4\n")).line, 1U);
    EXPECT_EQ(std::get<format_error>(parse_script("\n\nexpect 600\n")),
              (format_error{3, "expect needs a reply code such as 250 or 2xx, or close; got "
                               "\"600\""}));
    EXPECT_EQ(std::get<format_error>(parse_script("C:EHLO x\n")),
              (format_error{1, "a space must follow \"C:\""}));
    EXPECT_EQ(std::get<format_error>(parse_script("EHLO x\n")).line, 1U);
}

TEST(LintScript, EscapeLineRoundTrips)
{
    const std::vector<std::string> lines = {
        "EHLO x\r\n", "hello\n.\r\n", "a\\b\r\n", "\r\n", "no end", std::string("\0\x7f\r\r\n", 5),
        "x\n\r\n"};
    for (const std::string& line : lines) {
        const std::string text = "C: " + escape_line(line) + "\n";
        const auto entries = parse_ok(text);
        ASSERT_EQ(entries.size(), 1U) << text;
        EXPECT_EQ(entries[0].octets, line) << text;
    }
    EXPECT_EQ(escape_line("EHLO x\r\n"), "EHLO x");
    EXPECT_EQ(escape_line("hello\n.\r\n"), "hello\\n.");
    EXPECT_EQ(escape_line("no end"), "no end\\");
}

}  // namespace
}  // namespace smtpspec::lint
