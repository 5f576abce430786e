// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/reflect.hpp"

#include "corpus/rule_set.hpp"
#include "grammar/rules/command.hpp"
#include "grammar/rules/core.hpp"

#include <gtest/gtest.h>

namespace smtpspec::corpus
{
namespace
{

namespace r = grammar::rules;

TEST(corpus_reflect, core_rules_become_charsets_and_sequences)
{
    const grammar_graph g = reflect<r::CRLF>();
    ASSERT_EQ(g.rules.size(), 3U);  // CRLF, CR, LF
    EXPECT_EQ(g.rules[0].name, "CRLF");
    const node& crlf = g.nodes[g.rules[0].node];
    ASSERT_EQ(crlf.kind, node_kind::rule);
    EXPECT_EQ(g.nodes[crlf.subs[0]].kind, node_kind::seq);
    const node& cr = g.nodes[g.nodes[g.rules[1].node].subs[0]];
    EXPECT_EQ(cr.kind, node_kind::charset);
    EXPECT_EQ(cr.chars.count(), 1U);
    EXPECT_TRUE(cr.chars.test('\r'));
}

TEST(corpus_reflect, ranges_with_a_single_octet_at_the_end)
{
    const grammar_graph g = reflect<r::CTL>();
    const node& ctl = g.nodes[g.nodes[g.rules[0].node].subs[0]];
    ASSERT_EQ(ctl.kind, node_kind::charset);
    EXPECT_EQ(ctl.chars.count(), 33U);  // %x00-1F and %x7F
    EXPECT_TRUE(ctl.chars.test(0x7f));
    EXPECT_FALSE(ctl.chars.test(' '));
}

TEST(corpus_reflect, istring_keeps_its_case_blindness)
{
    const grammar_graph g = reflect<r::quit>();
    bool found = false;
    for (const node& n : g.nodes) {
        if (n.kind == node_kind::literal && n.text == "QUIT") {
            found = true;
            EXPECT_TRUE(n.icase);
        }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(g.rules[1].name, "internal::verb_quit");
    EXPECT_TRUE(g.rules[1].internal);
}

TEST(corpus_reflect, repetitions_keep_their_bounds)
{
    const grammar_graph g = reflect<r::Snum>();  // DIGIT *2DIGIT
    bool found = false;
    for (const node& n : g.nodes) {
        if (n.kind == node_kind::repeat) {
            found = true;
            EXPECT_EQ(n.min, 0U);
            EXPECT_EQ(n.max, 2U);
        }
    }
    EXPECT_TRUE(found);
}

TEST(corpus_reflect, every_grammar_rule_is_in_the_rule_set)
{
    const rule_set& rs = rule_set::grammar();
    for (const char* name : {"mail", "rcpt", "Mailbox", "Reverse-path", "Forward-path",
                             "address-literal", "IPv6-addr", "Reply-line", "Greeting", "CRLF"}) {
        EXPECT_TRUE(rs.find(name).has_value()) << name;
    }
    EXPECT_FALSE(rs.find("internal::verb_mail").has_value());
    EXPECT_FALSE(rs.find("no-such-rule").has_value());
}

}  // namespace
}  // namespace smtpspec::corpus
