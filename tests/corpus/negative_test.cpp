// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/negative.hpp"

#include "grammar/parse.hpp"

#include <gtest/gtest.h>

#include <set>

namespace smtpspec::corpus
{
namespace
{

const rule_set& rules() { return rule_set::grammar(); }

// Every near miss is refused, and its label is exactly what the parser says.
TEST(corpus_negative, near_misses_are_refused_with_the_parsers_label)
{
    for (const std::size_t r : rules().public_rules()) {
        negative_generator neg(rules(), 99);
        for (int i = 0; i < 40; ++i) {
            const auto s = neg.next(r);
            if (!s) {
                continue;
            }
            const verdict v = rules().check(r, s->text);
            ASSERT_FALSE(v.accepted) << rules().name(r);
            ASSERT_TRUE(v.error.has_value());
            EXPECT_EQ(*v.error, s->error) << rules().name(r);
            EXPECT_LE(s->error.offset, s->text.size()) << rules().name(r);
            EXPECT_NE(s->text, s->source);
        }
    }
}

// For commands the label is parse_command's own syntax_error.
// spec: 4.1.2 test
TEST(corpus_negative, command_labels_come_from_parse_command)
{
    const std::size_t mail = *rules().find("mail");
    negative_generator neg(rules(), 5);
    std::set<mutation> kinds;
    for (int i = 0; i < 200; ++i) {
        const auto s = neg.next(mail);
        ASSERT_TRUE(s.has_value());
        const auto parsed = grammar::parse_command(s->text);
        ASSERT_TRUE(std::holds_alternative<grammar::syntax_error>(parsed)) << s->text;
        EXPECT_EQ(std::get<grammar::syntax_error>(parsed), s->error);
        kinds.insert(s->how);
    }
    EXPECT_TRUE(kinds.contains(mutation::drop));
    EXPECT_TRUE(kinds.contains(mutation::insert_lf));
    EXPECT_TRUE(kinds.contains(mutation::insert_cr));
    EXPECT_TRUE(kinds.contains(mutation::insert_nul));
    EXPECT_TRUE(kinds.contains(mutation::over_limit));
}

// spec: 4.5.3.1.1 test
TEST(corpus_negative, over_limit_names_the_limited_rule)
{
    const std::size_t mailbox = *rules().find("Mailbox");
    negative_generator neg(rules(), 11);
    std::set<std::string> labels;
    for (int i = 0; i < 400; ++i) {
        const auto s = neg.next(mailbox);
        if (s && s->how == mutation::over_limit) {
            labels.insert(s->error.rule);
            EXPECT_EQ(s->error.reply_code, 501);
        }
    }
    EXPECT_TRUE(labels.contains("Local-part") || labels.contains("Domain")) << labels.size();
}

TEST(corpus_negative, same_seed_same_near_misses)
{
    const std::size_t rcpt = *rules().find("rcpt");
    negative_generator a(rules(), 8);
    negative_generator b(rules(), 8);
    for (int i = 0; i < 30; ++i) {
        const auto x = a.next(rcpt);
        const auto y = b.next(rcpt);
        ASSERT_EQ(x.has_value(), y.has_value());
        if (x) {
            EXPECT_EQ(x->text, y->text);
            EXPECT_EQ(x->error, y->error);
        }
    }
}

}  // namespace
}  // namespace smtpspec::corpus
