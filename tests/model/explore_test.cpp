// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/explore.hpp"

#include "model/dot.hpp"
#include "model/switches.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>

namespace smtpspec::model
{
namespace
{

// The counts below are the documented ones (docs/model.md); a change to
// step() that changes them must update both.
constexpr std::size_t rfc5321_states = 46;
constexpr std::size_t rfc5321_transitions = 3161;

std::string all_violations(const exploration& e)
{
    std::string out;
    for (const auto& v : e.violations) {
        out += std::string{v.invariant} + ": " + v.detail + "\n" + e.transcript(v.path);
    }
    return out;
}

bool is_data(const input& in)
{
    const auto* c = std::get_if<grammar::command>(&in);
    return c != nullptr && std::holds_alternative<grammar::data_command>(*c);
}

// spec: 3.3 R-3.3-11 R-3.3-13 test
// spec: 4.1.4 R-4.1.4-6 R-4.1.4-17 test
// spec: 3.1 R-3.1-4 test
TEST(model_explore, rfc5321_holds_every_invariant)
{
    const auto e = explore(rfc5321());
    EXPECT_TRUE(e.violations.empty()) << all_violations(e);
    EXPECT_FALSE(e.truncated);
    EXPECT_EQ(e.states.size(), rfc5321_states);
    EXPECT_EQ(e.edges.size(), rfc5321_transitions);
}

// WG #116 changes edges, not the set of states.
TEST(model_explore, rfc5321bis_holds_every_invariant)
{
    const auto e = explore(rfc5321bis());
    EXPECT_TRUE(e.violations.empty()) << all_violations(e);
    EXPECT_EQ(e.states.size(), rfc5321_states);
    EXPECT_EQ(e.edges.size(), rfc5321_transitions);
}

TEST(model_explore, every_switch_combination_of_the_session_holds)
{
    for (const bool mail_503 : {false, true}) {
        for (const bool helo_resets : {false, true}) {
            for (const bool greeting_554 : {false, true}) {
                profile p = rfc5321();
                p.mail_in_transaction_is_503 = mail_503;
                p.helo_resets_transaction = helo_resets;
                p.greeting_554 = greeting_554;
                const auto e = explore(p);
                EXPECT_TRUE(e.violations.empty())
                    << mail_503 << helo_resets << greeting_554 << "\n" << all_violations(e);
            }
        }
    }
}

TEST(model_explore, recipient_abstraction_keeps_the_limit)
{
    const auto e = explore(rfc5321());
    std::vector<std::string> rcpt_states;
    for (const auto& s : e.states) {
        if (s.at == phase::rcpt && s.extended && !s.tls) {
            rcpt_states.push_back(e.describe(s));
        }
    }
    EXPECT_EQ(rcpt_states, (std::vector<std::string>{"rcpt ehlo n=1", "rcpt ehlo n=2",
                                                     "rcpt ehlo n=3..99", "rcpt ehlo n=100"}));
}

// spec: 4.5.3.1.10 R-4.5.3.1.10-2 test
TEST(model_explore, exact_exploration_of_a_small_limit_matches_the_abstraction)
{
    profile p = rfc5321();
    p.max_recipients = 5;
    explore_options exact;
    exact.exact_recipients = 5;
    explore_options abstract;
    abstract.exact_recipients = 1;
    const auto full = explore(p, exact);
    const auto small = explore(p, abstract);
    EXPECT_TRUE(full.violations.empty()) << all_violations(full);
    EXPECT_TRUE(small.violations.empty()) << all_violations(small);
    // n=1..5 exact against n=1, n=2..4, n=5: two fewer counts, each in eight
    // phase/flag combinations (rcpt and data, EHLO and HELO, with and without
    // TLS).
    EXPECT_EQ(full.states.size(), small.states.size() + 2 * 8);
}

outcome permits_data_without_rcpt(const profile& p, const state& s, const input& in)
{
    outcome o = step(p, s, in);
    if (s.at == phase::mail && is_data(in)) {
        state next = s;
        next.at = phase::data;
        o.permitted.insert(o.permitted.begin(), transition{354, next, spec::ref{"4.1.1.4"}});
    }
    return o;
}

outcome keeps_ehlo_across_the_handshake(const profile& p, const state& s, const input& in)
{
    outcome o = step(p, s, in);
    if (std::holds_alternative<tls_established_event>(in) && s.at == phase::handshake) {
        for (auto& t : o.permitted) {
            t.next.extended = true;
        }
    }
    return o;
}

TEST(model_explore, a_handshake_that_keeps_state_is_caught)
{
    const auto e = explore(rfc5321(), {}, default_alphabet(), keeps_ehlo_across_the_handshake);
    const auto v = first_violation(e, "tls-reset");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->detail, "[TLS handshake done] in handshake leads to greeted ehlo tls");
    EXPECT_EQ(e.violations.size(), e.count("tls-reset"));
}

// spec: 3.3 R-3.3-13 test
TEST(model_explore, a_step_that_permits_354_without_rcpt_is_caught)
{
    const auto e = explore(rfc5321(), {}, default_alphabet(), permits_data_without_rcpt);
    const auto v = first_violation(e, "data-needs-rcpt");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->detail, "354 to DATA in mail ehlo leads to data ehlo");
    EXPECT_EQ(e.transcript(v->path),
              "C: [connect]\n"
              "S: 220  [3.1] -> greeted\n"
              "C: EHLO client.example.net\n"
              "S: 250  [4.1.1.1 R-4.5.1-2] -> ready ehlo\n"
              "C: MAIL FROM:<alice@example.net>\n"
              "S: 250  [4.1.1.2 R-3.3-1] -> mail ehlo\n"
              "C: DATA\n"
              "S: 354  [4.1.1.4] -> data ehlo\n");
    // From "mail ehlo" and "mail helo", with and without TLS; only that
    // invariant breaks.
    EXPECT_EQ(e.count("data-needs-rcpt"), 4U);
    EXPECT_EQ(e.violations.size(), e.count("data-needs-rcpt"));
}

