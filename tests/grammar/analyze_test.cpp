// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Runs PEGTL's grammar analysis over every top-level rule: it finds rules that
// can repeat without consuming input, and left recursion.

#include "grammar/rules/address.hpp"
#include "grammar/rules/command.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/ehlo.hpp"
#include "grammar/rules/extensions/auth.hpp"
#include "grammar/rules/extensions/body.hpp"
#include "grammar/rules/extensions/chunking.hpp"
#include "grammar/rules/extensions/dsn.hpp"
#include "grammar/rules/extensions/enhanced_status.hpp"
#include "grammar/rules/extensions/mt_priority.hpp"
#include "grammar/rules/extensions/size.hpp"
#include "grammar/rules/extensions/smtputf8.hpp"
#include "grammar/rules/extensions/smtputf8_trace.hpp"
#include "grammar/rules/extensions/starttls.hpp"
#include "grammar/rules/literal.hpp"
#include "grammar/rules/reply.hpp"
#include "grammar/rules/rfc5322.hpp"
#include "grammar/rules/trace.hpp"

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

TEST(grammar_rules_analyze, trace_and_ehlo_rules_have_no_issues)
{
    expect_no_issues<r::ehlo_ok_rsp, r::Return_path_line, r::Time_stamp_line, r::Stamp,
                     r::as_printed::Time_stamp_line, r::CFWS, r::comment, r::date_time,
                     r::msg_id, r::smtputf8::Return_path_line, r::smtputf8::Time_stamp_line>();
}

TEST(grammar_rules_analyze, extension_rules_have_no_issues)
{
    expect_no_issues<r::size::size_parameter, r::size::ehlo_size_line, r::size::size_param,
                     r::body::body_parameter, r::chunking::body_value,
                     r::enhancedstatuscodes::status_code, r::dsn::xtext,
                     r::dsn::notify_esmtp_value, r::dsn::orcpt_parameter,
                     r::dsn::envid_parameter, r::dsn::ret_value, r::chunking::bdat_cmd,
                     r::starttls::starttls, r::auth::auth_command, r::auth::auth_command_line,
                     r::auth::auth_param, r::auth::continue_req, r::mt_priority::Pri,
                     r::mt_priority::mt_priority_ehlo, r::mt_priority::mt_priority_parameter,
                     r::smtputf8::mail, r::smtputf8::rcpt, r::smtputf8::ehlo,
                     r::smtputf8::helo, r::smtputf8::vrfy, r::smtputf8::expn,
                     r::smtputf8::help, r::smtputf8::noop, r::smtputf8::Mailbox>();
}

}  // namespace
}  // namespace smtpspec::grammar::test
