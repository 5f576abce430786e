// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The parser-related rows of tests/known-faults.md (the "B" rows), one
// test each; the test name starts with the row id.

#include "grammar/parse.hpp"

#include "grammar/rules/reply.hpp"
#include "grammar/rules/trace.hpp"

#include <tao/pegtl.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace smtpspec::grammar
{
namespace
{

/// Expects @p line to be refused with the given rule, offset and code.
void expect_error(const std::string& line, const std::string& rule, std::size_t offset,
                  int code)
{
    SCOPED_TRACE("line \"" + line + "\"");
    const command_result r = parse_command(line);
    ASSERT_TRUE(std::holds_alternative<syntax_error>(r)) << "accepted";
    const syntax_error& e = std::get<syntax_error>(r);
    EXPECT_EQ(e.rule, rule) << e.message;
    EXPECT_EQ(e.offset, offset) << e.message;
    EXPECT_EQ(e.reply_code, code) << e.message;
}

/// Expects @p line to parse, and returns the command.
command expect_command(const std::string& line)
{
    const command_result r = parse_command(line);
    EXPECT_TRUE(std::holds_alternative<command>(r))
        << line << ": " << std::get<syntax_error>(r).message;
    return std::holds_alternative<command>(r) ? std::get<command>(r) : command{};
}

mailbox mail_box(const std::string& line)
{
    const command c = expect_command(line);
    const auto* m = std::get_if<mail_command>(&c);
    return m != nullptr && m->from.value ? m->from.value->box : mailbox{};
}

mailbox rcpt_box(const std::string& line)
{
    const command c = expect_command(line);
    const auto* r = std::get_if<rcpt_command>(&c);
    return r != nullptr && r->to.value ? r->to.value->box : mailbox{};
}

// spec: 4.1.2 R-4.1.2-12 test
// spec: 4.1.4 R-4.1.4-14 test
TEST(grammar_known_faults, B11_invalid_local_part_and_no_domain_is_501)
{
    // ";" is not atext; the parser must not add a domain or repair the local part.
    // After "<" a source route or a Mailbox may start; ";" starts neither, so the
    // Path that holds both is named.
    expect_error("MAIL FROM:<;sleep 66;>\r\n", "Path", 11, 501);
    expect_error("MAIL FROM:<root;sleep 66;>\r\n", "Mailbox", 15, 501);
    expect_error("MAIL FROM:<root>\r\n", "Mailbox", 15, 501);
}

TEST(grammar_known_faults, B12_quoted_local_part_with_space_is_valid)
{
    EXPECT_EQ(mail_box("MAIL FROM:<\"Alex Example\"@example.org>\r\n"),
              (mailbox{"\"Alex Example\"", "example.org"}));
    EXPECT_EQ(rcpt_box("RCPT TO:<\"odd user\"@example.org>\r\n"),
              (mailbox{"\"odd user\"", "example.org"}));
}

// spec: 4.1.4 R-4.1.4-14 test
TEST(grammar_known_faults, B13_quoted_local_part_valid_and_invalid_forms)
{
    EXPECT_EQ(mail_box("MAIL FROM:<\" \"@example.org>\r\n"), (mailbox{"\" \"", "example.org"}));
    expect_error("MAIL FROM:<just\"not\"right@example.org>\r\n", "Mailbox", 15, 501);
    expect_error("MAIL FROM:<this is\"not\\allowed@example.org>\r\n", "Mailbox", 15, 501);
}

TEST(grammar_known_faults, B14_printing_keeps_the_quotes)
{
    for (const std::string arg : {"<\"a b\"@example.org>", "<\"@\"@example.org>"}) {
        SCOPED_TRACE(arg);
        const command c = expect_command("MAIL FROM:" + arg + "\r\n");
        const reverse_path& from = std::get<mail_command>(c).from;
        EXPECT_EQ(to_string(from), arg);
        const command again = expect_command("MAIL FROM:" + to_string(from) + "\r\n");
        EXPECT_EQ(std::get<mail_command>(again).from, from);
    }
}

// spec: 4.1.4 R-4.1.4-14 test
TEST(grammar_known_faults, B16_path_without_angle_brackets_is_501)
{
    expect_error("MAIL FROM:alice@example.org\r\n", "Reverse-path", 10, 501);
    expect_error("RCPT TO:alice@example.org\r\n", "Forward-path", 8, 501);
}

// spec: 4.5.1 R-4.5.1-4 test
// spec: 4.5.1 R-4.5.1-3 test
TEST(grammar_known_faults, B17_postmaster_forms)
{
    expect_error("RCPT TO:Postmaster\r\n", "Forward-path", 8, 501);
    for (const std::string line : {"RCPT TO:<Postmaster>\r\n", "RCPT TO:<postmaster>\r\n",
                                   "RCPT TO:<POSTMASTER>\r\n"}) {
        const command c = expect_command(line);
        EXPECT_TRUE(std::get<rcpt_command>(c).to.bare_postmaster) << line;
    }
}

TEST(grammar_known_faults, B18_garbage_after_the_path_is_501)
{
    expect_error("MAIL FROM:<>>>>>\r\n", "mail", 12, 501);
    expect_error("MAIL FROM:<a@example.org>>>\r\n", "mail", 25, 501);
    expect_error("RCPT TO:<b@example.org>!\r\n", "rcpt", 23, 501);
}

TEST(grammar_known_faults, B19_ipv4_address_literal_in_mailbox_is_valid)
{
    EXPECT_EQ(rcpt_box("RCPT TO:<test@[192.0.2.123]>\r\n"), (mailbox{"test", "[192.0.2.123]"}));
}

// spec: 3.6.3 R-3.6.3-4 test (null path exists only as a reverse-path)
TEST(grammar_known_faults, B22_null_forward_path_is_501)
{
    expect_error("RCPT TO:<>\r\n", "Forward-path", 9, 501);
}

// spec: 3.6.3 R-3.6.3-4 test
TEST(grammar_known_faults, B23_null_reverse_path_is_valid)
{
    const command c = expect_command("MAIL FROM:<>\r\n");
    EXPECT_TRUE(std::get<mail_command>(c).from.is_null());
}

TEST(grammar_known_faults, B25_two_mailboxes_in_one_rcpt_is_501)
{
    expect_error("RCPT TO:<a@example.org,b@example.org>\r\n", "Forward-path", 22, 501);
}

TEST(grammar_known_faults, B28_body_values_are_syntactically_esmtp_values)
{
    // Which BODY values exist is RFC 6152's business (phase 2); for RFC 5321
    // all three are esmtp-params.
    for (const std::string value : {"8bitMIME", "7bit", "9BIT"}) {
        const command c = expect_command("MAIL FROM:<a@example.org> BODY=" + value + "\r\n");
        const auto& params = std::get<mail_command>(c).params;
        ASSERT_EQ(params.size(), 1U);
        EXPECT_EQ(params[0], (esmtp_param{"BODY", value}));
    }
}

TEST(grammar_known_faults, B29_equals_sign_inside_esmtp_value_is_501)
{
    expect_error("MAIL FROM:<a@example.org> XTEST=a=b\r\n", "mail", 33, 501);
}

TEST(grammar_known_faults, B30_rcpt_parameters_are_not_part_of_the_path)
{
    const command c = expect_command("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE\r\n");
    const rcpt_command& r = std::get<rcpt_command>(c);
    EXPECT_EQ(r.to.value->box, (mailbox{"b", "example.org"}));
    ASSERT_EQ(r.params.size(), 1U);
    EXPECT_EQ(r.params[0], (esmtp_param{"NOTIFY", "SUCCESS,FAILURE"}));
}

template <typename Rule>
bool accepts_line(const std::string& line)
{
    tao::pegtl::memory_input<> in(line, "B41");
    return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>>(in);
}

// spec: 4.4 R-4.4-3 test (Received: line structure)
TEST(grammar_known_faults, B41_erratum_1683_several_registered_clauses)
{
    const std::string line = "Received: from a.example.net by mx.example.org via TCP with ESMTP"
                             " id 17 for <b@example.org> AAA x BBB y;"
                             " Fri, 4 Dec 2026 15:00:00 +0000\r\n";
    EXPECT_TRUE(accepts_line<rules::Time_stamp_line>(line));
    // The rule as printed before the erratum allows one clause only.
    EXPECT_FALSE(accepts_line<rules::as_printed::Time_stamp_line>(line));
}

// spec: 4.2 R-4.2-7 test (a code alone is an acceptable reply line)
TEST(grammar_known_faults, B35_last_greeting_line_without_text_is_valid)
{
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("220-mx.example.org ESMTP\r\n")),
              (reply_line{220, false, "mx.example.org ESMTP"}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("220-no bulk mail\r\n")),
              (reply_line{220, false, "no bulk mail"}));
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("220\r\n")), (reply_line{220, true, ""}));
    EXPECT_TRUE(accepts_line<rules::Greeting>(
        "220-mx.example.org ESMTP\r\n220-no bulk mail\r\n220\r\n"));
}