outcome refused_rcpt_moves_on(const profile& p, const state& s, const input& in)
{
    outcome o = step(p, s, in);
    const auto* c = std::get_if<grammar::command>(&in);
    if (c != nullptr && std::holds_alternative<grammar::rcpt_command>(*c)) {
        for (auto& t : o.permitted) {
            if (t.code == 550) {
                t.next.at = phase::ready;
            }
        }
    }
    return o;
}

// spec: 4.1.4 R-4.1.4-6 test
TEST(model_explore, a_refusal_that_changes_the_state_is_caught)
{
    const auto e = explore(rfc5321(), {}, default_alphabet(), refused_rcpt_moves_on);
    const auto v = first_violation(e, "refusal-keeps-state");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->detail, "550 to RCPT TO:<bob@example.org> moves mail ehlo to ready ehlo");
    EXPECT_EQ(v->path.size(), 4U);
}

outcome quit_ignored_after_554(const profile& p, const state& s, const input& in)
{
    const auto* c = std::get_if<grammar::command>(&in);
    if (s.refused && c != nullptr && std::holds_alternative<grammar::quit_command>(*c)) {
        return outcome{{{503, s, spec::ref{"3.1"}}}};
    }
    return step(p, s, in);
}

// spec: 3.1 R-3.1-4 test
// spec: 4.1.1.10 R-4.1.1.10-1 test
TEST(model_explore, a_refused_session_that_cannot_quit_is_caught)
{
    const auto e = explore(rfc5321(), {}, default_alphabet(), quit_ignored_after_554);
    const auto v = first_violation(e, "quit-221");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->detail, "greeted refused does not answer QUIT with 221");
    EXPECT_EQ(e.transcript(v->path), "C: [connect]\nS: 554  [3.1 R-3.1-3] -> greeted refused\n");
    EXPECT_TRUE(first_violation(e, "orderly-close").has_value());
}

TEST(model_explore, an_alphabet_without_quit_is_reported)
{
    auto alphabet = default_alphabet();
    std::erase_if(alphabet, [](const labelled_input& l) { return l.name == "QUIT"; });
    const auto e = explore(rfc5321(), {}, alphabet);
    EXPECT_TRUE(first_violation(e, "alphabet-covers-commands").has_value());
    EXPECT_TRUE(first_violation(e, "quit-221").has_value());
}

// WG #116: HELO resets an open transaction in rfc5321bis only.
// spec: 4.1.4 R-4.1.4-4 test
TEST(model_explore, diff_rfc5321_rfc5321bis_is_the_helo_reset_116)
{
    const auto a = explore(rfc5321());
    const auto b = explore(rfc5321bis());
    const auto d = diff(a, b);
    ASSERT_FALSE(d.only_in_first.empty());
    ASSERT_EQ(d.only_in_first.size(), d.only_in_second.size());
    EXPECT_TRUE(d.states_only_in_first.empty());
    EXPECT_TRUE(d.states_only_in_second.empty());
    for (const std::size_t n : d.only_in_first) {
        const auto& g = a.edges[n];
        EXPECT_EQ(a.alphabet[g.input].name, "HELO");
        EXPECT_EQ(g.code, 250);
        EXPECT_TRUE(a.states[g.from].in_transaction());
        EXPECT_TRUE(a.states[g.to].in_transaction()) << "rfc5321 keeps the transaction";
    }
    for (const std::size_t n : d.only_in_second) {
        const auto& g = b.edges[n];
        EXPECT_EQ(b.alphabet[g.input].name, "HELO");
        EXPECT_EQ(b.states[g.to].at, phase::ready) << "rfc5321bis resets it";
    }
    // mail and rcpt (n=1, n=2, n=3..99, n=100), after EHLO or HELO, with and
    // without TLS.
    EXPECT_EQ(d.only_in_first.size(), 20U);
}

TEST(model_explore, setting_the_116_switch_removes_the_difference)
{
    profile p = rfc5321();
    ASSERT_TRUE(find_profile_switch("helo_resets_transaction")->set(p, "true"));
    const auto d = diff(explore(p), explore(rfc5321bis()));
    EXPECT_TRUE(d.only_in_first.empty());
    EXPECT_TRUE(d.only_in_second.empty());
}

TEST(model_dot, graph_has_every_state_and_labels_edges_by_input_and_code)
{
    const auto e = explore(rfc5321());
    const std::string dot = to_dot(e);
    EXPECT_TRUE(dot.starts_with("digraph \"rfc5321\" {\n"));
    EXPECT_NE(dot.find("s0 [label=\"connecting\"]"), std::string::npos) << dot;
    EXPECT_NE(dot.find("[label=\"rcpt\\nehlo n=100\"]"), std::string::npos) << dot;
    EXPECT_NE(dot.find("DATA 354"), std::string::npos) << dot;
    EXPECT_EQ(dot.find("disconnect"), std::string::npos) << "closing edges are left out";
    EXPECT_NE(to_dot(e, {true, true}).find("disconnect -"), std::string::npos);
}

TEST(model_dot, diff_colours_the_116_edges)
{
    const std::string dot = to_dot_diff(explore(rfc5321()), explore(rfc5321bis()));
    EXPECT_NE(dot.find("[label=\"HELO 250\", color=red"), std::string::npos) << dot;
    EXPECT_NE(dot.find("[label=\"HELO 250\", color=blue"), std::string::npos) << dot;
}

}  // namespace
}  // namespace smtpspec::model
