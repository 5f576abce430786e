// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/explore.hpp"

#include "spec/catalogue.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <variant>

namespace smtpspec::model
{

namespace
{
using spec::ref;

constexpr std::size_t no_edge = static_cast<std::size_t>(-1);

grammar::path example_path(std::string local, std::string domain)
{
    return grammar::path{{}, grammar::mailbox{std::move(local), std::move(domain)}};
}

/// The recipient-count abstraction of explore_options::exact_recipients.
struct recipient_abstraction
{
    std::size_t exact;  ///< Counts 0..exact are kept.
    std::size_t limit;  ///< The profile's max_recipients, kept exactly.

    /// True when some counts are merged into the band exact+1 .. limit-1.
    [[nodiscard]] bool has_band() const { return exact + 2 < limit; }

    /// The band's representative (its smallest count).
    [[nodiscard]] std::size_t band() const { return exact + 1; }

    [[nodiscard]] std::size_t abstract(std::size_t n) const
    {
        return has_band() && n > exact && n < limit ? band() : n;
    }

    /// The concrete states step() is run on for one abstract state: the
    /// band's ends, so that both "one more stays in the band" and "one more
    /// reaches the limit" are explored.
    [[nodiscard]] std::vector<state> concretes(const state& s) const
    {
        std::vector<state> out{s};
        if (has_band() && s.recipients == band()) {
            state top = s;
            top.recipients = limit - 1;
            out.push_back(top);
        }
        return out;
    }
};

using state_key = std::tuple<int, bool, bool, std::size_t>;

state_key key_of(const state& s)
{
    return {static_cast<int>(s.at), s.extended, s.refused, s.recipients};
}

template <typename T>
bool holds_command(const input& in)
{
    const auto* c = std::get_if<grammar::command>(&in);
    return c != nullptr && std::holds_alternative<T>(*c);
}

bool is_refusal(int code) { return code >= 400 && code < 600 && code != 421; }

/// The graph search and the checks, kept apart from the public value type.
class explorer
{
public:
    explorer(const profile& p, const explore_options& o, std::vector<labelled_input> alphabet,
             const step_function& fn)
        : fn_(fn)
        , abs_{o.exact_recipients, p.max_recipients}
    {
        e_.explored = p;
        e_.options = o;
        e_.alphabet = std::move(alphabet);
    }

    exploration run()
    {
        search();
        check_edges();
        check_states();
        check_alphabet();
        std::ranges::stable_sort(e_.violations, {}, [](const violation& v) {
            const auto& all = invariants();
            return std::ranges::find(all, v.invariant, &invariant::id) - all.begin();
        });
        return std::move(e_);
    }

private:
    void add_violation(std::string_view id, std::string detail, std::vector<std::size_t> path)
    {
        if (e_.count(id) < e_.options.max_violations) {
            e_.violations.push_back({id, std::move(detail), std::move(path)});
        }
    }

    std::vector<std::size_t> path_to(std::size_t state_index) const
    {
        std::vector<std::size_t> path;
        for (std::size_t i = state_index; parent_[i] != no_edge; i = e_.edges[parent_[i]].from) {
            path.push_back(parent_[i]);
        }
        std::ranges::reverse(path);
        return path;
    }

    std::vector<std::size_t> path_through(std::size_t edge_index) const
    {
        auto path = path_to(e_.edges[edge_index].from);
        path.push_back(edge_index);
        return path;
    }

    /// The index of s, added when new. States are told apart by operator==,
    /// so a member added to model::state is never merged away; key_of()
    /// only buckets them.
    std::size_t intern(const state& s, std::size_t via_edge, std::deque<std::size_t>& queue)
    {
        auto& bucket = index_[key_of(s)];
        for (const std::size_t i : bucket) {
            if (e_.states[i] == s) {
                return i;
            }
        }
        const std::size_t i = e_.states.size();
        bucket.push_back(i);
        e_.states.push_back(s);
        parent_.push_back(via_edge);
        queue.push_back(i);
        return i;
    }

    /// 4.1.1.10: a closed session reads nothing and answers nothing.
    void check_closed(const state& closed, std::size_t via_edge)
    {
        if (!checked_closed_.insert(key_of(closed)).second) {
            return;
        }
        for (std::size_t k = 0; k < e_.alphabet.size(); ++k) {
            const auto o = fn_(e_.explored, closed, e_.alphabet[k].value);
            const bool inert = std::ranges::all_of(o.permitted, [&](const transition& t) {
                return t.code == 0 && t.next == closed;
            });
            if (!inert) {
                add_violation("closed-is-sink",
                              "a closed session reacts to " + e_.alphabet[k].line,
                              path_through(via_edge));
            }
        }
    }

