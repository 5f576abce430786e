// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/reply_parser.hpp: whole replies, one or more lines.

#include "grammar/reply_parser.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace smtpspec::grammar
{
namespace
{

parsed_reply ok(std::string_view text, reply_options options = {})
{
    const reply_result r = parse_reply(text, options);
    if (const auto* e = std::get_if<reply_error>(&r)) {
        ADD_FAILURE() << "line " << e->line << ": " << e->error.message;
        return {};
    }
    return std::get<parsed_reply>(r);
}

reply_error error(std::string_view text, reply_options options = {})
{
    const reply_result r = parse_reply(text, options);
    if (!std::holds_alternative<reply_error>(r)) {
        ADD_FAILURE() << "accepted: " << std::string(text);
        return {};
    }
    return std::get<reply_error>(r);
}

// spec: 4.2 test
TEST(grammar_reply_parser, one_and_many_lines_4_2)
{
    EXPECT_EQ(ok("250 OK\r\n"), (parsed_reply{250, std::nullopt, {"OK"}}));
    EXPECT_EQ(ok("354\r\n"), (parsed_reply{354, std::nullopt, {""}}));
    EXPECT_EQ(ok("250-mx.example.org\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"),
              (parsed_reply{250, std::nullopt, {"mx.example.org", "SIZE 1000", "8BITMIME"}}));
    // A continuation line may have no text at all: Reply-code "-" CRLF.
    EXPECT_EQ(ok("220-\r\n220 ready\r\n"), (parsed_reply{220, std::nullopt, {"", "ready"}}));
}

// spec: 4.2.1 R-4.2.1-5 test
TEST(grammar_reply_parser, mixed_codes_are_refused_B36)
{
    const reply_error e = error("220-mx.example.org ESMTP\r\n521 5.7.1 service unavailable\r\n");
    EXPECT_EQ(e.line, 1U);
    EXPECT_EQ(e.error.rule, "Reply-code");
    EXPECT_EQ(e.error.offset, 0U);
    EXPECT_EQ(e.error.reply_code, 500);
    EXPECT_NE(e.error.message.find("521 differs from 220"), std::string::npos) << e.error.message;
}

// spec: 4.2 test
TEST(grammar_reply_parser, missing_last_line_and_trailing_octets_4_2)
{
    reply_error e = error("250-a\r\n250-b\r\n");
    EXPECT_EQ(e.line, 2U);
    EXPECT_EQ(e.error.rule, "Reply-line");
    EXPECT_NE(e.error.message.find("last line"), std::string::npos);
    e = error("");
    EXPECT_EQ(e.line, 0U);
    EXPECT_EQ(e.error.rule, "Reply-line");
    e = error("250 a\r\n250 b\r\n");
    EXPECT_EQ(e.line, 1U);
    EXPECT_NE(e.error.message.find("after the last line"), std::string::npos);
}

// An EHLO reply whose last line is the code and a space (Postfix's smtp-sink
// sends one): outside the ABNF, but the form 4.2.1 asks for when there is no
// text, so the reply parser takes it.
// spec: 4.2.1 R-4.2.1-3 test
TEST(grammar_reply_parser, last_line_of_code_and_space_4_2_1)
{
    const auto r = parse_reply("250-mx.example.org\r\n250-PIPELINING\r\n250 \r\n");
    ASSERT_TRUE(std::holds_alternative<parsed_reply>(r));
    EXPECT_EQ(std::get<parsed_reply>(r),
              (parsed_reply{250, std::nullopt, {"mx.example.org", "PIPELINING", ""}}));
}

// spec: 4.2 test
TEST(grammar_reply_parser, code_and_separator_mistakes_4_2)
{
    struct row
    {
        std::string text;
        std::size_t line;
        std::string rule;
        std::size_t offset;
    };
    const std::vector<row> rows{
        {"25 OK\r\n", 0, "Reply-code", 2},   // two digits
        {"650 OK\r\n", 0, "Reply-code", 0},  // first digit 2..5
        {"260 OK\r\n", 0, "Reply-code", 1},  // second digit 0..5
        {"250_OK\r\n", 0, "Reply-line", 3},  // neither SP nor "-"
        {"250-a\r\n250 b\n", 1, "CRLF", 6},  // bare LF ends nothing
        {"250-a\r\n2500 b\r\n", 1, "Reply-line", 3},
    };
    for (const row& r : rows) {
        SCOPED_TRACE(r.text);
        const reply_error e = error(r.text);
        EXPECT_EQ(e.line, r.line) << e.error.message;
        EXPECT_EQ(e.error.rule, r.rule) << e.error.message;
        EXPECT_EQ(e.error.offset, r.offset) << e.error.message;
    }
}

// spec: 4.5.3.1.5 R-4.5.3.1-1 test
TEST(grammar_reply_parser, line_of_512_octets_and_one_over_4_5_3_1_5)
{
    const std::string text510(506, 'x');  // "250 " + 506 + CRLF = 512 octets
    EXPECT_EQ(ok("250-a\r\n250 " + text510 + "\r\n").lines.at(1), text510);
    const reply_error e = error("250-a\r\n250 " + text510 + "y\r\n");
    EXPECT_EQ(e.line, 1U);
    EXPECT_EQ(e.error.rule, "Reply-line");
    EXPECT_EQ(e.error.offset, 512U);
    EXPECT_NE(e.error.message.find("4.5.3.1.5"), std::string::npos);
}

// RFC 2034 4: the status agrees with the code and starts every line.
TEST(grammar_reply_parser, enhanced_status_codes_rfc2034)
{
    const reply_options esc{true};
    const parsed_reply r = ok("250-2.1.0 first\r\n250 2.1.0 second\r\n", esc);
    ASSERT_TRUE(r.status.has_value());
    EXPECT_EQ(*r.status, (enhanced_status{2, 1, 0}));
    EXPECT_EQ(r.lines, (std::vector<std::string>{"2.1.0 first", "2.1.0 second"}));
    // Not asked for: no status is read.
    EXPECT_FALSE(ok("250 2.1.0 ok\r\n").status.has_value());
    // A 3yz reply carries none, and a reply without one is left to the session.
    EXPECT_FALSE(ok("354 go ahead\r\n", esc).status.has_value());
    EXPECT_FALSE(ok("250 ok\r\n", esc).status.has_value());

    reply_error e = error("250 5.1.0 no\r\n", esc);
    EXPECT_EQ(e.line, 0U);
    EXPECT_EQ(e.error.rule, "status-code");
    EXPECT_EQ(e.error.offset, 4U);
    e = error("550-5.1.1 a\r\n550 5.1.2 b\r\n", esc);
    EXPECT_EQ(e.line, 1U);
    EXPECT_EQ(e.error.rule, "status-code");
}

TEST(grammar_reply_parser, assembler_reads_replies_one_after_another)
{
    reply_assembler a;
    EXPECT_FALSE(a.add("250-a\r\n").has_value());
    EXPECT_TRUE(a.in_reply());
    auto done = a.add("250 b\r\n");
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(std::get<parsed_reply>(*done), (parsed_reply{250, std::nullopt, {"a", "b"}}));
    EXPECT_FALSE(a.in_reply());
    // After an error the next line starts a new reply.
    EXPECT_FALSE(a.add("220-x\r\n").has_value());
    done = a.add("521 y\r\n");
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(std::get<reply_error>(*done).line, 1U);
    done = a.add("221 bye\r\n");
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(std::get<parsed_reply>(*done).code, 221);
}

// parse(format(r)) == r for every reply format_reply() can write.
RC_GTEST_PROP(grammar_reply_parser, parse_of_format_is_identity, ())
{
    // Reply-code = %x32-35 %x30-35 %x30-39 (4.2); text is textstring, HTAB or SP to "~".
    const int code =
        100 * *rc::gen::inRange(2, 6) + 10 * *rc::gen::inRange(0, 6) + *rc::gen::inRange(0, 10);
    const auto text_gen = rc::gen::container<std::string>(
        rc::gen::oneOf(rc::gen::inRange<char>(32, 127), rc::gen::just('\t')));
    const auto lines =
        *rc::gen::resize(20, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(
                                 rc::gen::resize(100, text_gen))));
    const reply r{code, lines};
    const std::string wire = format_reply(r);
    const reply_result got = parse_reply(wire);
    RC_ASSERT(std::holds_alternative<parsed_reply>(got));
    RC_ASSERT(std::get<parsed_reply>(got).plain() == r);
}

}  // namespace
}  // namespace smtpspec::grammar
