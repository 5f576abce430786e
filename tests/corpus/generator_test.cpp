// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/generator.hpp"

#include "corpus/rule_set.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace smtpspec::corpus
{
namespace
{

const rule_set& rules() { return rule_set::grammar(); }

std::size_t rule(std::string_view name)
{
    const auto r = rules().find(name);
    EXPECT_TRUE(r.has_value()) << name;
    return r.value_or(0);
}

std::string show(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

// The generator's promise: every string it makes for a rule parses with that
// rule (and with the rule's typed parser, where there is one), over many seeds.
TEST(corpus_generator, every_sample_of_every_rule_parses)
{
    constexpr int samples = 150;
    for (const std::size_t r : rules().public_rules()) {
        generator g(rules(), 20261204);
        for (int i = 0; i < samples; ++i) {
            const auto s = g.generate(r);
            ASSERT_TRUE(s.has_value()) << rules().name(r);
            const verdict v = rules().check(r, *s);
            ASSERT_TRUE(v.accepted) << rules().name(r) << ": \"" << show(*s) << "\" "
                                    << (v.error ? v.error->message : "");
        }
    }
}

// The 4.4 trace rules are where PEG and ABNF part most often (runs of folds in
// FWS and CFWS, a msg-id's trailing CFWS before the next clause), and where the
// grammar uses look-aheads (at, not_at, eof) to keep the languages equal: more
// seeds, guided and unguided.
TEST(corpus_generator, trace_samples_parse_over_more_seeds_4_4)
{
    for (const char* name : {"Time-stamp-line", "Stamp", "Opt-info", "ID", "Extended-Domain",
                             "as-printed::Time-stamp-line", "as-printed::Opt-info"}) {
        for (const std::uint64_t seed : {1U, 2U, 3U}) {
            generator g(rules(), seed);
            g.set_guided(seed != 2);
            for (int i = 0; i < 100; ++i) {
                const auto s = g.generate(rule(name));
                ASSERT_TRUE(s.has_value()) << name << " seed " << seed;
                const verdict v = rules().check(rule(name), *s);
                ASSERT_TRUE(v.accepted) << name << ": \"" << show(*s) << "\" "
                                        << (v.error ? v.error->message : "");
            }
        }
    }
}

TEST(corpus_generator, random_fill_after_coverage_parses_too)
{
    for (const char* name : {"mail", "rcpt", "ehlo", "Mailbox", "Reply-line", "Greeting"}) {
        generator g(rules(), 7);
        g.set_guided(false);
        for (int i = 0; i < 300; ++i) {
            g.reseed(static_cast<std::uint64_t>(i));
            const auto s = g.generate(rule(name));
            ASSERT_TRUE(s.has_value()) << name;
            const verdict v = rules().check(rule(name), *s);
            ASSERT_TRUE(v.accepted) << name << ": \"" << show(*s) << "\"";
        }
    }
}

TEST(corpus_generator, same_seed_same_samples)
{
    generator a(rules(), 42);
    generator b(rules(), 42);
    generator c(rules(), 43);
    std::vector<std::string> sa;
    std::vector<std::string> sc;
    for (int i = 0; i < 50; ++i) {
        const auto x = a.generate(rule("mail"));
        const auto y = b.generate(rule("mail"));
        ASSERT_EQ(x, y);
        sa.push_back(x.value_or(""));
        sc.push_back(c.generate(rule("mail")).value_or(""));
    }
    EXPECT_NE(sa, sc);
}

// The coverage goal of issue 8: every alternative, every repetition bound and
// every 4.5.3.1 maximum below mail and rcpt, in a bounded number of samples.
TEST(corpus_generator, covers_mail_and_rcpt_completely)
{
    for (const char* name : {"mail", "rcpt", "ehlo", "Mailbox"}) {
        generator g(rules(), 1);
        int samples = 0;
        while (!g.complete(rule(name)) && samples < 3000) {
            g.generate(rule(name));
            ++samples;
        }
        const rule_coverage c = g.coverage(rule(name));
        std::string missing;
        for (const auto& m : c.missing) {
            missing += "\n  " + m;
        }
        EXPECT_TRUE(c.complete()) << name << " after " << samples << " samples:" << missing;
        EXPECT_EQ(c.alternatives_hit, c.alternatives) << name;
        EXPECT_GT(c.alternatives, 10U) << name;
    }
}

TEST(corpus_generator, coverage_counts_only_what_is_below_the_rule)
{
    generator g(rules(), 3);
    const rule_coverage quit = g.coverage(rule("quit"));
    EXPECT_EQ(quit.alternatives, 0U);
    const rule_coverage rp = g.coverage(rule("Reverse-path"));
    EXPECT_GT(rp.alternatives, 2U);
    EXPECT_FALSE(rp.complete());
}

}  // namespace
}  // namespace smtpspec::corpus
