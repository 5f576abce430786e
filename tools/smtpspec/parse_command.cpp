// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// `smtpspec parse RULE [FILE|-]`: parses input with any ABNF rule of grammar/rules
// and prints the parse tree, or where and why the input is not in the rule's language.

#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include "corpus/rule_set.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "grammar/reply_parser.hpp"
#include "grammar/rule_index.hpp"
#include "lint/script.hpp"
#include "reference/trace.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace smtpspec::tools
{

namespace
{

struct parse_cli
{
    std::string rule;
    std::string file = "-";
    std::string text;
    bool strict = false;
    bool list = false;
    bool whole = false;
    bool lines = false;
    bool crlf = false;
    bool quiet = false;
};

/// One piece of input to parse, and where it came from.
struct piece
{
    std::string text;
    std::size_t line = 1;  ///< Input line of its first octet, from 1.
};

/// What went wrong, for the message: rule, offset in the piece, message.
struct failure
{
    std::string rule;
    std::size_t offset = 0;
    std::string message;
};

/// Shows octets for people (CR, LF and other controls escaped), at most 60 of them.
std::string show(std::string_view s)
{
    return reference::printable(s.substr(0, 60)) + (s.size() > 60 ? "..." : "");
}

/// @return the ABNF spelling of a rule identifier: "Reverse_path" -> "Reverse-path".
std::string abnf_name(std::string_view identifier)
{
    std::string name(identifier);
    std::ranges::replace(name, '_', '-');
    return name;
}

const corpus::rule_set& graph_rules()
{
    return corpus::rule_set::grammar();
}

/// @return true when a match of @p node must end with CRLF (the rule is a line).
bool ends_with_crlf(const corpus::grammar_graph& g, std::size_t node, int depth = 0)
{
    const corpus::node& n = g.nodes[node];
    if (depth > 8) {
        return false;
    }
    switch (n.kind) {
    case corpus::node_kind::rule:
        return g.rules[n.rule].identifier == "CRLF" || ends_with_crlf(g, n.subs.at(0), depth + 1);
    case corpus::node_kind::seq:
        for (auto it = n.subs.rbegin(); it != n.subs.rend(); ++it) {
            const auto kind = g.nodes[*it].kind;
            if (kind != corpus::node_kind::at && kind != corpus::node_kind::not_at &&
                kind != corpus::node_kind::empty) {
                return ends_with_crlf(g, *it, depth + 1);
            }
        }
        return false;
    case corpus::node_kind::sor:
        for (const std::size_t s : n.subs) {
            if (!ends_with_crlf(g, s, depth + 1)) {
                return false;
            }
        }
        return !n.subs.empty();
    default:
        return false;
    }
}

/// @return true when a match of rule @p rule may hold a CRLF before its end:
/// it folds (FWS) or is a reply of several lines.
bool spans_lines(const corpus::grammar_graph& g, std::size_t rule)
{
    std::vector<bool> seen(g.nodes.size());
    std::vector<std::size_t> todo{g.rules[rule].node};
    while (!todo.empty()) {
        const std::size_t n = todo.back();
        todo.pop_back();
        if (seen[n]) {
            continue;
        }
        seen[n] = true;
        const corpus::node& x = g.nodes[n];
        if (x.kind == corpus::node_kind::rule) {
            const std::string& id = g.rules[x.rule].identifier;
            if (id == "FWS" || id == "Reply_line" || id == "Greeting") {
                return true;
            }
        }
        todo.insert(todo.end(), x.subs.begin(), x.subs.end());
    }
    return false;
}

/// The graph rule of an unqualified identifier, preferring rules of grammar::rules itself.
std::optional<std::size_t> graph_rule(std::string_view identifier)
{
    static const std::unordered_map<std::string, std::size_t> index = [] {
        std::unordered_map<std::string, std::size_t> m;
        const auto& rules = graph_rules().graph().rules;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const std::string& id = rules[i].identifier;
            const std::size_t colon = id.rfind("::");
            const std::string last = colon == std::string::npos ? id : id.substr(colon + 2);
            if (colon == std::string::npos || m.find(last) == m.end()) {
                m[last] = i;
            }
        }
        return m;
    }();
    const auto it = index.find(std::string(identifier));
    return it == index.end() ? std::nullopt : std::optional(it->second);
}

/// What a prose constraint of 4.1.3 on @p identifier says, for messages.
std::string constraint_text(std::string_view identifier)
{
    if (identifier == "Snum") {
        return "is over 255 (RFC 5321 4.1.3)";
    }
    if (identifier == "IPv6_comp") {
        return "has more than 6 groups besides \"::\" (RFC 5321 4.1.3)";
    }
    if (identifier == "IPv6v4_comp") {
        return "has more than 4 groups besides \"::\" and the IPv4 part (RFC 5321 4.1.3)";
    }
    return "is tagged \"IPv6:\" but does not hold an IPv6-addr (RFC 5321 4.1.3)";
}

/// The --strict checks: the typed parser of the rule, and the constraints of every node.
std::optional<failure> strict_check(const grammar::rule_info& rule, const grammar::rule_parse& p,
                                    std::string_view text)
{
    if (rule.identifier == "Reply_line" || rule.identifier == "Greeting") {
        const auto r = grammar::parse_reply(text);
        if (const auto* e = std::get_if<grammar::reply_error>(&r)) {
            std::size_t start = 0;
            for (std::size_t i = 0; i < e->line; ++i) {
                start = text.find("\r\n", start) + 2;
            }
            return failure{e->error.rule, start + e->error.offset, e->error.message};
        }
    } else if (const auto r = graph_rules().find(rule.identifier);
               r && graph_rules().has_typed_parser(*r)) {
        const corpus::verdict v = graph_rules().check(*r, text);
        if (!v.accepted && v.error) {
            return failure{v.error->rule, v.error->offset, v.error->message};
        }
    }
    for (const grammar::tree_node& n : p.tree) {
        const auto g = graph_rule(n.identifier);
        const std::string_view match = text.substr(n.begin, n.end - n.begin);
        if (!g || graph_rules().within_constraints(*g, match)) {
            continue;
        }
        const std::string name = graph_rules().graph().rules[*g].name;
        const auto limit = graph_rules().limit(*g);
        if (limit && match.size() > limit->octets) {
            return failure{name, n.begin + limit->octets,
                           name + " is " + std::to_string(match.size()) +
                               " octets, over the limit of " + std::to_string(limit->octets) +
                               " (RFC 5321 " + limit->section + ")"};
        }
        return failure{name, n.begin,
                       name + " \"" + show(match) + "\" " + constraint_text(n.identifier)};
    }
    return std::nullopt;
}

/// Prints the typed value where a typed parser exists.
void print_typed(const grammar::rule_info& rule, std::string_view text)
{
    if (rule.identifier == "Reply_line" || rule.identifier == "Greeting") {
        const grammar::reply_result result = grammar::parse_reply(text);
        if (const auto* r = std::get_if<grammar::parsed_reply>(&result)) {
            std::printf("reply: code %d, %zu line(s)\n", r->code, r->lines.size());
        }
        return;
    }
    if (rule.identifier == "Mailbox") {
        const auto m = grammar::parse_mailbox(text);
        if (const auto* box = std::get_if<grammar::mailbox>(&m)) {
            std::printf("mailbox: local-part \"%s\", domain \"%s\"\n",
                        show(box->local_part).c_str(), show(box->domain).c_str());
        }
        return;
    }
    const auto c = grammar::parse_command(text);
    if (const auto* cmd = std::get_if<grammar::command>(&c)) {
        std::printf("command: %s\n", grammar::verb(*cmd));
    }
}

/// @return the 1-based line and column of @p offset in @p text, counted from @p first_line.
std::pair<std::size_t, std::size_t> position(std::string_view text, std::size_t offset,
                                             std::size_t first_line)
{
    std::size_t line = first_line;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return {line, offset - line_start + 1};
}

/// Why @p rule refuses @p text: the pure rule's error, or with --strict the checks'.
std::optional<failure> refusal(const parse_cli& cli, const grammar::rule_info& rule,
                               const grammar::rule_parse& p, std::string_view text)
{
    if (p.error) {
        return failure{p.error->rule, p.error->offset, p.error->message};
    }
    return cli.strict ? strict_check(rule, p, text) : std::nullopt;
}

/**
 * The RFC 6531 variant of an RFC 5321 rule (smtputf8::NAME) when it takes the
 * input that @p rule refused for its UTF-8: the rule names choose the
 * grammar, and this says which name to use.
 */
const grammar::rule_info* smtputf8_variant(const parse_cli& cli, const grammar::rule_info& rule,
                                           std::string_view text)
{
    const bool utf8 = std::ranges::any_of(text, [](char c) { return (c & 0x80) != 0; });
    if (!utf8 || rule.name.find("::") != std::string_view::npos) {
        return nullptr;
    }
    const grammar::rule_info* variant = grammar::find_rule("smtputf8::" + std::string(rule.name));
    if (variant == nullptr) {
        return nullptr;
    }
    const grammar::rule_parse p = variant->parse(text);
    return refusal(cli, *variant, p, text) ? nullptr : variant;
}

/// Parses one piece; prints the tree or the error. @return true when it is in the language.
bool parse_piece(const parse_cli& cli, const grammar::rule_info& rule, const piece& in)
{
    const grammar::rule_parse p = rule.parse(in.text);
    if (const std::optional<failure> f = refusal(cli, rule, p, in.text)) {
        const auto [line, column] = position(in.text, f->offset, in.line);
        const grammar::rule_info* failed = grammar::find_rule(f->rule);
        const std::string section(failed != nullptr ? failed->section : rule.section);
        std::cerr << cli.file << ':' << line << ':' << column << ": " << rule.name << ": failed in "
                  << f->rule << " (" << section << ") at offset " << f->offset << ": " << f->message
                  << '\n';
        if (const grammar::rule_info* v = smtputf8_variant(cli, rule, in.text)) {
            std::cerr << cli.file << ':' << in.line << ": note: " << v->name
                      << " (RFC 6531 3.3, SMTPUTF8) matches it\n";
        }
        return false;
    }
    if (cli.quiet) {
        return true;
    }
    std::printf("%s:%zu: %s (%s) matches\n", cli.file.c_str(), in.line,
                std::string(rule.name).c_str(), std::string(rule.section).c_str());
    for (const grammar::tree_node& n : p.tree) {
        std::printf("%*s%s [%zu,%zu) \"%s\"\n", static_cast<int>(2 * n.depth + 2), "",
                    abnf_name(n.identifier).c_str(), n.begin, n.end,
                    show(std::string_view(in.text).substr(n.begin, n.end - n.begin)).c_str());
    }
    if (cli.strict) {
        print_typed(rule, in.text);
    }
    return true;
}

std::string read_input(const parse_cli& cli)
{
    if (!cli.text.empty()) {
        // The escapes of `smtpspec lint`, with the same checks.
        auto decoded = lint::decode_escapes(cli.text, 1);
        if (const auto* bad = std::get_if<lint::format_error>(&decoded)) {
            std::cerr << "smtpspec parse: -e: " << bad->message << '\n';
            throw CLI::RuntimeError(exit_usage);
        }
        return std::get<std::string>(std::move(decoded));
    }
    if (cli.file == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), {});
    }
    std::string content;
    if (const std::string error = read_file(cli.file, content); !error.empty()) {
        std::cerr << "smtpspec parse: " << error << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
    return content;
}