    state canonical(const state& s) const
    {
        if (s.at == phase::closed && e_.options.merge_closed) {
            return state{phase::closed, false, false, 0};
        }
        state out = s;
        out.recipients = abs_.abstract(s.recipients);
        return out;
    }

    void search()
    {
        std::deque<std::size_t> queue;
        intern(state{}, no_edge, queue);
        std::map<std::tuple<std::size_t, std::size_t, int, std::size_t>, std::size_t> seen;
        while (!queue.empty()) {
            const std::size_t i = queue.front();
            queue.pop_front();
            if (e_.states.size() > e_.options.max_states) {
                e_.truncated = true;
                return;
            }
            for (const state& concrete : abs_.concretes(e_.states[i])) {
                for (std::size_t k = 0; k < e_.alphabet.size(); ++k) {
                    const outcome o = fn_(e_.explored, concrete, e_.alphabet[k].value);
                    if (o.permitted.empty()) {
                        add_violation("total", "no outcome for " + e_.alphabet[k].line + " in "
                                          + e_.describe(e_.states[i]), path_to(i));
                    }
                    for (const transition& t : o.permitted) {
                        // A new target state is always reached by a new edge,
                        // so the parent recorded by intern() is this edge.
                        const std::size_t j = intern(canonical(t.next), e_.edges.size(), queue);
                        const auto [it, added] = seen.try_emplace({i, k, t.code, j},
                                                                  e_.edges.size());
                        if (added) {
                            e_.edges.push_back({i, j, k, t.code, t.why});
                        }
                        if (t.next.at == phase::closed) {
                            check_closed(t.next, it->second);
                        }
                    }
                }
            }
        }
    }

    void check_ref(std::size_t n, const graph_edge& g)
    {
        std::string missing;
        if (spec::find_section(g.why.section().str()) == nullptr) {
            missing += " section " + std::string{g.why.section().str()};
        }
        for (const auto& r : g.why.requirements()) {
            if (spec::find_requirement(r.str()) == nullptr) {
                missing += " requirement " + std::string{r.str()};
            }
        }
        for (const auto& w : g.why.issues()) {
            if (spec::find_wg_issue(w.number()) == nullptr) {
                missing += " WG issue " + std::to_string(w.number());
            }
        }
        if (g.code != 0 && spec::find_reply_code(g.code) == nullptr) {
            missing += " reply code " + std::to_string(g.code);
        }
        if (!missing.empty()) {
            add_violation("refs-catalogued", "not in the catalogue:" + missing, path_through(n));
        }
    }

    void check_edges()
    {
        for (std::size_t n = 0; n < e_.edges.size(); ++n) {
            const graph_edge& g = e_.edges[n];
            const state& from = e_.states[g.from];
            const state& to = e_.states[g.to];
            const input& in = e_.alphabet[g.input].value;
            check_ref(n, g);
            const bool enters_data = to.at == phase::data && from.at != phase::data;
            if ((g.code == 354 || enters_data)
                && !(g.code == 354 && from.at == phase::rcpt && from.recipients > 0
                     && to.at == phase::data)) {
                add_violation("data-needs-rcpt",
                              std::to_string(g.code) + " to " + e_.alphabet[g.input].line
                                  + " in " + e_.describe(from) + " leads to " + e_.describe(to),
                              path_through(n));
            }
            if (g.code == 503 && g.to != g.from) {
                add_violation("503-keeps-state", "503 moves " + e_.describe(from) + " to "
                                  + e_.describe(to), path_through(n));
            }
            const bool greeting_or_envelope = holds_command<grammar::ehlo_command>(in)
                || holds_command<grammar::helo_command>(in)
                || holds_command<grammar::mail_command>(in)
                || holds_command<grammar::rcpt_command>(in);
            if (greeting_or_envelope && is_refusal(g.code) && g.to != g.from) {
                add_violation("refusal-keeps-state",
                              std::to_string(g.code) + " to " + e_.alphabet[g.input].line
                                  + " moves " + e_.describe(from) + " to " + e_.describe(to),
                              path_through(n));
            }
            if (std::holds_alternative<end_of_data_event>(in) && from.at == phase::data
                && g.code != 0 && to.in_transaction()) {
                add_violation("eod-ends-transaction",
                              std::to_string(g.code) + " at end of data leaves "
                                  + e_.describe(to), path_through(n));
            }
            const bool handshake_done = std::holds_alternative<tls_established_event>(in)
                && from.at == phase::handshake;
            const state fresh_tls{phase::greeted, false, from.refused, 0, true};
            if ((g.code == 220 && to.at == phase::handshake && to != state{phase::handshake})
                || (handshake_done && to != fresh_tls)) {
                add_violation("tls-reset",
                              e_.alphabet[g.input].line + " in " + e_.describe(from)
                                  + " leads to " + e_.describe(to),
                              path_through(n));
            }
            const bool quit_221 = holds_command<grammar::quit_command>(in) && g.code == 221;
            const bool closing = g.code == 421 || std::holds_alternative<disconnect_event>(in);
            if (from.refused && g.to != g.from
                && !((quit_221 || closing) && to.at == phase::closed)) {
                add_violation("refused-only-quit",
                              std::to_string(g.code) + " to " + e_.alphabet[g.input].line
                                  + " moves the refused session to " + e_.describe(to),
                              path_through(n));
            }
        }
    }

