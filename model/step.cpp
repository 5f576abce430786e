// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/step.hpp"

#include <algorithm>
#include <type_traits>

namespace smtpspec::model
{

namespace
{
using spec::ref;

// Every reply below carries the section and requirement ids that permit it.
// Summaries of each id are in spec/data/requirements.toml.

// 4.3.2 lists 421 for every command: the server may always close the session.
constexpr ref closing_ref{"3.8", {"R-3.8-2"}};
constexpr ref sequence_ref{"4.1.4", {"R-4.1.4-16", "R-4.1.4-17"}};
constexpr ref bad_arguments_ref{"4.1.4", {"R-4.1.4-14", "R-4.1.4-15"}};
constexpr ref bad_syntax_ref{"4.2.2"};
constexpr ref refused_session_ref{"3.1", {"R-3.1-4", "R-3.1-5"}};
constexpr ref not_implemented_ref{"4.2.4", {"R-4.2.4-2"}};

state reset_transaction(state s)
{
    s.at = phase::ready;
    s.recipients = 0;
    return s;
}

struct builder
{
    outcome out;

    builder& allow(int code, const state& next, const ref& why)
    {
        out.permitted.push_back({code, next, why});
        return *this;
    }

    /// Negative replies that leave the state as it was.
    builder& refuse(std::initializer_list<int> codes, const state& s, const ref& why)
    {
        for (int code : codes) {
            allow(code, s, why);
        }
        return *this;
    }

    outcome done(const state& s)
    {
        state closed = s;
        closed.at = phase::closed;
        allow(421, closed, closing_ref);
        return std::move(out);
    }
};

class stepper
{
public:
    stepper(const profile& p, const state& s) : p_(p), s_(s) {}

    outcome operator()(const connect_event&) const
    {
        builder b;
        state next = s_;
        next.at = phase::greeted;
        if (p_.greeting_554) {
            next.refused = true;
            return b.allow(554, next, ref{"3.1", {"R-3.1-3"}}).done(s_);
        }
        b.allow(220, next, ref{"3.1"});
        next.refused = true;
        b.allow(554, next, ref{"3.1", {"R-3.1-3"}});
        // 4.3.2 lists 421 at connection establishment: a server that cannot
        // take one more session says so and closes (3.8).
        state closed = s_;
        closed.at = phase::closed;
        return b.allow(421, closed, ref{"4.3.2", {"R-3.8-1"}}).out;
    }

    outcome operator()(const grammar::command& c) const
    {
        if (s_.refused && !std::holds_alternative<grammar::quit_command>(c)) {
            // 3.1: after a 554 greeting, only QUIT does anything.
            return builder{}.allow(503, s_, refused_session_ref).done(s_);
        }
        outcome out = std::visit(*this, c);
        // 4.3.2: any command may also get 500 or 501, with nothing changed,
        // e.g. when an argument is well-formed but its value is not.
        for (const int code : {501, 500}) {
            if (out.find(code) == nullptr) {
                out.permitted.push_back({code, s_, code == 501 ? bad_arguments_ref
                                                               : bad_syntax_ref});
            }
        }
        return out;
    }

    outcome operator()(const grammar::extension_command& c) const
    {
        if (s_.refused) {
            return builder{}.allow(503, s_, refused_session_ref).done(s_);
        }
        return std::visit(*this, c);
    }

    outcome operator()(const grammar::starttls_command&) const
    {
        builder b;
        if (!p_.starttls) {
            return b.allow(502, s_, not_implemented_ref).done(s_);
        }
        if (s_.tls) {
            // RFC 3207 4.2: TLS is not started twice in one session.
            return b.allow(503, s_, ref{"rfc3207/4.2"}).done(s_);
        }
        // RFC 3207 4.2: whatever the session held before the handshake is
        // discarded when it completes, so the handshake state holds nothing.
        state next;
        next.at = phase::handshake;
        b.allow(220, next, ref{"rfc3207/4"});
        return b.refuse({454, 501}, s_, ref{"rfc3207/4"}).done(s_);
    }

