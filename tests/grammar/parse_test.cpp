// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/parse.hpp: typed parsing of commands, mailboxes and replies.

#include "grammar/parse.hpp"

#include "grammar/limits.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace smtpspec::grammar
{
namespace
{

/** One row of a command table: a line and the error it gives, or none. */
struct error_row
{
    std::string line;   ///< The whole line, CRLF included.
    std::string rule;   ///< Expected rule, or "" when the line is valid.
    std::size_t offset; ///< Expected offset.
    int code;           ///< Expected reply code.
};

void check_errors(const std::vector<error_row>& rows, const parse_options& options = {})
{
    for (const error_row& row : rows) {
        SCOPED_TRACE("line \"" + row.line + "\"");
        const command_result got = parse_command(row.line, options);
        if (row.rule.empty()) {
            EXPECT_TRUE(std::holds_alternative<command>(got))
                << std::get<syntax_error>(got).message;
            continue;
        }
        ASSERT_TRUE(std::holds_alternative<syntax_error>(got));
        const syntax_error& e = std::get<syntax_error>(got);
        EXPECT_EQ(e.rule, row.rule) << e.message;
        EXPECT_EQ(e.offset, row.offset) << e.message;
        EXPECT_EQ(e.reply_code, row.code) << e.message;
        EXPECT_FALSE(e.message.empty());
    }
}

template <typename T>
T parse_as(const std::string& line)
{
    const command_result got = parse_command(line);
    EXPECT_TRUE(std::holds_alternative<command>(got))
        << line << ": " << std::get<syntax_error>(got).message;
    const command& c = std::get<command>(got);
    EXPECT_TRUE(std::holds_alternative<T>(c)) << line;
    return std::get<T>(c);
}

// spec: 2.4 R-2.4-1 test (verbs in any case)
TEST(grammar_parse, every_verb_any_case_4_1_1)
{
    EXPECT_EQ(parse_as<ehlo_command>("ehlo mx.example.org\r\n"),
              (ehlo_command{"mx.example.org", false}));
    EXPECT_EQ(parse_as<ehlo_command>("EHLO [192.0.2.1]\r\n"), (ehlo_command{"[192.0.2.1]", true}));
    EXPECT_EQ(parse_as<helo_command>("Helo x\r\n"), (helo_command{"x"}));
    EXPECT_EQ(parse_as<data_command>("data\r\n"), data_command{});
    EXPECT_EQ(parse_as<rset_command>("RSet\r\n"), rset_command{});
    EXPECT_EQ(parse_as<vrfy_command>("VRFY \"John Smith\"\r\n"),
              (vrfy_command{"\"John Smith\""}));
    EXPECT_EQ(parse_as<expn_command>("expn list\r\n"), (expn_command{"list"}));
    EXPECT_EQ(parse_as<help_command>("HELP\r\n"), (help_command{}));
    EXPECT_EQ(parse_as<help_command>("HELP mail\r\n"), (help_command{"mail"}));
    EXPECT_EQ(parse_as<noop_command>("NOOP\r\n"), (noop_command{}));
    EXPECT_EQ(parse_as<noop_command>("noop x\r\n"), (noop_command{"x"}));
    EXPECT_EQ(parse_as<quit_command>("QUIT\r\n"), quit_command{});
}

// spec: 2.4 R-2.4-3 test (local-part case kept)
// spec: 4.1.2 R-4.1.2-1 test (source route accepted)
TEST(grammar_parse, mail_values_4_1_1_2)
{
    const mail_command m =
        parse_as<mail_command>("MAIL FROM:<@a.example,@b.example:User@Example.org> SIZE=10 "
                               "BODY=8BITMIME SMTPUTF8\r\n");
    ASSERT_FALSE(m.from.is_null());
    EXPECT_EQ(m.from.value->source_route, "@a.example,@b.example");
    EXPECT_EQ(m.from.value->box, (mailbox{"User", "Example.org"}));
    ASSERT_EQ(m.params.size(), 3U);
    EXPECT_EQ(m.params[0], (esmtp_param{"SIZE", "10"}));
    EXPECT_EQ(m.params[1], (esmtp_param{"BODY", "8BITMIME"}));
    EXPECT_EQ(m.params[2], (esmtp_param{"SMTPUTF8", std::nullopt}));
    EXPECT_TRUE(parse_as<mail_command>("MAIL FROM:<>\r\n").from.is_null());
}

// spec: 4.5.1 R-4.5.1-4 test (<Postmaster> without a domain)
TEST(grammar_parse, rcpt_values_4_1_1_3)
{
    const rcpt_command a = parse_as<rcpt_command>("RCPT TO:<postmaster>\r\n");
    EXPECT_TRUE(a.to.bare_postmaster);
    EXPECT_FALSE(a.to.value.has_value());
    const rcpt_command b = parse_as<rcpt_command>("RCPT TO:<PostMaster@example.org>\r\n");
    EXPECT_FALSE(b.to.bare_postmaster);
    EXPECT_EQ(b.to.value->box, (mailbox{"PostMaster", "example.org"}));
    const rcpt_command c = parse_as<rcpt_command>("RCPT TO:<\"a>b\"@example.org> X=1\r\n");
    EXPECT_EQ(c.to.value->box, (mailbox{"\"a>b\"", "example.org"}));
    ASSERT_EQ(c.params.size(), 1U);
    EXPECT_EQ(c.params[0], (esmtp_param{"X", "1"}));
}

// spec: 4.1.4 R-4.1.4-5 test (bad EHLO: 501)
// spec: 4.1.4 R-4.1.4-14 test (bad MAIL argument: 501)
// spec: 4.1.2 R-4.1.2-12 test (invalid characters: 501)
TEST(grammar_parse, errors_name_rule_offset_and_code_4_1_1)
{
    check_errors({
        {"FOO\r\n", "command", 0, 500},
        {"EHLOX\r\n", "command", 0, 500},
        {"\r\n", "command", 0, 500},
        {"MAIL\r\n", "mail", 4, 501},
        {"MAIL TO:<a@b>\r\n", "mail", 5, 501},
        {"EHLO a_b\r\n", "ehlo", 6, 501},
        {"HELO a-.b\r\n", "Let-dig", 7, 501},
        {"MAIL FROM:<a@exa_mple.org>\r\n", "Path", 16, 501},
        {"VRFY\r\n", "vrfy", 4, 501},
        {"DATA x\r\n", "data", 4, 501},
        {"QUIT\r\nQUIT\r\n", "quit", 6, 501},
        {"NOOP a b\r\n", "noop", 6, 501},
    });
}

// spec: 2.3.8 R-2.3.8-1 test (no other line terminator)
TEST(grammar_parse, line_must_end_in_crlf_2_3_8)
{
    check_errors({
        {"QUIT", "CRLF", 4, 500},
        {"QUIT\n", "CRLF", 5, 500},
        {"QUIT\r", "CRLF", 5, 500},
        {"QUIT\r\r\n", "quit", 5, 501},  // CR then CR: the LF is missing at 5
        {"NOOP a\rb\r\n", "noop", 7, 501},
    });
}

// spec: 2.4 R-2.4-9 test (non-ASCII in a command: 500)
TEST(grammar_parse, eight_bit_octets_are_500_2_4)
{
    check_errors({
        {"MAIL FROM:<j\xc3\xb6rg@example.org>\r\n", "command", 12, 500},
        {"\xff\r\n", "command", 0, 500},
    });
}

// spec: 4.1.1 R-4.1.1-1 test (trailing white space tolerated when asked)
TEST(grammar_parse, trailing_space_is_lenient_only_on_request_4_1_1)
{
    check_errors({
        {"QUIT \r\n", "quit", 4, 501},
        {"MAIL FROM:<a@b> \r\n", "Mail-parameters", 16, 501},
        {"EHLO x\t\r\n", "ehlo", 6, 501},
        // HTAB ends the verb as SP does: a known verb with bad syntax is 501.
        {"NOOP\t\r\n", "noop", 4, 501},
    });
    const parse_options lenient{.tolerate_trailing_space = true};
    check_errors({
                     {"QUIT \r\n", "", 0, 0},
                     {"MAIL FROM:<a@b> \r\n", "", 0, 0},
                     {"EHLO x\t \r\n", "", 0, 0},
                     // WG #105: dropped before the verb is read.
                     {"NOOP\t\r\n", "", 0, 0},
                     {"RSET \t\r\n", "", 0, 0},
                     {"HELO \r\n", "helo", 4, 501},
                     {"MAIL FROM:<a@b>  X\r\n", "Mail-parameters", 16, 501},
                 },
                 lenient);
    const command_result r = parse_command("EHLO x \r\n", lenient);
    EXPECT_EQ(std::get<ehlo_command>(std::get<command>(r)).domain, "x");
}

// spec: 4.5.3.1 R-4.5.3.1-1 test (512-octet command lines are accepted)
TEST(grammar_parse, command_line_limit_4_5_3_1_4)
{
    const std::string at_limit = "NOOP " + std::string(505, 'a') + "\r\n";
    ASSERT_EQ(at_limit.size(), limits::command_line_octets);
    check_errors({
        {at_limit, "", 0, 0},
        {"NOOP " + std::string(506, 'a') + "\r\n", "command", 512, 500},
        {"NOOP " + std::string(600, 'a') + "\r\n", "command", 512, 500},
    });
    const parse_options with_size{.command_line_octets = limits::command_line_octets + 26};
    check_errors({{"NOOP " + std::string(531, 'a') + "\r\n", "", 0, 0},
                  {"NOOP " + std::string(532, 'a') + "\r\n", "command", 538, 500}},
                 with_size);
}

// spec: 4.5.3.1 R-4.5.3.1-1 test (64-octet local parts are accepted)
TEST(grammar_parse, local_part_domain_and_path_limits_4_5_3_1)
{
    const std::string local64(64, 'l');
    const std::string label63(63, 'd');
    // 4 labels of 63 octets and 3 dots: 255 octets.
    const std::string domain255 = label63 + '.' + label63 + '.' + label63 + '.' + label63;
    ASSERT_EQ(domain255.size(), limits::domain_octets);
    check_errors({
        {"MAIL FROM:<" + local64 + "@x>\r\n", "", 0, 0},
        {"MAIL FROM:<" + local64 + "l@x>\r\n", "Local-part", 75, 501},
        {"EHLO " + domain255 + "\r\n", "", 0, 0},
        {"EHLO " + domain255 + "x\r\n", "Domain", 260, 501},
        {"RCPT TO:<x@" + domain255 + "x>\r\n", "Domain", 266, 501},
        // <a@ + 252 + > is 256 octets; one more is over.
        {"RCPT TO:<a@" + domain255.substr(0, 252) + ">\r\n", "", 0, 0},
        {"RCPT TO:<ab@" + domain255.substr(0, 252) + ">\r\n", "Forward-path", 264, 501},
        {"MAIL FROM:<@" + domain255 + ":a@b.c>\r\n", "Reverse-path", 266, 501},
    });
}

TEST(grammar_parse, address_literal_comments_4_1_3)
{
    check_errors({
        {"EHLO [255.255.255.255]\r\n", "", 0, 0},
        {"EHLO [1.2.3.256]\r\n", "Snum", 12, 501},
        {"RCPT TO:<a@[999.1.1.1]>\r\n", "Snum", 12, 501},
        {"EHLO [IPv6:1::2:3:4:5:6]\r\n", "", 0, 0},
        {"EHLO [IPv6:1::2:3:4:5:6:7]\r\n", "IPv6-comp", 11, 501},
        {"EHLO [IPv6:1::2:3:4:1.2.3.4]\r\n", "", 0, 0},
        {"EHLO [IPv6:1::2:3:4:5:1.2.3.4]\r\n", "IPv6v4-comp", 11, 501},
        {"EHLO [IPv6:::ffff:1.2.3.300]\r\n", "Snum", 24, 501},
        {"EHLO [IPv6:::1x]\r\n", "IPv6-addr", 11, 501},
        {"EHLO [x-tag:anything]\r\n", "", 0, 0},
    });
}

TEST(grammar_parse, smtputf8_option_rfc6531_3_3)
{
    const parse_options utf8{.smtputf8 = true};
    const std::string line = "MAIL FROM:<j\xc3\xb6rg@b\xc3\xbc" "cher.example> SMTPUTF8\r\n";
    const command_result r = parse_command(line, utf8);
    ASSERT_TRUE(std::holds_alternative<command>(r)) << std::get<syntax_error>(r).message;
    const mail_command& m = std::get<mail_command>(std::get<command>(r));
    EXPECT_EQ(m.from.value->box, (mailbox{"j\xc3\xb6rg", "b\xc3\xbc" "cher.example"}));
    ASSERT_EQ(m.params.size(), 1U);
    EXPECT_EQ(m.params[0], (esmtp_param{"SMTPUTF8", std::nullopt}));

    EXPECT_EQ(std::get<vrfy_command>(std::get<command>(
                  parse_command("VRFY j\xc3\xb6rg SMTPUTF8\r\n", utf8))),
              (vrfy_command{"j\xc3\xb6rg", true}));
    EXPECT_EQ(std::get<expn_command>(std::get<command>(
                  parse_command("EXPN \"a b\" SMTPUTF8\r\n", utf8))),
              (expn_command{"\"a b\"", true}));
    EXPECT_EQ(std::get<vrfy_command>(std::get<command>(parse_command("VRFY x\r\n", utf8))),
              (vrfy_command{"x", false}));
    // RFC 6531 3.7.1: EHLO and HELO keep ASCII domains even so.
    for (const char* hello : {"EHLO b\xc3\xbc" "cher.example\r\n",
                              "HELO b\xc3\xbc" "cher.example\r\n"}) {
        const command_result bad = parse_command(hello, utf8);
        ASSERT_TRUE(std::holds_alternative<syntax_error>(bad)) << hello;
        EXPECT_EQ(std::get<syntax_error>(bad).reply_code, 501) << hello;
    }
    EXPECT_EQ(std::get<ehlo_command>(std::get<command>(
                  parse_command("EHLO xn--bcher-kva.example\r\n", utf8))),
              (ehlo_command{"xn--bcher-kva.example", false}));

    // Without the option the same line is refused as non-ASCII (2.4).
    check_errors({{line, "command", 12, 500}});
    // With it, octets that are not UTF-8 are a syntax error.
    check_errors({{"MAIL FROM:<j\xffrg@example.org>\r\n", "Mailbox", 12, 501},
                  {"RCPT TO:<a@\xc3\xa9->\r\n", "U-label", 14, 501}},
                 utf8);
}

TEST(grammar_parse, ehlo_keyword_lines_4_1_1_1)
{
    EXPECT_EQ(std::get<ehlo_keyword_line>(parse_ehlo_line("AUTH PLAIN LOGIN")),
              (ehlo_keyword_line{"AUTH", {"PLAIN", "LOGIN"}}));
    EXPECT_EQ(std::get<ehlo_keyword_line>(parse_ehlo_line("8BITMIME")),
              (ehlo_keyword_line{"8BITMIME", {}}));
    const auto bad = parse_ehlo_line("SIZE  100");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(bad));
    EXPECT_EQ(std::get<syntax_error>(bad).offset, 5U);
    EXPECT_TRUE(std::holds_alternative<syntax_error>(parse_ehlo_line("-X")));
    EXPECT_TRUE(std::holds_alternative<syntax_error>(parse_ehlo_line("")));
}

// spec: 4.1.1.1 test
TEST(grammar_parse, ehlo_greeting_lines_4_1_1_1)
{
    EXPECT_EQ(std::get<ehlo_greeting_line>(parse_ehlo_greeting_line("mx.example.org")),
              (ehlo_greeting_line{"mx.example.org", ""}));
    EXPECT_EQ(std::get<ehlo_greeting_line>(
                  parse_ehlo_greeting_line("mx.example.org Hello client [192.0.2.1]")),
              (ehlo_greeting_line{"mx.example.org", "Hello client [192.0.2.1]"}));
    const auto empty = parse_ehlo_greeting_line("");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(empty));
    EXPECT_EQ(std::get<syntax_error>(empty).rule, "Domain");
    EXPECT_EQ(std::get<syntax_error>(empty).offset, 0U);
    // An address literal is no Domain in ehlo-ok-rsp, and a Domain ends at
    // a space: after it only SP ehlo-greet may come.
    EXPECT_TRUE(std::holds_alternative<syntax_error>(parse_ehlo_greeting_line("[192.0.2.1]")));
    EXPECT_TRUE(std::holds_alternative<syntax_error>(parse_ehlo_greeting_line(" mx.example.org")));
    const auto trailing_dash = parse_ehlo_greeting_line("mx-.example.org");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(trailing_dash));
}