    /// States from which a closed state is reachable over edges that pass `use`.
    template <typename Use>
    std::vector<bool> can_close(Use use) const
    {
        std::vector<bool> reach(e_.states.size(), false);
        for (std::size_t i = 0; i < e_.states.size(); ++i) {
            reach[i] = e_.states[i].at == phase::closed;
        }
        for (bool changed = true; changed;) {
            changed = false;
            for (const graph_edge& g : e_.edges) {
                if (!reach[g.from] && reach[g.to] && use(g)) {
                    reach[g.from] = true;
                    changed = true;
                }
            }
        }
        return reach;
    }

    void check_states()
    {
        const auto any_way = can_close([](const graph_edge&) { return true; });
        const auto orderly = can_close([this](const graph_edge& g) {
            return g.code != 421
                && !std::holds_alternative<disconnect_event>(e_.alphabet[g.input].value);
        });
        for (std::size_t i = 0; i < e_.states.size(); ++i) {
            const state& s = e_.states[i];
            const auto out = std::ranges::count_if(e_.edges, [&](const graph_edge& g) {
                return g.from == i && g.to != i;
            });
            if (s.at != phase::closed && (out == 0 || !any_way[i])) {
                add_violation("no-dead-end", e_.describe(s) + " is a dead end", path_to(i));
            }
            if (!orderly[i]) {
                add_violation("orderly-close",
                              e_.describe(s) + " cannot reach closed without 421 or a disconnect",
                              path_to(i));
            }
            if (s.recipients > e_.explored.max_recipients) {
                add_violation("recipient-limit", e_.describe(s) + " holds more recipients than "
                                  + std::to_string(e_.explored.max_recipients), path_to(i));
            }
            const auto quit_edge = [&](const graph_edge& g) {
                return g.from == i
                    && holds_command<grammar::quit_command>(e_.alphabet[g.input].value);
            };
            const bool answers_quit = std::ranges::any_of(e_.edges, [&](const graph_edge& g) {
                return quit_edge(g) && g.code == 221 && e_.states[g.to].at == phase::closed;
            });
            // The phases known to read commands, and any other phase (one a
            // later step() adds) in which QUIT gets a reply at all.
            const bool reads_commands = s.at == phase::greeted || s.at == phase::ready
                || s.at == phase::mail || s.at == phase::rcpt
                || std::ranges::any_of(e_.edges, [&](const graph_edge& g) {
                       return quit_edge(g) && g.code != 0;
                   });
            if (reads_commands && !answers_quit) {
                add_violation("quit-221", e_.describe(s) + " does not answer QUIT with 221",
                              path_to(i));
            }
        }
    }

    void check_alphabet()
    {
        for (std::size_t alt = 0; alt < std::variant_size_v<input>; ++alt) {
            const bool covered = std::ranges::any_of(e_.alphabet, [&](const labelled_input& l) {
                return l.value.index() == alt;
            });
            if (!covered) {
                add_violation("alphabet-covers-commands",
                              "no representative of model::input alternative "
                                  + std::to_string(alt), {});
            }
        }
        constexpr std::size_t n = std::variant_size_v<grammar::command>;
        for (std::size_t alt = 0; alt < n; ++alt) {
            const bool covered = std::ranges::any_of(e_.alphabet, [&](const labelled_input& l) {
                const auto* c = std::get_if<grammar::command>(&l.value);
                return c != nullptr && c->index() == alt;
            });
            if (!covered) {
                add_violation("alphabet-covers-commands",
                              "no representative of grammar::command alternative "
                                  + std::to_string(alt), {});
            }
        }
    }