/// Splits the input into what is parsed: the whole of it, or its lines.
std::vector<piece> pieces_of(const parse_cli& cli, const grammar::rule_info& rule,
                             std::string input)
{
    const auto g = graph_rules().find(rule.identifier);
    const bool whole = cli.whole || (!cli.lines && g && spans_lines(graph_rules().graph(), *g));
    if (cli.crlf) {
        std::string fixed;
        for (std::size_t i = 0; i < input.size(); ++i) {
            if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r')) {
                fixed += '\r';
            }
            fixed += input[i];
        }
        input = std::move(fixed);
    }
    if (whole) {
        return {piece{std::move(input), 1}};
    }
    const bool add_crlf =
        g && ends_with_crlf(graph_rules().graph(), graph_rules().graph().rules[*g].node);
    std::vector<piece> out;
    std::size_t start = 0;
    std::size_t line = 1;
    while (start < input.size()) {
        const std::size_t lf = input.find('\n', start);
        const std::size_t stop = lf == std::string::npos ? input.size() : lf;
        std::string text = input.substr(start, stop - start);
        if (!text.empty() && text.back() == '\r') {
            text.pop_back();
        }
        // The line's end, LF or CRLF, stands for the CRLF of a rule that ends in one.
        out.push_back(piece{add_crlf ? text + "\r\n" : text, line++});
        start = stop == input.size() ? stop : stop + 1;
    }
    if (out.empty()) {
        out.push_back(piece{"", 1});  // No input is one empty line, which few rules accept.
    }
    return out;
}

