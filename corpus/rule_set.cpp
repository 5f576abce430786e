// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/rule_set.hpp"

#include "corpus/reflect.hpp"
#include "grammar/internal/failure_tracker.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"

// Generated from grammar/rules/*.hpp: includes every rule header and lists the rules.
#include "corpus_rules.inc"

#include <tao/pegtl.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace smtpspec::corpus
{

namespace
{

namespace pegtl = tao::pegtl;

/// The 500 a pure rule's failure is given; only the rule and offset matter here.
constexpr int pure_rule_reply = 500;

template <typename Rule>
bool pure_matches(std::string_view text)
{
    pegtl::memory_input<> in(text.data(), text.size(), "corpus");
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
}

template <typename Rule>
std::optional<grammar::syntax_error> pure_locate(std::string_view text)
{
    grammar::internal::failure_tracker st;
    return grammar::internal::run<Rule, pegtl::nothing>(
        text, st, pure_rule_reply, grammar::internal::rule_identifier<Rule>());
}

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool starts_with_icase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size()
        && std::equal(prefix.begin(), prefix.end(), text.begin(),
                      [](char a, char b) { return lower(a) == lower(b); });
}

/// Hex groups of an IPv6 address, not counting an IPv4 part (as 4.1.3 counts them).
std::size_t ipv6_groups(std::string_view addr)
{
    std::size_t groups = 0;
    std::size_t i = 0;
    while (i <= addr.size()) {
        const std::size_t end = std::min(addr.find(':', i), addr.size());
        const std::string_view piece = addr.substr(i, end - i);
        if (!piece.empty() && piece.find('.') == std::string_view::npos) {
            ++groups;
        }
        i = end + 1;
    }
    return groups;
}

bool every_line_within(std::string_view text, std::size_t octets)
{
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find("\r\n", start);
        const std::size_t stop = end == std::string_view::npos ? text.size() : end + 2;
        if (stop - start > octets) {
            return false;
        }
        start = stop;
    }
    return true;
}

/// The typed parser to use for a public rule, by its identifier.
enum class typed_kind
{
    none,
    command,
    mailbox,
    reply_lines,
};

typed_kind typed_kind_of(std::string_view identifier)
{
    static constexpr std::array<std::string_view, 11> commands{
        "ehlo", "helo", "mail", "rcpt", "data", "rset", "vrfy", "expn", "help", "noop", "quit"};
    if (std::ranges::find(commands, identifier) != commands.end()) {
        return typed_kind::command;
    }
    if (identifier == "Mailbox") {
        return typed_kind::mailbox;
    }
    if (identifier == "Reply_line" || identifier == "Greeting") {
        return typed_kind::reply_lines;
    }
    return typed_kind::none;
}