// spec: 4.2 R-4.2-12 test (second digit 0..5 only, per the Reply-code ABNF)
TEST(grammar_known_faults, B37_reply_code_299_is_a_syntax_error)
{
    const auto r = parse_reply_line("299 odd\r\n");
    ASSERT_TRUE(std::holds_alternative<syntax_error>(r));
    EXPECT_EQ(std::get<syntax_error>(r).rule, "Reply-code");
    EXPECT_EQ(std::get<syntax_error>(r).offset, 1U);
    EXPECT_EQ(std::get<reply_line>(parse_reply_line("257 2.0.0 unlisted but legal\r\n")).code,
              257);
}

// spec: 4.5.3.1 R-4.5.3.1-1 test (512 octets must be accepted, more may be refused)
TEST(grammar_known_faults, B38_over_long_command_line_is_500)
{
    expect_error("NOOP " + std::string(600, 'a') + "\r\n", "command", 512, 500);
    expect_error(std::string(1 << 20, 'a'), "command", 512, 500);
}

// spec: 4.1.4 R-4.1.4-5 test (refused EHLO: 501)
TEST(grammar_known_faults, B43_ehlo_and_helo_without_domain_are_501)
{
    expect_error("EHLO\r\n", "ehlo", 4, 501);
    expect_error("HELO\r\n", "helo", 4, 501);
    expect_error("EHLO \r\n", "ehlo", 5, 501);
}

// spec: 2.3.8 R-2.3.8-1 test (only CRLF ends a line)
TEST(grammar_known_faults, B48_bare_lf_inside_a_command_line_is_one_bad_line)
{
    expect_error("HELO client.example.net\nMAIL FROM:<>\r\n", "helo", 23, 501);
    expect_error("HELO x\nMAIL FROM:<>\r\n", "helo", 6, 501);
    expect_error("NOOP\nQUIT\r\n", "noop", 4, 501);
    expect_error("FOO\nQUIT\r\n", "command", 0, 500);
    const command_result r = parse_command("HELO x\nMAIL FROM:<>\r\n");
    EXPECT_NE(std::get<syntax_error>(r).message.find("bare LF"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::grammar