void run_parse_command(const parse_cli& cli)
{
    if (cli.list) {
        for (const grammar::rule_info& r : grammar::all_rules()) {
            std::printf("%-40s %s\n", std::string(r.name).c_str(), std::string(r.section).c_str());
        }
        return;
    }
    if (cli.rule.empty()) {
        std::cerr << "smtpspec parse: give a RULE (smtpspec parse --list lists them)\n";
        throw CLI::RuntimeError(exit_usage);
    }
    const grammar::rule_info* rule = grammar::find_rule(cli.rule);
    if (rule == nullptr) {
        std::cerr << "smtpspec parse: unknown rule \"" << cli.rule
                  << "\" (smtpspec parse --list lists the rules)\n";
        throw CLI::RuntimeError(exit_usage);
    }
    bool all = true;
    for (const piece& p : pieces_of(cli, *rule, read_input(cli))) {
        all = parse_piece(cli, *rule, p) && all;
    }
    if (!all) {
        throw CLI::RuntimeError(exit_failed);
    }
}

}  // namespace

void add_parse_command(CLI::App& app)
{
    auto cli = std::make_shared<parse_cli>();
    auto* cmd = app.add_subcommand(
        "parse", "parse input with an ABNF rule; print the parse tree or where it fails");
    cmd->add_option("rule", cli->rule,
                    "ABNF rule as the RFC spells it, e.g. Mailbox, mail, "
                    "Reply-line, Time-stamp-line; smtputf8::NAME is NAME as RFC 6531 "
                    "extends it (UTF-8 with SMTPUTF8)");
    auto* file = cmd->add_option("file", cli->file, "input file, or - for stdin (the default)");
    cmd->add_option("-e,--text", cli->text,
                    "parse TEXT instead, with the escapes of smtpspec lint: \\r \\n \\t \\\\ "
                    "\\xHH (any other is refused)")
        ->excludes(file);
    cmd->add_flag("--strict", cli->strict,
                  "also check the limits of 4.5.3.1 and the constraints the prose adds");
    auto* whole = cmd->add_flag("--whole", cli->whole, "parse the whole input as one match");
    cmd->add_flag("--lines", cli->lines, "parse each line on its own")->excludes(whole);
    cmd->add_flag("--crlf", cli->crlf, "read a bare LF in the input as CRLF");
    cmd->add_flag("-q,--quiet", cli->quiet, "print only the errors");
    cmd->add_flag("--list", cli->list, "print the rule names with their sections and exit");
    cmd->callback([cli] { run_parse_command(*cli); });
}

}  // namespace smtpspec::tools