/// Runs the typed parser of @p kind; an error's offset counts from the start of @p text.
std::optional<grammar::syntax_error> run_typed(typed_kind kind, std::string_view text)
{
    switch (kind) {
    case typed_kind::none:
        return std::nullopt;
    case typed_kind::command: {
        auto r = grammar::parse_command(text);
        if (auto* e = std::get_if<grammar::syntax_error>(&r)) {
            return *e;
        }
        return std::nullopt;
    }
    case typed_kind::mailbox: {
        auto r = grammar::parse_mailbox(text);
        if (auto* e = std::get_if<grammar::syntax_error>(&r)) {
            return *e;
        }
        return std::nullopt;
    }
    case typed_kind::reply_lines: {
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = text.find("\r\n", start);
            const std::size_t stop = end == std::string_view::npos ? text.size() : end + 2;
            auto r = grammar::parse_reply_line(text.substr(start, stop - start));
            if (auto* e = std::get_if<grammar::syntax_error>(&r)) {
                e->offset += start;
                return *e;
            }
            start = stop;
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

/// What within_constraints() checks for one rule.
enum class constraint
{
    none,
    snum,           // 4.1.3: at most 255
    ipv6_comp,      // 4.1.3: at most 6 groups besides "::"
    ipv6v4_comp,    // 4.1.3: at most 4 groups besides "::" and the IPv4 part
    general_tag,    // 4.1.3: a literal tagged "IPv6:" must hold an IPv6-addr
};

constraint constraint_of(std::string_view identifier)
{
    if (identifier == "Snum") {
        return constraint::snum;
    }
    if (identifier == "IPv6_comp") {
        return constraint::ipv6_comp;
    }
    if (identifier == "IPv6v4_comp") {
        return constraint::ipv6v4_comp;
    }
    if (identifier == "General_address_literal") {
        return constraint::general_tag;
    }
    return constraint::none;
}

std::optional<size_limit> limit_of(std::string_view identifier)
{
    namespace lim = grammar::limits;
    // The command rules that can reach 512 octets: the others end after a
    // Domain (at most 255) or have no argument at all.
    static constexpr std::array<std::string_view, 6> long_commands{"mail", "rcpt", "vrfy",
                                                                   "expn", "help", "noop"};
    static constexpr std::array<std::string_view, 5> short_commands{"ehlo", "helo", "data",
                                                                    "rset", "quit"};
    if (identifier == "Local_part") {
        return size_limit{lim::local_part_octets, "4.5.3.1.1", false, true};
    }
    if (identifier == "Domain" || identifier == "address_literal") {
        return size_limit{lim::domain_octets, "4.5.3.1.2", false, true};
    }
    if (identifier == "Path" || identifier == "Forward_path") {
        return size_limit{lim::path_octets, "4.5.3.1.3", false, true};
    }
    if (identifier == "internal::postmaster_at_domain") {
        return size_limit{lim::path_octets, "4.5.3.1.3", false, false};
    }
    if (std::ranges::find(long_commands, identifier) != long_commands.end()) {
        return size_limit{lim::command_line_octets, "4.5.3.1.4", false, true};
    }
    if (std::ranges::find(short_commands, identifier) != short_commands.end()) {
        return size_limit{lim::command_line_octets, "4.5.3.1.4", false, false};
    }
    if (identifier == "internal::reply_continuation_line"
        || identifier == "internal::reply_last_line") {
        return size_limit{lim::reply_line_octets, "4.5.3.1.5", false, true};
    }
    if (identifier == "Reply_line" || identifier == "Greeting") {
        return size_limit{lim::reply_line_octets, "4.5.3.1.5", true, false};
    }
    return std::nullopt;
}

}  // namespace

struct rule_set::parsers
{
    bool (*matches)(std::string_view);
    std::optional<grammar::syntax_error> (*locate)(std::string_view);
};

namespace
{
/// Per rule index, what within_constraints() and limit() use; filled once.
struct rule_facts
{
    constraint check = constraint::none;
    std::optional<size_limit> limit;
    typed_kind typed = typed_kind::none;
};

std::vector<rule_facts>& facts()
{
    static std::vector<rule_facts> f;
    return f;
}
}  // namespace

rule_set::rule_set()
{
    graph_builder b(graph_);
    struct registered
    {
        std::size_t node;
        parsers p;
    };
    std::vector<registered> found;
#define SMTPSPEC_CORPUS_RULE(name)                                                            \
    found.push_back({b.add<grammar::rules::name>(),                                          \
                     {&pure_matches<grammar::rules::name>, &pure_locate<grammar::rules::name>}});
#include "corpus_rules.inc"
#undef SMTPSPEC_CORPUS_RULE

    static std::vector<parsers> storage;
    storage.clear();
    storage.reserve(found.size());
    parsers_.assign(graph_.rules.size(), nullptr);
    for (const registered& r : found) {
        storage.push_back(r.p);
        const std::size_t rule = graph_.nodes[r.node].rule;
        parsers_[rule] = &storage.back();
        public_.push_back(rule);
    }
    auto& f = facts();
    f.assign(graph_.rules.size(), rule_facts{});
    for (std::size_t i = 0; i < graph_.rules.size(); ++i) {
        const std::string& id = graph_.rules[i].identifier;
        f[i].check = constraint_of(id);
        f[i].limit = limit_of(id);
        f[i].typed = typed_kind_of(id);
    }
}

const rule_set& rule_set::grammar()
{
    static const rule_set set;
    return set;
}

std::optional<std::size_t> rule_set::find(std::string_view name) const
{
    for (const std::size_t r : public_) {
        if (graph_.rules[r].name == name || graph_.rules[r].identifier == name) {
            return r;
        }
    }
    return std::nullopt;
}

bool rule_set::has_typed_parser(std::size_t rule) const
{
    return facts()[rule].typed != typed_kind::none;
}

bool rule_set::constrained(std::size_t rule) const
{
    return facts()[rule].check != constraint::none || facts()[rule].limit.has_value();
}

std::optional<size_limit> rule_set::limit(std::size_t rule) const { return facts()[rule].limit; }

verdict rule_set::check(std::size_t rule, std::string_view text) const
{
    verdict v;
    const parsers* p = parsers_.at(rule);
    if (p == nullptr) {
        v.error = grammar::syntax_error{graph_.rules[rule].name, 0,
                                        "not a public rule of grammar/rules", pure_rule_reply};
        return v;
    }
    const typed_kind kind = facts()[rule].typed;
    v.typed = kind != typed_kind::none;
    if (!p->matches(text)) {
        // The typed parser names the rule as the server would; without one, the pure rule does.
        v.error = v.typed ? run_typed(kind, text) : std::nullopt;
        if (!v.error) {
            v.error = p->locate(text);
        }
        return v;
    }
    v.error = run_typed(kind, text);
    v.accepted = !v.error.has_value();
    return v;
}

bool rule_set::within_constraints(std::size_t rule, std::string_view text) const
{
    const rule_facts& f = facts()[rule];
    if (f.limit) {
        if (f.limit->per_line ? !every_line_within(text, f.limit->octets)
                              : text.size() > f.limit->octets) {
            return false;
        }
    }
    switch (f.check) {
    case constraint::none:
        return true;
    case constraint::snum: {
        unsigned value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        return value <= 255;
    }
    case constraint::ipv6_comp:
        return ipv6_groups(text) <= 6;
    case constraint::ipv6v4_comp:
        return ipv6_groups(text) <= 4;
    case constraint::general_tag:
        return !starts_with_icase(text, "IPv6:");
    }
    return true;
}

}  // namespace smtpspec::corpus
