// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/dictionary.hpp"

#include "grammar/command.hpp"
#include "model/step.hpp"
#include "reference/message_store.hpp"
#include "reference/server_session.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace smtpspec::corpus
{

namespace
{

bool is_word_octet(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string label(std::string_view prefix, std::string_view value)
{
    std::string out(prefix);
    for (const char c : value) {
        out += is_word_octet(c) ? c : '_';
    }
    return out;
}

std::string upper(std::string text)
{
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 32);
        }
    }
    return text;
}

/// The octets a node always matches, when it matches only one string.
std::optional<std::string> fixed_text(const grammar_graph& g, std::size_t n, unsigned depth = 0)
{
    const node& x = g.nodes[n];
    if (depth > 8) {
        return std::nullopt;
    }
    switch (x.kind) {
    case node_kind::literal:
        return x.text;
    case node_kind::charset:
        if (x.chars.count() == 1) {
            for (unsigned c = 0; c < 256; ++c) {
                if (x.chars.test(c)) {
                    return std::string(1, static_cast<char>(c));
                }
            }
        }
        return std::nullopt;
    case node_kind::rule:
        return fixed_text(g, x.subs.at(0), depth + 1);
    case node_kind::seq: {
        std::string all;
        for (const std::size_t s : x.subs) {
            const auto part = fixed_text(g, s, depth + 1);
            if (!part) {
                return std::nullopt;
            }
            all += *part;
        }
        return all;
    }
    default:
        return std::nullopt;
    }
}

/// Every input the model knows, one of each kind.
std::vector<model::input> model_inputs()
{
    std::vector<model::input> in{model::connect_event{}, model::bad_line_event{500},
                                 model::bad_line_event{501}, model::line_too_long_event{},
                                 model::end_of_data_event{true}, model::end_of_data_event{false},
                                 model::disconnect_event{}};
    const grammar::command commands[] = {
        grammar::ehlo_command{}, grammar::helo_command{}, grammar::mail_command{},
        grammar::rcpt_command{}, grammar::data_command{}, grammar::rset_command{},
        grammar::vrfy_command{}, grammar::expn_command{}, grammar::help_command{},
        grammar::noop_command{}, grammar::quit_command{}};
    for (const auto& c : commands) {
        in.emplace_back(c);
    }
    return in;
}

}  // namespace

std::vector<dictionary_entry> grammar_dictionary(const rule_set& rules)
{
    const grammar_graph& g = rules.graph();
    std::vector<dictionary_entry> out;
    std::set<std::string> seen;
    const auto add = [&](std::string_view prefix, const std::string& value) {
        if (!value.empty() && seen.insert(value).second) {
            out.push_back({label(prefix, value), value});
        }
    };
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        const node& x = g.nodes[n];
        if (x.kind == node_kind::literal) {
            add("kw_", x.text);
            if (x.icase) {
                add("kw_", upper(x.text));
            }
        } else if (x.kind == node_kind::seq) {
            if (const auto text = fixed_text(g, n); text && text->size() > 1) {
                add("kw_", *text);
            }
        }
    }
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        const node& x = g.nodes[n];
        if (x.kind == node_kind::charset && x.chars.count() == 1) {
            const auto text = fixed_text(g, n);
            if (!is_word_octet(text->front())) {
                add("sep_", *text);
            }
        }
    }
    return out;
}

std::vector<dictionary_entry> reply_code_dictionary()
{
    std::set<int> codes;
    for (const model::profile* p : {&model::rfc5321(), &model::rfc5321bis()}) {
        std::vector<model::state> seen;
        std::deque<model::state> queue{model::state{}};
        // The recipient count makes the state space large but not interesting
        // here; a few thousand states reach every code.
        constexpr std::size_t max_states = 4000;
        while (!queue.empty() && seen.size() < max_states) {
            const model::state s = queue.front();
            queue.pop_front();
            if (std::ranges::find(seen, s) != seen.end()) {
                continue;
            }
            seen.push_back(s);
            for (const model::input& in : model_inputs()) {
                for (const model::transition& t : model::step(*p, s, in).permitted) {
                    if (t.code != 0) {
                        codes.insert(t.code);
                    }
                    queue.push_back(t.next);
                }
            }
        }
    }
    std::vector<dictionary_entry> out;
    for (const int c : codes) {
        const std::string code = std::to_string(c);
        out.push_back({"code_" + code, code + " "});
        out.push_back({"code_" + code + "_more", code + "-"});
    }
    return out;
}

std::vector<dictionary_entry> extension_dictionary()
{
    reference::server_config config;
    config.profile.pipelining = true;
    config.profile.eightbitmime = true;
    config.profile.size = true;
    config.profile.enhanced_status_codes = true;
    reference::memory_store store;
    reference::server_session session(config, store);
    session.start();
    session.take_output();
    session.feed("EHLO corpus.example\r\n");
    const std::string reply = session.take_output();
    std::vector<dictionary_entry> out;
    std::size_t start = reply.find("\r\n");  // the first line is the greeting text
    while (start != std::string::npos && start + 2 < reply.size()) {
        start += 2;
        const std::size_t end = reply.find("\r\n", start);
        const std::string line = reply.substr(start + 4, end - start - 4);
        const std::string keyword = line.substr(0, line.find(' '));
        out.push_back({label("ext_", keyword), keyword});
        if (line.find(' ') != std::string::npos) {
            out.push_back({label("param_", keyword), keyword + "="});
        }
        start = end;
    }
    return out;
}

std::vector<dictionary_entry> full_dictionary(const rule_set& rules)
{
    std::vector<dictionary_entry> all = grammar_dictionary(rules);
    std::set<std::string> seen;
    for (const auto& e : all) {
        seen.insert(e.value);
    }
    for (auto more : {reply_code_dictionary(), extension_dictionary()}) {
        for (auto& e : more) {
            if (seen.insert(e.value).second) {
                all.push_back(std::move(e));
            }
        }
    }
    return all;
}

std::string format_dictionary(const std::vector<dictionary_entry>& entries)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "# smtpspec fuzzing dictionary, derived from the grammar and the model.\n";
    std::set<std::string> names;
    for (const auto& e : entries) {
        // Names only label entries, but a unique one makes a line easy to find.
        std::string name = e.name;
        for (int n = 2; !names.insert(name).second; ++n) {
            name = e.name + "_" + std::to_string(n);
        }
        out += name + "=\"";
        for (const char c : e.value) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 32 || u > 126 || c == '"' || c == '\\') {
                out += "\\x";
                out += hex[u >> 4U];
                out += hex[u & 15U];
            } else {
                out += c;
            }
        }
        out += "\"\n";
    }
    return out;
}

}  // namespace smtpspec::corpus
