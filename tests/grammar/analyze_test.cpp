// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Runs PEGTL's grammar analysis over every top-level rule: it finds rules that
// can repeat without consuming input, and left recursion.

#include "grammar/rules/address.hpp"
#include "grammar/rules/command.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/literal.hpp"
#include "grammar/rules/reply.hpp"

#include <tao/pegtl/contrib/analyze.hpp>

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

template <typename Rule>
void expect_no_issues_in()
{
    EXPECT_EQ(tao::pegtl::analyze<Rule>(0), 0U) << tao::pegtl::demangle<Rule>();
}

template <typename... Rules>
void expect_no_issues()
{
    (expect_no_issues_in<Rules>(), ...);
}

TEST(grammar_rules_analyze, phase1_rules_have_no_issues)
{
    expect_no_issues<r::ehlo, r::helo, r::mail, r::rcpt, r::data, r::rset, r::vrfy, r::expn,
                     r::help, r::noop, r::quit, r::Mailbox, r::Reverse_path, r::Forward_path,
                     r::address_literal, r::IPv6_addr, r::Keyword, r::Argument, r::String,
                     r::Mail_parameters, r::Rcpt_parameters, r::Reply_line, r::Greeting,
                     r::CRLF, r::WSP>();
}

}  // namespace
}  // namespace smtpspec::grammar::test
