// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/command.hpp: the command lines of 4.1.1.

#include "grammar/rules/command.hpp"

#include "tests/grammar/abnf_regex.hpp"
#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

// spec: 2.4 R-2.4-1 test (verbs in any case)
TEST(grammar_rules_command, ehlo_helo_4_1_1_1)
{
    check_rows<r::ehlo>({
        {"EHLO mx.example.org\r\n", 21},
        {"ehlo mx\r\n", 9},
        {"EhLo [192.0.2.1]\r\n", 18},
        {"EHLO [IPv6:::1]\r\n", 17},
        {"EHLO\r\n", no_match},
        {"EHLO \r\n", no_match},
        {"EHLO a b\r\n", no_match},
        {"EHLO mx\n", no_match},
        {"EHLO mx \r\n", no_match},
    });
    check_rows<r::helo>({
        {"HELO mx.example.org\r\n", 21},
        {"helo x\r\n", 8},
        {"HELO [192.0.2.1]\r\n", no_match},  // HELO takes only a Domain
        {"HELO\r\n", no_match},
    });
}

// spec: 4.1.4 R-4.1.4-14 test (a bad MAIL argument does not parse)
TEST(grammar_rules_command, mail_4_1_1_2)
{
    check_rows<r::mail>({
        {"MAIL FROM:<a@b>\r\n", 17},
        {"mail from:<>\r\n", 14},
        {"MAIL FROM:<a@b> SIZE=10 BODY=8BITMIME\r\n", 39},
        {"MAIL FROM:<@x:a@b>\r\n", 20},
        {"MAIL FROM: <a@b>\r\n", no_match},  // no space after the colon
        {"MAIL FROM:a@b\r\n", no_match},
        {"MAIL  FROM:<a@b>\r\n", no_match},
        {"MAIL FROM:<a@b> \r\n", no_match},
        {"MAIL FROM:<a@b>\r\n\r\n", 17},
    });
    const std::vector<std::string> tokens{"MAIL FROM:", "mail from:", "<", ">", "<>", "a",
                                          "@", "b.c", " ", "SIZE=1", "=", "\r\n", "\"x y\"",
                                          "[1.2.3.4]", "@x:", "<a@b>", "<>\r\n", ">\r\n",
                                          " X=1", "<@x:"};
    std::vector<std::string> lines;
    for (const std::string& s : token_strings(tokens, 7, 30000)) {
        lines.push_back("MAIL FROM:" + s);
    }
    EXPECT_GT(expect_same_language<r::mail>(abnf::mail, lines), 200U);
}

// spec: 4.5.1 R-4.5.1-4 test ("RCPT TO:<Postmaster>" without a domain)
// spec: 4.5.1 R-4.5.1-3 test ("postmaster" in any case)
// spec: 4.1.1.3 R-4.1.1.3-2 test (source routes are recognised)
TEST(grammar_rules_command, rcpt_4_1_1_3)
{
    check_rows<r::rcpt>({
        {"RCPT TO:<b@example.org>\r\n", 25},
        {"RCPT TO:<Postmaster>\r\n", 22},
        {"RCPT TO:<pOsTmAsTeR>\r\n", 22},
        {"RCPT TO:<Postmaster@example.org>\r\n", 34},
        {"RCPT TO:<postmaster@[1.2.3.4]>\r\n", 32},
        {"RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>\r\n", 47},
        {"RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE\r\n", 48},
        {"RCPT TO:<>\r\n", no_match},
        {"RCPT TO:Postmaster\r\n", no_match},
        {"RCPT TO:<Postmaster> \r\n", no_match},
    });
    const std::vector<std::string> tokens{"<", ">", "<Postmaster", "postmaster", "@", "a",
                                          "b.c", " ", "X=1", "\r\n", "<>", "[1.2.3.4]", ":",
                                          "<Postmaster>", "<a@b>", ">\r\n", "\r\n", "<@x:"};
    std::vector<std::string> lines;
    for (const std::string& s : token_strings(tokens, 6, 30000)) {
        lines.push_back("RCPT TO:" + s);
    }
    EXPECT_GT(expect_same_language<r::rcpt>(abnf::rcpt, lines), 50U);
}

// spec: 4.1.1 R-4.1.1-4 test (DATA, RSET and QUIT take no parameters)
TEST(grammar_rules_command, commands_without_arguments_4_1_1)
{
    check_rows<r::data>({{"DATA\r\n", 6}, {"data\r\n", 6}, {"DATA x\r\n", no_match}});
    check_rows<r::rset>({{"RSET\r\n", 6}, {"RSET \r\n", no_match}});
    check_rows<r::quit>({{"QUIT\r\n", 6}, {"Quit\r\n", 6}, {"QUIT now\r\n", no_match}});
}

TEST(grammar_rules_command, commands_with_a_String_4_1_1)
{
    check_rows<r::vrfy>({{"VRFY smith\r\n", 12}, {"VRFY \"John Smith\"\r\n", 19},
                         {"VRFY\r\n", no_match}, {"VRFY john smith\r\n", no_match}});
    check_rows<r::expn>({{"EXPN list\r\n", 11}, {"EXPN\r\n", no_match}});
    check_rows<r::help>({{"HELP\r\n", 6}, {"HELP MAIL\r\n", 11}, {"HELP \r\n", no_match}});
    check_rows<r::noop>({{"NOOP\r\n", 6}, {"NOOP \"x y\"\r\n", 12}, {"NOOP a b\r\n", no_match}});
}

}  // namespace
}  // namespace smtpspec::grammar::test
