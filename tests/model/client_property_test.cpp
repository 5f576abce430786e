// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The reference client against the client-side model: a scripted server
// answers each command with a reply the server model permits, chosen at
// random (multi-line or bare, 2yz/4yz/5yz, 421, an abrupt close), and every
// command the client sends must be one the client model allows.
//
// CI runs with a fixed seed (set below unless RC_PARAMS is given). To run
// long with random seeds:
//   RC_PARAMS="max_success=20000" build/tests/model/model_client_property_tests
// and to replay a failure, the seed rapidcheck prints:
//   RC_PARAMS="seed=NNN" build/tests/model/model_client_property_tests

#include "model/client_model.hpp"

#include "grammar/parse.hpp"
#include "grammar/reply.hpp"
#include "model/profile.hpp"
#include "model/step.hpp"
#include "reference/client_session.hpp"
#include "spec/catalogue.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::model
{
namespace
{

/// The fixed seed CI uses; any RC_PARAMS in the environment wins.
[[maybe_unused]] const bool fixed_seed = [] {
    return ::setenv("RC_PARAMS", "seed=5321 max_success=300", 0) == 0;
}();

/// What the client sent as one unit: a command line, or all the mail data.
struct unit
{
    client_command command;
    input server_input;
    std::string shown;  ///< For the transcript.
};

std::optional<client_command> classify(const grammar::command& c)
{
    return std::visit(
        [](const auto& v) -> std::optional<client_command> {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, grammar::ehlo_command>) {
                return client_command::ehlo;
            } else if constexpr (std::is_same_v<T, grammar::helo_command>) {
                return client_command::helo;
            } else if constexpr (std::is_same_v<T, grammar::mail_command>) {
                return client_command::mail;
            } else if constexpr (std::is_same_v<T, grammar::rcpt_command>) {
                return client_command::rcpt;
            } else if constexpr (std::is_same_v<T, grammar::data_command>) {
                return client_command::data;
            } else if constexpr (std::is_same_v<T, grammar::rset_command>) {
                return client_command::rset;
            } else if constexpr (std::is_same_v<T, grammar::vrfy_command>) {
                return client_command::vrfy;
            } else if constexpr (std::is_same_v<T, grammar::expn_command>) {
                return client_command::expn;
            } else if constexpr (std::is_same_v<T, grammar::help_command>) {
                return client_command::help;
            } else if constexpr (std::is_same_v<T, grammar::noop_command>) {
                return client_command::noop;
            } else if constexpr (std::is_same_v<T, grammar::quit_command>) {
                return client_command::quit;
            } else {
                return std::nullopt;  // A command the client model does not know yet.
            }
        },
        c);
}

/// A scripted server: the server model, with rapidcheck choosing among the
/// replies it permits, and a transcript of everything said.
class scripted_server
{
public:
    explicit scripted_server(profile p) : profile_(std::move(p)) {}

    /// Answers one input; returns the wire text ("" when nothing is sent).
    std::string answer(const input& in, bool ehlo)
    {
        const outcome o = step(profile_, state_, in);
        // The reference server's choice most of the time, so that sessions
        // get far; shrinking moves towards it.
        std::size_t pick = 0;
        if (o.permitted.size() > 1 && *rc::gen::inRange(0, 10) >= 6) {
            pick = *rc::gen::inRange<std::size_t>(0, o.permitted.size());
        }
        const transition& t = o.permitted[pick];
        state_ = t.next;
        last_code_ = t.code;
        if (t.code == 0) {
            return {};
        }
        grammar::reply r{t.code, {}};
        if (ehlo && t.code / 100 == 2) {
            r.lines.push_back("mx.example.org greets you");
            offers_pipelining_ = *rc::gen::arbitrary<bool>();
            if (offers_pipelining_) {
                r.lines.push_back("PIPELINING");
            }
            if (*rc::gen::arbitrary<bool>()) {
                r.lines.push_back("8BITMIME");
            }
            if (*rc::gen::arbitrary<bool>()) {
                r.lines.push_back("SIZE 10000000");
            }
        } else {
            const int lines = *rc::gen::inRange(1, 4);
            for (int i = 1; i < lines; ++i) {
                r.lines.push_back("line " + std::to_string(i));
            }
            // 4.2 R-4.2-2: a reply line may carry no text at all.
            r.lines.push_back(*rc::gen::inRange(0, 5) == 0 ? "" : "text");
        }
        const std::string wire = grammar::format_reply(r);
        std::size_t start = 0;
        while (start < wire.size()) {
            const auto end = wire.find("\r\n", start);
            transcript_ += "S: " + wire.substr(start, end - start) + "\n";
            start = end + 2;
        }
        return wire;
    }

    void note(const std::string& text) { transcript_ += "   (" + text + ")\n"; }

    void client_line(std::string_view line) { transcript_ += "C: " + std::string{line} + "\n"; }

    [[nodiscard]] const std::string& transcript() const { return transcript_; }
    [[nodiscard]] bool closed() const { return state_.at == phase::closed; }
    [[nodiscard]] int last_code() const { return last_code_; }
    [[nodiscard]] bool offers_pipelining() const { return offers_pipelining_; }

private:
    profile profile_;
    state state_;
    int last_code_ = 0;
    bool offers_pipelining_ = false;
    std::string transcript_;
};

/// Feeds server octets to the client in random pieces.
void feed_in_pieces(reference::client_session& c, const std::string& wire)
{
    std::size_t at = 0;
    while (at < wire.size()) {
        const auto n = *rc::gen::inRange<std::size_t>(1, wire.size() - at + 1);
        c.feed(std::string_view{wire}.substr(at, n));
        at += n;
    }
}

reference::client_job random_job()
{
    reference::client_job job;
    job.from = grammar::reverse_path{grammar::path{{}, {"alice", "example.net"}}};
    const int recipients = *rc::gen::inRange(1, 4);
    for (int i = 0; i < recipients; ++i) {
        job.to.push_back(grammar::forward_path{
            false, grammar::path{{}, {"rcpt" + std::to_string(i), "example.org"}}});
    }
    job.message = *rc::gen::element(std::string{"Subject: t\n\nhello\n"},
                                    std::string{".leading dot\r\n..two\r\n"},
                                    std::string{"Subject: caf\xc3\xa9\n\n8 bit\n"});
    return job;
}

[[noreturn]] void fail(const scripted_server& server, const std::string& why)
{
    RC_FAIL(why + "\ntranscript:\n" + server.transcript());
}

/// Judges each unit the client sends; may_send() outside the self-test.
using judge_function = client_verdict (*)(const client_state&, client_command);

/// One random session of the reference client against the scripted server.
void run_session(judge_function judge)
{
    profile p = rfc5321();
    p.pipelining = *rc::gen::arbitrary<bool>();
    scripted_server server{p};
    reference::client_session client{{}, random_job()};
    client_state model;
    bool closed_by_server = false;

    const std::string greeting = server.answer(connect_event{}, false);
    model = after_reply(model, server.last_code());
    feed_in_pieces(client, greeting);
    if (server.closed()) {
        client.peer_closed();
        closed_by_server = true;
    }

    for (int round = 0; round < 64 && !client.done(); ++round) {
        const std::string out = client.take_output();
        if (out.empty()) {
            fail(server, "the client neither sent anything nor finished (model stage "
                             + std::string{to_string(model.stage)} + ")");
        }
        // Split what was sent into units and check each against the model
        // before any of them is answered (they were all sent already).
        std::vector<unit> units;
        std::size_t at = 0;
        while (at < out.size()) {
            if (model.stage == client_stage::data) {
                const auto end = out.find("\r\n.\r\n", at);
                if (end == std::string::npos) {
                    fail(server, "mail data without its CRLF.CRLF end");
                }
                const std::size_t stop = end + 5;
                server.client_line("<" + std::to_string(stop - at) + " octets of mail data>");
                units.push_back({client_command::message_data, end_of_data_event{true}, ""});
                at = stop;
            } else {
                const auto end = out.find("\r\n", at);
                if (end == std::string::npos) {
                    fail(server, "a line without CRLF: " + out.substr(at));
                }
                const std::string line = out.substr(at, end + 2 - at);
                at = end + 2;
                server.client_line(line.substr(0, line.size() - 2));
                const auto parsed = grammar::parse_command(line);
                const auto* cmd = std::get_if<grammar::command>(&parsed);
                if (cmd == nullptr) {
                    fail(server, "the client sent a line that is not a command");
                }
                const auto kind = classify(*cmd);
                if (!kind) {
                    fail(server, "the client sent a command the client model does not know");
                }
                units.push_back({*kind, *cmd, line});
            }
            const unit& u = units.back();
            const client_verdict v = judge(model, u.command);
            if (!v.allowed) {
                fail(server, std::string{"the client model forbids "} + to_string(u.command)
                                 + " here: " + std::string{v.reason} + " ["
                                 + spec::to_string(v.why) + "]");
            }
            model = after_send(model, u.command);
        }
        // The server answers each unit in order; it may also hang up.
        std::string replies;
        for (const unit& u : units) {
            if (*rc::gen::inRange(0, 25) == 0) {
                server.note("the server closes the connection");
                closed_by_server = true;
                break;
            }
            const bool ehlo = u.command == client_command::ehlo;
            replies += server.answer(u.server_input, ehlo);
            model = after_reply(model, server.last_code(), ehlo && server.offers_pipelining());
            if (server.closed()) {
                closed_by_server = true;
                break;
            }
        }
        feed_in_pieces(client, replies);
        if (closed_by_server) {
            client.peer_closed();
            model = after_close(model);
        }
    }
    if (!client.done()) {
        fail(server, "the client did not finish within 64 rounds");
    }
    const std::string late = client.take_output();
    if (!late.empty() && !closed_by_server) {
        fail(server, "the client sent after it finished: " + late);
    }
    if (!model.quit_sent && !closed_by_server) {
        fail(server, "the session ended without QUIT, 421 or a close (4.1.4 R-4.1.4-18)");
    }
    RC_TAG(model.quit_sent ? "ended with QUIT" : "ended by the server");
    RC_CLASSIFY(client.result().delivered, "delivered");
}

// spec: 3.3 R-3.3-13 test
// spec: 4.1.4 R-4.1.4-18 test
// spec: 4.2 R-4.2-8 test
// spec: 4.3.1 R-4.3.1-1 test
RC_GTEST_PROP(client_model_property, reference_client_sends_only_what_the_model_allows, ())
{
    run_session(may_send);
}

/// A model that wrongly forbids DATA: the harness must catch the client.
client_verdict forbids_data(const client_state& s, client_command c)
{
    if (c == client_command::data) {
        return {false, spec::ref{"3.3"}, "DATA forbidden by this test"};
    }
    return may_send(s, c);
}

// The property is not vacuous: against a model that forbids DATA it fails,
// and rapidcheck prints the shrunk session as a transcript (in the log).
TEST(client_model_property, a_client_the_model_forbids_is_caught)
{
    EXPECT_FALSE(rc::check("reference client against a model without DATA",
                           [] { run_session(forbids_data); }));
}

}  // namespace
}  // namespace smtpspec::model
