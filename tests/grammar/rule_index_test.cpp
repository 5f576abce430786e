// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rule_index.hpp: every rule by name, parse trees, errors.

#include "grammar/rule_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace smtpspec::grammar
{
namespace
{

// clang-format off
// The 75 rules of RFC 5321's ABNF (4.1.1 to 4.1.3, 4.2, 4.4), as the RFC spells them.
const std::vector<std::string> rfc5321_rules{
    "ehlo", "helo", "ehlo-ok-rsp", "ehlo-greet", "ehlo-line", "ehlo-keyword", "ehlo-param",
    "mail", "rcpt", "data", "rset", "vrfy", "expn", "help", "noop", "quit",
    "Reverse-path", "Forward-path", "Path", "A-d-l", "At-domain", "Mail-parameters",
    "Rcpt-parameters", "esmtp-param", "esmtp-keyword", "esmtp-value", "Keyword", "Argument",
    "Domain", "sub-domain", "Let-dig", "Ldh-str", "address-literal", "Mailbox", "Local-part",
    "Dot-string", "Atom", "Quoted-string", "QcontentSMTP", "quoted-pairSMTP", "qtextSMTP",
    "String",
    "IPv4-address-literal", "IPv6-address-literal", "General-address-literal",
    "Standardized-tag", "dcontent", "Snum", "IPv6-addr", "IPv6-hex", "IPv6-full", "IPv6-comp",
    "IPv6v4-full", "IPv6v4-comp",
    "Greeting", "textstring", "Reply-line", "Reply-code",
    "Return-path-line", "Time-stamp-line", "Stamp", "From-domain", "By-domain",
    "Extended-Domain", "TCP-info", "Opt-info", "Via", "With", "ID", "For",
    "Additional-Registered-Clauses", "Link", "Addtl-Link", "Protocol", "Attdl-Protocol"};
// clang-format on

TEST(grammar_rule_index, every_rfc5321_rule_is_there_with_its_section)
{
    ASSERT_EQ(rfc5321_rules.size(), 75U);
    for (const std::string& name : rfc5321_rules) {
        SCOPED_TRACE(name);
        const rule_info* r = find_rule(name);
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->name, name);
        EXPECT_TRUE(r->section.starts_with("RFC 5321 4.")) << r->section;
    }
    EXPECT_EQ(find_rule("Reverse_path"), find_rule("Reverse-path"));
    EXPECT_EQ(find_rule("dsn::xtext")->section, "RFC 3461 4");
    EXPECT_EQ(find_rule("ALPHA")->section, "RFC 5234 B.1");
    EXPECT_EQ(find_rule("reverse-path"), nullptr);  // Names keep the RFC's capitals.
    EXPECT_EQ(find_rule("no-such-rule"), nullptr);
}

TEST(grammar_rule_index, tree_lists_named_rules_parents_first)
{
    const rule_parse p = find_rule("Mailbox")->parse("user@example.org");
    ASSERT_FALSE(p.error.has_value()) << p.error->message;
    ASSERT_GE(p.tree.size(), 3U);
    EXPECT_EQ(p.tree[0].identifier, "Mailbox");
    EXPECT_EQ(p.tree[0].begin, 0U);
    EXPECT_EQ(p.tree[0].end, 16U);
    EXPECT_EQ(p.tree[0].depth, 0U);
    EXPECT_EQ(p.tree[1].identifier, "Local_part");
    EXPECT_EQ(p.tree[1].end, 4U);
    EXPECT_EQ(p.tree[1].depth, 1U);
    const auto domain = std::ranges::find(p.tree, "Domain", &tree_node::identifier);
    ASSERT_NE(domain, p.tree.end());
    EXPECT_EQ(domain->begin, 5U);
    EXPECT_EQ(domain->end, 16U);
    EXPECT_EQ(domain->depth, 1U);
    for (std::size_t i = 1; i < p.tree.size(); ++i) {
        EXPECT_LE(p.tree[i].depth, p.tree[i - 1].depth + 1) << i;
    }
}

TEST(grammar_rule_index, backtracked_alternatives_leave_no_nodes)
{
    // Local-part tries Dot-string first; on a Quoted-string its Atom nodes must go.
    const rule_parse p = find_rule("Local-part")->parse("\"a b\"");
    ASSERT_FALSE(p.error.has_value());
    EXPECT_EQ(p.tree[1].identifier, "Quoted_string");
    for (const tree_node& n : p.tree) {
        EXPECT_NE(n.identifier, "Dot_string");
        EXPECT_NE(n.identifier, "Atom");
    }
}

TEST(grammar_rule_index, failure_names_rule_and_offset)
{
    const rule_parse p = find_rule("Mailbox")->parse("user@");
    ASSERT_TRUE(p.error.has_value());
    EXPECT_TRUE(p.tree.empty());
    EXPECT_EQ(p.error->offset, 5U);
    EXPECT_EQ(p.error->rule, "Mailbox");
}

}  // namespace
}  // namespace smtpspec::grammar