    outcome operator()(const grammar::auth_command&) const
    {
        builder b;
        if (!p_.auth) {
            return b.allow(502, s_, not_implemented_ref).done(s_);
        }
        if (s_.authenticated || s_.in_transaction() || s_.at == phase::greeted) {
            // RFC 4954 4: no second AUTH, none inside a transaction, and
            // none before EHLO.
            return b.allow(503, s_, ref{"rfc4954/4"}).done(s_);
        }
        // RFC 4954 4 and 6: 235 ends a successful exchange; 334 asks for
        // more (the state waits for the exchange's end); the rest refuse.
        state next = s_;
        next.authenticated = true;
        b.allow(235, next, ref{"rfc4954/4"}).allow(334, s_, ref{"rfc4954/4"});
        return b.refuse({535, 538, 534, 504, 501, 454, 432}, s_, ref{"rfc4954/6"}).done(s_);
    }

    outcome operator()(const grammar::bdat_command& c) const
    {
        builder b;
        if (!p_.chunking) {
            return b.allow(502, s_, not_implemented_ref).done(s_);
        }
        const ref sequence{"rfc3030/2"};
        if (s_.at == phase::mail) {
            // As for DATA (3.3): no accepted recipient yet.
            const ref why{"3.3", {"R-3.3-11"}};
            return b.allow(503, s_, why).allow(554, s_, why).done(s_);
        }
        if (!s_.extended || (s_.at != phase::rcpt && s_.at != phase::chunking)) {
            // RFC 3030 2: BDAT outside a transaction (also after BDAT LAST),
            // or without the EHLO that offered CHUNKING.
            return b.allow(503, s_, sequence).done(s_);
        }
        state next = s_;
        if (c.last) {
            next = reset_transaction(s_);
            b.allow(250, next, ref{"rfc3030/2", {"R-4.1.1.4-6", "R-6.1-1"}, {114}});
        } else {
            next.at = phase::chunking;
            b.allow(250, next, sequence);
        }
        // RFC 3030 2: a refused chunk ends the transaction; its octets were
        // read and dropped all the same.
        const state failed = reset_transaction(s_);
        return b.refuse({552, 554, 451, 452, 450, 550}, failed, sequence).done(s_);
    }

    outcome operator()(const grammar::ehlo_command&) const { return greeting(true); }

    outcome operator()(const grammar::helo_command&) const { return greeting(false); }

    outcome operator()(const grammar::mail_command&) const
    {
        builder b;
        if (s_.at == phase::greeted) {
            // 4.1.4: a session with transactions starts with EHLO or HELO.
            return b.allow(503, s_, ref{"4.1.4", {"R-4.1.4-1", "R-4.1.4-16"}}).done(s_);
        }
        if (s_.in_transaction()) {
            // 4.1.4 and WG #101: no MAIL while a transaction is open.
            const ref why{"4.1.4", {"R-4.1.4-13", "R-4.1.4-16"}, {101}};
            if (p_.mail_in_transaction_is_503) {
                return b.allow(503, s_, why).done(s_);
            }
        }
        state next = reset_transaction(s_);
        next.at = phase::mail;
        b.allow(250, next, ref{"4.1.1.2", {"R-3.3-1"}});
        const ref refusal{"3.3", {"R-3.3-1"}};
        b.refuse({552, 451, 452, 550, 553, 455, 555}, s_, refusal);
        if (p_.auth) {
            // RFC 4954 6: a server that wants AUTH first refuses MAIL with 530.
            b.refuse({530}, s_, ref{"rfc4954/6"});
        }
        // 4.1.4: a parameter whose value breaks its extension's syntax.
        return b.refuse({501}, s_, bad_arguments_ref).done(s_);
    }

    outcome operator()(const grammar::rcpt_command&) const
    {
        builder b;
        if (s_.at == phase::chunking) {
            // RFC 3030 2: the recipients are complete once data has begun.
            return b.allow(503, s_, ref{"rfc3030/2"}).done(s_);
        }
        if (s_.at != phase::mail && s_.at != phase::rcpt) {
            return b.allow(503, s_, ref{"3.3", {"R-3.3-10"}}).done(s_);
        }
        if (s_.recipients >= p_.max_recipients) {
            // 4.5.3.1.10: an exhausted recipient limit is a 452.
            return b.allow(452, s_, ref{"4.5.3.1.10", {"R-4.5.3.1.10-2"}}).done(s_);
        }
        state next = s_;
        next.at = phase::rcpt;
        next.recipients += 1;
        const ref accept{"4.1.1.3", {"R-4.5.3.1.8-1"}};
        b.allow(250, next, accept).allow(251, next, accept);
        const ref refusal{"4.1.1.3", {"R-4.1.1.3-7"}};
        b.refuse({550, 551, 552, 553, 450, 451, 452, 455, 555}, s_, refusal);
        return b.refuse({501}, s_, ref{"4.1.4"}).done(s_);
    }