TEST(grammar_parse, parse_mailbox_4_1_2)
{
    const auto ok = parse_mailbox("\"a b\"@example.org");
    ASSERT_TRUE(std::holds_alternative<mailbox>(ok));
    EXPECT_EQ(std::get<mailbox>(ok), (mailbox{"\"a b\"", "example.org"}));
    const auto literal = parse_mailbox("a@[IPv6:2001:db8::1]");
    ASSERT_TRUE(std::holds_alternative<mailbox>(literal));
    EXPECT_EQ(std::get<mailbox>(literal).domain, "[IPv6:2001:db8::1]");

    const auto bad = parse_mailbox("a b@example.org");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(bad));
    EXPECT_EQ(std::get<syntax_error>(bad), (syntax_error{"Mailbox", 1,
                                                         std::get<syntax_error>(bad).message,
                                                         501}));
    const auto no_domain = parse_mailbox("ab");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(no_domain));
    EXPECT_EQ(std::get<syntax_error>(no_domain).rule, "Mailbox");
    EXPECT_EQ(std::get<syntax_error>(no_domain).offset, 2U);
    const auto trailing = parse_mailbox("a@b ");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(trailing));
    EXPECT_EQ(std::get<syntax_error>(trailing).offset, 3U);
    const auto long_local = parse_mailbox(std::string(65, 'x') + "@b");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(long_local));
    EXPECT_EQ(std::get<syntax_error>(long_local).rule, "Local-part");
    EXPECT_EQ(std::get<syntax_error>(long_local).offset, 64U);
}

