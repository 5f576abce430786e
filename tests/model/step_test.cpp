// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/step.hpp"

#include "spec/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace smtpspec::model
{
namespace
{

std::vector<int> codes(const outcome& o)
{
    std::vector<int> out;
    for (const auto& t : o.permitted) {
        out.push_back(t.code);
    }
    return out;
}

state after(const profile& p, state s, const input& in, int code)
{
    const auto o = step(p, s, in);
    const auto* t = o.find(code);
    EXPECT_NE(t, nullptr) << "code " << code << " not permitted";
    return t ? t->next : s;
}

state ready_state(const profile& p)
{
    state s = after(p, {}, connect_event{}, 220);
    return after(p, s, grammar::command{grammar::ehlo_command{"client.example", false}}, 250);
}

const grammar::command mail{grammar::mail_command{}};
const grammar::command rcpt{grammar::rcpt_command{}};
const grammar::command data{grammar::data_command{}};

// spec: 3.1 R-3.1-3 test
TEST(model_step, greeting_is_220_or_554)
{
    const auto o = step(rfc5321(), {}, connect_event{});
    EXPECT_EQ(codes(o), (std::vector<int>{220, 554, 421}));
    EXPECT_EQ(o.permitted.front().next.at, phase::greeted);
    EXPECT_EQ(o.permitted.front().why.section().str(), "3.1");
}

// spec: 4.1.4 R-4.1.4-1 test (known fault B44)
TEST(model_step, mail_before_ehlo_is_503_B44)
{
    const state s = after(rfc5321(), {}, connect_event{}, 220);
    const auto o = step(rfc5321(), s, mail);
    EXPECT_EQ(o.permitted.front().code, 503);
    EXPECT_EQ(o.permitted.front().next, s);
    EXPECT_EQ(spec::to_string(o.permitted.front().why), "4.1.4 R-4.1.4-1 R-4.1.4-16");
}

// spec: 4.1.4 R-4.1.4-11 test
TEST(model_step, noop_before_ehlo_is_250_B44)
{
    const state s = after(rfc5321(), {}, connect_event{}, 220);
    EXPECT_EQ(step(rfc5321(), s, grammar::command{grammar::noop_command{}}).permitted.front().code,
              250);
}

// spec: 3.3 R-3.3-10 test
TEST(model_step, rcpt_without_mail_is_503)
{
    const auto o = step(rfc5321(), ready_state(rfc5321()), rcpt);
    EXPECT_EQ(o.permitted.front().code, 503);
    EXPECT_EQ(spec::to_string(o.permitted.front().why), "3.3 R-3.3-10");
}

// spec: 3.3 R-3.3-11 test
TEST(model_step, data_without_recipient_is_503_or_554)
{
    state s = after(rfc5321(), ready_state(rfc5321()), mail, 250);
    const auto o = step(rfc5321(), s, data);
    EXPECT_EQ(o.permitted.at(0).code, 503);
    EXPECT_EQ(o.permitted.at(1).code, 554);
    EXPECT_EQ(o.find(354), nullptr);
}

// spec: 4.1.4 R-4.1.4-13 test
TEST(model_step, mail_inside_transaction_is_503_wg101)
{
    const state s = after(rfc5321(), ready_state(rfc5321()), mail, 250);
    const auto o = step(rfc5321(), s, mail);
    EXPECT_EQ(o.permitted.front().code, 503);
    EXPECT_EQ(o.permitted.front().why.issues().front().number(), 101);
}

TEST(model_step, full_transaction_returns_to_ready)
{
    const profile& p = rfc5321();
    state s = after(p, ready_state(p), mail, 250);
    s = after(p, s, rcpt, 250);
    EXPECT_EQ(s.recipients, 1U);
    s = after(p, s, data, 354);
    EXPECT_EQ(s.at, phase::data);
    s = after(p, s, end_of_data_event{true}, 250);
    EXPECT_EQ(s.at, phase::ready);
    EXPECT_EQ(s.recipients, 0U);
}

// spec: 4.1.1.4 R-4.1.1.4-7 test
TEST(model_step, unacceptable_data_never_gets_250)
{
    const profile& p = rfc5321();
    state s = after(p, after(p, after(p, ready_state(p), mail, 250), rcpt, 250), data, 354);
    const auto o = step(p, s, end_of_data_event{false});
    EXPECT_EQ(o.find(250), nullptr);
    EXPECT_EQ(o.permitted.front().code, 554);
}

// spec: 4.5.3.1.10 R-4.5.3.1.10-2 test
TEST(model_step, recipient_over_the_limit_is_452)
{
    const profile& p = rfc5321();
    state s = after(p, ready_state(p), mail, 250);
    for (std::size_t i = 0; i < p.max_recipients; ++i) {
        s = after(p, s, rcpt, 250);
    }
    EXPECT_EQ(step(p, s, rcpt).permitted.front().code, 452);
}

// spec: 4.1.4 R-4.1.4-4 test
TEST(model_step, ehlo_resets_transaction_in_both_profiles)
{
    for (const profile* p : {&rfc5321(), &rfc5321bis()}) {
        const state s = after(*p, ready_state(*p), mail, 250);
        const state next = after(*p, s, grammar::command{grammar::ehlo_command{"c", false}}, 250);
        EXPECT_EQ(next.at, phase::ready) << p->name;
    }
}

// WG #116: only the 5321bis reading makes HELO reset the transaction.
TEST(model_step, helo_reset_follows_profile_wg116)
{
    const grammar::command helo{grammar::helo_command{"c"}};
    const state in_tx = after(rfc5321(), ready_state(rfc5321()), mail, 250);
    EXPECT_EQ(after(rfc5321(), in_tx, helo, 250).at, phase::mail);
    EXPECT_EQ(after(rfc5321bis(), in_tx, helo, 250).at, phase::ready);
}

// spec: 4.1.4 R-4.1.4-6 test
TEST(model_step, refused_ehlo_keeps_state)
{
    const state s = after(rfc5321(), ready_state(rfc5321()), mail, 250);
    const auto o = step(rfc5321(), s, grammar::command{grammar::ehlo_command{"c", false}});
    ASSERT_NE(o.find(501), nullptr);
    EXPECT_EQ(o.find(501)->next, s);
}

// spec: 3.1 R-3.1-5 test
TEST(model_step, after_554_greeting_only_quit_works)
{
    profile p = rfc5321();
    p.greeting_554 = true;
    const auto g = step(p, {}, connect_event{});
    ASSERT_EQ(g.permitted.front().code, 554);
    const state s = g.permitted.front().next;
    EXPECT_EQ(step(p, s, grammar::command{grammar::ehlo_command{"c", false}}).permitted.front().code,
              503);
    EXPECT_EQ(step(p, s, grammar::command{grammar::quit_command{}}).permitted.front().code, 221);
}

// spec: 4.1.1.10 R-4.1.1.10-5 test
TEST(model_step, disconnect_drops_transaction)
{
    const state s = after(rfc5321(), ready_state(rfc5321()), mail, 250);
    const auto o = step(rfc5321(), s, disconnect_event{});
    EXPECT_EQ(o.permitted.front().code, 0);
    EXPECT_EQ(o.permitted.front().next.at, phase::closed);
    EXPECT_FALSE(o.permitted.front().next.in_transaction());
}

TEST(model_step, every_state_answers_quit_with_221)
{
    const profile& p = rfc5321();
    const grammar::command quit{grammar::quit_command{}};
    for (auto at : {phase::greeted, phase::ready, phase::mail, phase::rcpt}) {
        state s;
        s.at = at;
        EXPECT_EQ(step(p, s, quit).permitted.front().code, 221) << to_string(at);
    }
}

// RFC 3207 4.2: after the handshake the session is as after the greeting.
TEST(model_step, tls_established_resets_to_greeted_with_tls)
{
    const profile& p = rfc5321();
    state s = after(p, ready_state(p), mail, 250);
    s.at = phase::handshake;
    const auto o = step(p, s, tls_established_event{});
    ASSERT_EQ(o.permitted.size(), 1U);
    EXPECT_EQ(o.permitted.front().code, 0);
    const state next = o.permitted.front().next;
    EXPECT_EQ(next.at, phase::greeted);
    EXPECT_TRUE(next.tls);
    EXPECT_FALSE(next.extended);
    EXPECT_EQ(next.recipients, 0U);
    EXPECT_EQ(o.permitted.front().why.section().str(), "rfc3207/4.2");
}

// Known fault B07: nothing is answered between the 220 to STARTTLS and the
// end of the handshake.
TEST(model_step, nothing_is_answered_during_the_handshake_B07)
{
    const profile& p = rfc5321();
    state s = ready_state(p);
    s.at = phase::handshake;
    for (const input& in : std::vector<input>{grammar::command{grammar::rset_command{}}, mail,
                                              bad_line_event{500}, line_too_long_event{}}) {
        const auto o = step(p, s, in);
        ASSERT_EQ(o.permitted.size(), 1U);
        EXPECT_EQ(o.permitted.front().code, 0);
        EXPECT_EQ(o.permitted.front().next, s);
    }
    EXPECT_EQ(step(p, s, disconnect_event{}).permitted.front().next.at, phase::closed);
}

TEST(model_step, tls_established_outside_a_handshake_changes_nothing)
{
    const state s = ready_state(rfc5321());
    EXPECT_EQ(step(rfc5321(), s, tls_established_event{}).permitted.front().next, s);
}

// spec: 3.8 R-3.8-1 test
TEST(model_step, overloaded_server_may_greet_with_421)
{
    const auto o = step(rfc5321(), {}, connect_event{});
    ASSERT_NE(o.find(421), nullptr);
    EXPECT_EQ(o.find(421)->next.at, phase::closed);
}

const grammar::extension_command starttls{grammar::starttls_command{}};

grammar::extension_command bdat(bool last)
{
    return grammar::bdat_command{3, last};
}

// spec: rfc3207/4 test
TEST(model_step, starttls_leads_to_the_handshake_or_454)
{
    const profile& p = rfc5321();
    const auto o = step(p, ready_state(p), starttls);
    EXPECT_EQ(codes(o), (std::vector<int>{220, 454, 501, 421}));
    EXPECT_EQ(o.permitted.front().next.at, phase::handshake);
    EXPECT_EQ(o.find(454)->next, ready_state(p));
}

// spec: rfc3207/4.2 test
TEST(model_step, starttls_under_tls_is_503)
{
    const profile& p = rfc5321();
    state s = ready_state(p);
    s.tls = true;
    EXPECT_EQ(step(p, s, starttls).permitted.front().code, 503);
    profile off = p;
    off.starttls = false;
    EXPECT_EQ(step(off, ready_state(off), starttls).permitted.front().code, 502);
}

// spec: rfc3030/2 test
TEST(model_step, bdat_chunks_then_last_end_the_transaction)
{
    const profile& p = rfc5321();
    state s = after(p, after(p, ready_state(p), mail, 250), rcpt, 250);
    s = after(p, s, bdat(false), 250);
    EXPECT_EQ(s.at, phase::chunking);
    EXPECT_TRUE(s.in_transaction());
    EXPECT_EQ(step(p, s, data).permitted.front().code, 503);
    EXPECT_EQ(step(p, s, rcpt).permitted.front().code, 503);
    EXPECT_EQ(step(p, s, mail).permitted.front().code, 503);
    s = after(p, s, bdat(true), 250);
    EXPECT_EQ(s.at, phase::ready);
    // RFC 3030 2: BDAT after BDAT LAST is a 503.
    EXPECT_EQ(step(p, s, bdat(false)).permitted.front().code, 503);
}

TEST(model_step, refused_bdat_ends_the_transaction)
{
    const profile& p = rfc5321();
    const state s = after(p, after(p, ready_state(p), mail, 250), rcpt, 250);
    const auto o = step(p, s, bdat(false));
    ASSERT_NE(o.find(552), nullptr);
    EXPECT_EQ(o.find(552)->next.at, phase::ready);
    EXPECT_EQ(step(p, after(p, ready_state(p), mail, 250), bdat(true)).permitted.front().code,
              503);
}

// spec: rfc4954/4 test
TEST(model_step, auth_once_outside_transactions_when_offered)
{
    const input auth{grammar::extension_command{grammar::auth_command{"PLAIN", "="}}};
    EXPECT_EQ(step(rfc5321(), ready_state(rfc5321()), auth).permitted.front().code, 502);
    EXPECT_EQ(step(rfc5321(), ready_state(rfc5321()), mail).find(530), nullptr);
    profile p = rfc5321();
    p.auth = true;
    EXPECT_NE(step(p, ready_state(p), mail).find(530), nullptr);
    const state greeted = after(p, {}, connect_event{}, 220);
    EXPECT_EQ(step(p, greeted, auth).permitted.front().code, 503);
    const auto o = step(p, ready_state(p), auth);
    ASSERT_NE(o.find(334), nullptr);
    EXPECT_FALSE(o.find(334)->next.authenticated);
    const state s = after(p, ready_state(p), auth, 235);
    EXPECT_TRUE(s.authenticated);
    EXPECT_EQ(step(p, s, auth).permitted.front().code, 503);
    EXPECT_EQ(step(p, after(p, ready_state(p), mail, 250), auth).permitted.front().code, 503);
    // RFC 4954 6: bad credentials leave the state as it was.
    ASSERT_NE(step(p, ready_state(p), auth).find(535), nullptr);
    EXPECT_EQ(step(p, ready_state(p), auth).find(535)->next, ready_state(p));
}

TEST(model_step, every_ref_names_catalogued_requirements)
{
    const profile& p = rfc5321bis();
    const std::vector<input> inputs{connect_event{}, mail, rcpt, data,
                                    grammar::command{grammar::rset_command{}},
                                    bad_line_event{500}, bad_line_event{501},
                                    line_too_long_event{}, end_of_data_event{true},
                                    tls_established_event{}, disconnect_event{}, starttls,
                                    bdat(false), bdat(true),
                                    grammar::extension_command{grammar::auth_command{}}};
    for (auto at : {phase::connecting, phase::greeted, phase::ready, phase::mail, phase::rcpt,
                    phase::chunking, phase::data, phase::handshake}) {
        state s;
        s.at = at;
        for (const auto& in : inputs) {
            for (const auto& t : step(p, s, in).permitted) {
                EXPECT_NE(spec::find_section(t.why.section().str()), nullptr);
                for (const auto& r : t.why.requirements()) {
                    EXPECT_NE(spec::find_requirement(r.str()), nullptr) << r.str();
                }
            }
        }
    }
}

}  // namespace
}  // namespace smtpspec::model