    outcome operator()(const grammar::data_command&) const
    {
        builder b;
        if (s_.at == phase::chunking) {
            // RFC 3030 2: DATA and BDAT are never mixed in one transaction.
            return b.allow(503, s_, ref{"rfc3030/2"}).done(s_);
        }
        if (s_.at != phase::rcpt) {
            // 3.3: no MAIL or no accepted RCPT: 503 or 554.
            const ref why{"3.3", {"R-3.3-11"}};
            return b.allow(503, s_, why).allow(554, s_, why).done(s_);
        }
        state next = s_;
        next.at = phase::data;
        b.allow(354, next, ref{"4.1.1.4"});
        return b.refuse({451, 554, 503}, s_, ref{"4.3.2"}).done(s_);
    }

    outcome operator()(const grammar::rset_command&) const
    {
        state next = s_;
        if (s_.in_transaction()) {
            next = reset_transaction(s_);
        }
        return builder{}.allow(250, next, ref{"4.1.1.5", {"R-4.1.1.5-1", "R-4.1.1.5-2"}})
            .done(s_);
    }

    outcome operator()(const grammar::vrfy_command&) const
    {
        // 7.3: a server that will not verify answers 252, never a false 250.
        builder b;
        b.allow(252, s_, ref{"7.3", {"R-7.3-2", "R-3.5.3-1"}, {104}});
        const ref other{"3.5.1", {"R-3.5.1-1"}, {104}};
        return b.refuse({250, 251, 550, 551, 553, 502, 504}, s_, other).done(s_);
    }

    outcome operator()(const grammar::expn_command&) const
    {
        builder b;
        b.allow(252, s_, ref{"7.3", {"R-7.3-2", "R-3.5.3-1"}, {104}});
        const ref other{"3.5.2", {"R-3.5.2-8"}, {104}};
        return b.refuse({250, 550, 500, 502, 504}, s_, other).done(s_);
    }

    outcome operator()(const grammar::help_command&) const
    {
        builder b;
        b.allow(214, s_, ref{"4.1.1.8", {"R-4.1.1.8-2"}});
        return b.refuse({211, 502, 504}, s_, ref{"4.1.1.8", {"R-4.1.1.8-3"}}).done(s_);
    }

    outcome operator()(const grammar::noop_command&) const
    {
        return builder{}.allow(250, s_, ref{"4.1.1.9", {"R-4.1.1.9-1", "R-4.1.4-11"}})
            .done(s_);
    }

    outcome operator()(const grammar::quit_command&) const
    {
        state next = s_;
        next.at = phase::closed;
        return builder{}.allow(221, next, ref{"4.1.1.10", {"R-4.1.1.10-1"}}).done(s_);
    }

    outcome operator()(const bad_line_event& e) const
    {
        builder b;
        if (e.code == 501) {
            return b.allow(501, s_, bad_arguments_ref).allow(500, s_, bad_syntax_ref).done(s_);
        }
        return b.allow(500, s_, bad_syntax_ref).allow(501, s_, bad_arguments_ref).done(s_);
    }

    outcome operator()(const line_too_long_event&) const
    {
        return builder{}.allow(500, s_, ref{"4.5.3.1.9"}).done(s_);
    }

    outcome operator()(const end_of_data_event& e) const
    {
        builder b;
        if (s_.at != phase::data) {
            return b.allow(0, s_, ref{"4.1.1.4"}).out;
        }
        const state next = reset_transaction(s_);
        const ref failure{"4.1.1.4", {"R-4.1.1.4-7"}};
        if (e.acceptable) {
            b.allow(250, next, ref{"4.1.1.4", {"R-4.1.1.4-6", "R-6.1-1"}, {114}});
        }
        return b.refuse({554, 552, 550, 451, 452, 450}, next, failure).done(s_);
    }