// spec: 4.2 R-4.2-7 test (a code without text is acceptable)
// spec: 4.2 R-4.2-12 test (first digit 2..5)
TEST(grammar_parse, reply_lines_4_2)
{
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("250-mx.example.org\r\n")),
              (reply_line{250, false, "mx.example.org"}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("250 2.0.0 OK\r\n")),
              (reply_line{250, true, "2.0.0 OK"}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("220\r\n")), (reply_line{220, true, ""}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("250-\r\n")), (reply_line{250, false, ""}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("250  x\r\n")),
              (reply_line{250, true, " x"}));
    // Not in the ABNF, asked for by the prose of 4.2.1 (R-4.2.1-3): the code
    // and its space with no text. The rule Reply-line alone still refuses it.
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("250 \r\n")),
              (reply_line{250, true, "", true}));
    EXPECT_FALSE(std::get<reply_line>(parse_reply_line("250\r\n")).space_without_text);

    const struct
    {
        std::string line;
        std::string rule;
        std::size_t offset;
    } bad[] = {
        {"299 odd\r\n", "Reply-code", 1},
        {"600 x\r\n", "Reply-code", 0},
        {"299 \r\n", "Reply-code", 1},  // the space-only form still needs a valid code
        {"250", "CRLF", 3},
        {"250 a\nb\r\n", "Reply-line", 5},
        {"250x\r\n", "Reply-line", 3},
        {"250 " + std::string(507, 'a') + "\r\n", "Reply-line", 512},
    };
    for (const auto& row : bad) {
        SCOPED_TRACE(row.line);
        const auto got = parse_reply_line(row.line);
        ASSERT_TRUE(std::holds_alternative<syntax_error>(got));
        EXPECT_EQ(std::get<syntax_error>(got).rule, row.rule);
        EXPECT_EQ(std::get<syntax_error>(got).offset, row.offset);
    }
    EXPECT_TRUE(std::holds_alternative<reply_line>(
        parse_reply_line("250 " + std::string(506, 'a') + "\r\n")));
}

}  // namespace
}  // namespace smtpspec::grammar