    step_function fn_;
    recipient_abstraction abs_;
    exploration e_;
    std::map<state_key, std::vector<std::size_t>> index_;
    std::vector<std::size_t> parent_;
    std::set<state_key> checked_closed_;
};

std::string edge_key(const exploration& e, const graph_edge& g)
{
    return e.describe(e.states[g.from]) + " | " + e.alphabet[g.input].name + " | "
        + std::to_string(g.code) + " | " + e.describe(e.states[g.to]);
}
}  // namespace

std::vector<labelled_input> default_alphabet()
{
    using namespace grammar;
    const auto cmd = [](std::string name, std::string line, command c) {
        return labelled_input{std::move(name), std::move(line), input{std::move(c)}};
    };
    const auto event = [](std::string name, std::string line, input in) {
        return labelled_input{std::move(name), std::move(line), std::move(in)};
    };
    return {
        event("connect", "[connect]", connect_event{}),
        cmd("EHLO", "EHLO client.example.net", ehlo_command{"client.example.net", false}),
        cmd("HELO", "HELO client.example.net", helo_command{"client.example.net"}),
        cmd("MAIL", "MAIL FROM:<alice@example.net>",
            mail_command{reverse_path{example_path("alice", "example.net")}, {}}),
        cmd("RCPT", "RCPT TO:<bob@example.org>",
            rcpt_command{forward_path{false, example_path("bob", "example.org")}, {}}),
        cmd("DATA", "DATA", data_command{}),
        cmd("RSET", "RSET", rset_command{}),
        cmd("VRFY", "VRFY bob", vrfy_command{"bob"}),
        cmd("EXPN", "EXPN staff", expn_command{"staff"}),
        cmd("HELP", "HELP", help_command{}),
        cmd("NOOP", "NOOP", noop_command{}),
        cmd("QUIT", "QUIT", quit_command{}),
        event("bad-500", "[a line that is no command: 500]", bad_line_event{500}),
        event("bad-501", "[a command with bad arguments: 501]", bad_line_event{501}),
        event("too-long", "[a command line over 512 octets]", line_too_long_event{}),
        event("eod-ok", "[end of data, acceptable]", end_of_data_event{true}),
        event("eod-bad", "[end of data, unacceptable]", end_of_data_event{false}),
        event("disconnect", "[disconnect]", disconnect_event{}),
        event("STARTTLS", "STARTTLS", extension_command{starttls_command{}}),
        event("BDAT", "BDAT 3 LAST", extension_command{bdat_command{3, true}}),
        event("AUTH", "AUTH PLAIN", extension_command{auth_command{"PLAIN", std::nullopt}}),
        event("tls-ok", "[TLS handshake done]", tls_established_event{}),
    };
}

const std::vector<invariant>& invariants()
{
    static const std::vector<invariant> all{
        {"total", "every input in every state has at least one outcome", ref{"4.2", {"R-4.2-1"}}},
        {"refs-catalogued",
         "every transition names a catalogued section, requirements and WG issues, and a "
         "catalogued reply code",
         ref{"4.2.3", {"R-4.2-3"}}},
        {"data-needs-rcpt",
         "the data phase is entered only by a 354 to DATA with an accepted recipient",
         ref{"3.3", {"R-3.3-11", "R-3.3-13"}}},
        {"503-keeps-state", "a 503 leaves the state as it was", ref{"4.1.4", {"R-4.1.4-17"}}},
        {"refusal-keeps-state",
         "a 4yz or 5yz (other than 421) to EHLO, HELO, MAIL or RCPT leaves the state as it was",
         ref{"4.1.4", {"R-4.1.4-6", "R-4.1.4-15"}}},
        {"eod-ends-transaction", "every reply at the end of data ends the transaction",
         ref{"4.1.1.4", {"R-4.1.1.4-6", "R-4.1.1.4-7"}, {99}}},
        {"tls-reset",
         "the TLS handshake starts from an empty state and ends in a fresh greeted state that "
         "keeps nothing the client said before it",
         ref{"rfc3207/4.2"}},
        {"refused-only-quit",
         "after a 554 greeting only QUIT (221), a 421 or a disconnect changes the state",
         ref{"3.1", {"R-3.1-4", "R-3.1-5"}}},
        {"quit-221", "every state that reads commands answers QUIT with 221 and closes",
         ref{"4.1.1.10", {"R-4.1.1.10-1"}}},
        {"no-dead-end",
         "every state but closed has a way out, and closed is reachable from every state",
         ref{"4.1.1.10", {"R-4.1.1.10-2"}}},
        {"orderly-close", "closed is reachable from every state without 421 or a disconnect",
         ref{"4.1.4", {"R-4.1.4-18"}}},
        {"closed-is-sink", "a closed session answers nothing and stays closed",
         ref{"4.1.1.10", {"R-4.1.1.10-1"}}},
        {"recipient-limit", "no state holds more recipients than the profile's limit",
         ref{"4.5.3.1.10", {"R-4.5.3.1.10-2", "R-4.5.3.1.8-5"}}},
        {"alphabet-covers-commands",
         "the alphabet has a representative of every command and every event step() takes",
         ref{"4.1.1"}},
    };
    return all;
}

std::string exploration::describe(const state& s) const
{
    // States that differ only in members this function does not name (one
    // added to model::state later) get " #1", " #2", ... in search order.
    const std::string base = describe_known(s);
    std::size_t rank = 0;
    bool ambiguous = false;
    bool found = false;
    for (const state& other : states) {
        if (describe_known(other) != base) {
            continue;
        }
        if (other == s) {
            found = true;
        } else {
            ambiguous = true;
            rank += found ? 0 : 1;
        }
    }
    return ambiguous ? base + " #" + std::to_string(rank + 1) : base;
}

std::string exploration::describe_known(const state& s) const
{
    std::string out = to_string(s.at);
    const bool after_hello = s.at == phase::ready || s.in_transaction();
    if (s.extended) {
        out += " ehlo";
    } else if (after_hello) {
        out += " helo";
    }
    if (s.refused) {
        out += " refused";
    }
    if (s.tls) {
        out += " tls";
    }
    if (s.recipients > 0) {
        const recipient_abstraction abs{options.exact_recipients, explored.max_recipients};
        out += " n=" + std::to_string(s.recipients);
        if (abs.has_band() && s.recipients == abs.band()) {
            out += ".." + std::to_string(abs.limit - 1);
        }
    }
    return out;
}

std::string exploration::transcript(const std::vector<std::size_t>& path) const
{
    std::string out;
    for (const std::size_t n : path) {
        const graph_edge& g = edges[n];
        out += "C: " + alphabet[g.input].line + "\n";
        out += "S: " + (g.code == 0 ? std::string{"(no reply)"} : std::to_string(g.code));
        out += "  [" + spec::to_string(g.why) + "] -> " + describe(states[g.to]) + "\n";
    }
    return out;
}

std::size_t exploration::count(std::string_view id) const
{
    return static_cast<std::size_t>(
        std::ranges::count(violations, id, &violation::invariant));
}

exploration explore(const profile& p, const explore_options& options,
                    std::vector<labelled_input> alphabet, const step_function& fn)
{
    return explorer{p, options, std::move(alphabet), fn}.run();
}

exploration_diff diff(const exploration& a, const exploration& b)
{
    exploration_diff d;
    const auto edge_keys = [](const exploration& e) {
        std::set<std::string> keys;
        for (const auto& g : e.edges) {
            keys.insert(edge_key(e, g));
        }
        return keys;
    };
    const auto state_keys = [](const exploration& e) {
        std::set<std::string> keys;
        for (const auto& s : e.states) {
            keys.insert(e.describe(s));
        }
        return keys;
    };
    const auto ka = edge_keys(a);
    const auto kb = edge_keys(b);
    for (std::size_t n = 0; n < a.edges.size(); ++n) {
        if (!kb.contains(edge_key(a, a.edges[n]))) {
            d.only_in_first.push_back(n);
        }
    }
    for (std::size_t n = 0; n < b.edges.size(); ++n) {
        if (!ka.contains(edge_key(b, b.edges[n]))) {
            d.only_in_second.push_back(n);
        }
    }
    const auto sa = state_keys(a);
    const auto sb = state_keys(b);
    for (std::size_t i = 0; i < a.states.size(); ++i) {
        if (!sb.contains(a.describe(a.states[i]))) {
            d.states_only_in_first.push_back(i);
        }
    }
    for (std::size_t i = 0; i < b.states.size(); ++i) {
        if (!sa.contains(b.describe(b.states[i]))) {
            d.states_only_in_second.push_back(i);
        }
    }
    return d;
}

std::optional<violation> first_violation(const exploration& e, std::string_view id)
{
    const auto it = std::ranges::find(e.violations, id, &violation::invariant);
    return it == e.violations.end() ? std::nullopt : std::optional<violation>{*it};
}

}  // namespace smtpspec::model