    outcome operator()(const tls_established_event&) const
    {
        builder b;
        if (s_.at != phase::handshake) {
            return b.allow(0, s_, ref{"rfc3207/4.2"}).out;
        }
        // RFC 3207 4.2: back to the state after the 220 greeting; nothing the
        // client said before the handshake (its EHLO name) is kept.
        state next;
        next.at = phase::greeted;
        next.refused = s_.refused;
        next.tls = true;
        return b.allow(0, next, ref{"rfc3207/4.2"}).out;
    }

    outcome operator()(const disconnect_event&) const
    {
        // 4.1.1.10: a connection lost mid-transaction cancels the transaction.
        state next = reset_transaction(s_);
        next.at = phase::closed;
        return builder{}.allow(0, next, ref{"4.1.1.10", {"R-4.1.1.10-5"}}).out;
    }

private:
    outcome greeting(bool extended) const
    {
        builder b;
        state next = s_;
        next.extended = extended;
        const bool resets = extended || p_.helo_resets_transaction;
        if (resets || !s_.in_transaction()) {
            next = reset_transaction(next);
        }
        // The first greeting: both commands must be supported (4.5.1). A later
        // one resets the transaction (4.1.4; for HELO per WG #116).
        const bool first = s_.at == phase::greeted;
        const ref why = first ? (extended ? ref{"4.1.1.1", {"R-4.5.1-2"}}
                                          : ref{"4.1.1.1", {"R-4.1.1.1-5", "R-4.5.1-2"}})
                              : (extended ? ref{"4.1.4", {"R-4.1.4-3", "R-4.1.4-4"}, {116}}
                                          : ref{"4.1.1.1", {"R-4.1.1.1-5"}, {116}});
        b.allow(250, next, why);
        // 4.1.4: a refused EHLO leaves the state unchanged.
        const ref refused{"4.1.4", {"R-4.1.4-5", "R-4.1.4-6"}};
        return b.refuse({501, 500, 502, 550, 504}, s_, refused).done(s_);
    }

    const profile& p_;
    const state& s_;
};
}  // namespace

const char* to_string(phase p) noexcept
{
    switch (p) {
    case phase::connecting: return "connecting";
    case phase::greeted: return "greeted";
    case phase::ready: return "ready";
    case phase::mail: return "mail";
    case phase::rcpt: return "rcpt";
    case phase::chunking: return "chunking";
    case phase::data: return "data";
    case phase::handshake: return "handshake";
    case phase::closed: return "closed";
    }
    return "?";
}

const transition* outcome::find(int code) const noexcept
{
    const auto it = std::ranges::find(permitted, code, &transition::code);
    return it == permitted.end() ? nullptr : &*it;
}

outcome step(const profile& p, const state& s, const input& in)
{
    if (s.at == phase::closed) {
        return outcome{{{0, s, ref{"4.1.1.10", {"R-4.1.1.10-1"}}}}};
    }
    if (s.at == phase::data && !std::holds_alternative<end_of_data_event>(in)
        && !std::holds_alternative<disconnect_event>(in)) {
        // While data is being received, lines are message text, not commands.
        return outcome{{{0, s, ref{"4.1.1.4"}}}};
    }
    if (s.at == phase::handshake && !std::holds_alternative<tls_established_event>(in)
        && !std::holds_alternative<disconnect_event>(in)) {
        // RFC 3207 4: after its 220 the server reads only the TLS handshake;
        // octets sent in clear after STARTTLS are dropped, never answered
        // (known fault B07).
        return outcome{{{0, s, ref{"rfc3207/4"}}}};
    }
    const bool is_connect = std::holds_alternative<connect_event>(in);
    if ((s.at == phase::connecting) != is_connect
        && !std::holds_alternative<disconnect_event>(in)) {
        // The server speaks first (3.1), and only once; nothing else is
        // answered before the greeting.
        return outcome{{{0, s, ref{"3.1"}}}};
    }
    return std::visit(stepper{p, s}, in);
}

}  // namespace smtpspec::model
