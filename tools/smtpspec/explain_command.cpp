// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "reference/trace.hpp"
#include "spec/catalogue.hpp"
#include "spec/coverage.hpp"
#include "spec/ref.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace smtpspec::tools
{

namespace
{

using nlohmann::json;
using spec::ref;

struct explain_args
{
    std::string query;
    bool json = false;
};

// clang-format off
/// The requirements behind each command verb when the line parses.
struct verb_refs
{
    std::string_view verb;  ///< Upper-case verb.
    ref why;                ///< Its section, key requirements and WG issues.
};

constexpr std::array<verb_refs, 11> verb_table{{
    {"EHLO", ref{"4.1.1.1", {"R-4.1.1.1-3", "R-4.1.1.1-8", "R-4.1.4-4", "R-4.1.4-5"}, {107, 116}}},
    {"HELO", ref{"4.1.1.1", {"R-4.1.1.1-4", "R-4.1.1.1-5", "R-F.3-2"}, {116}}},
    {"MAIL", ref{"4.1.1.2", {"R-4.1.1.1-6", "R-4.1.4-13", "R-4.1.4-14"}, {101}}},
    {"RCPT", ref{"4.1.1.3", {"R-3.3-10", "R-4.1.1.3-2", "R-4.1.1.3-8"}, {106}}},
    {"DATA", ref{"4.1.1.4", {"R-3.3-11", "R-3.3-13", "R-4.1.1.4-5", "R-4.1.1.4-6"}, {114}}},
    {"RSET", ref{"4.1.1.5", {"R-4.1.1.5-1", "R-4.1.1.5-2", "R-4.1.1.5-3"}, {116}}},
    {"VRFY", ref{"4.1.1.6", {"R-3.5.1-1", "R-3.5.3-1", "R-3.5.3-4"}, {104}}},
    {"EXPN", ref{"4.1.1.7", {"R-3.5.1-7", "R-3.5.2-9", "R-3.5.3-1"}, {104}}},
    {"HELP", ref{"4.1.1.8", {"R-4.1.1.8-1", "R-4.1.1.8-2", "R-4.1.1.8-3"}}},
    {"NOOP", ref{"4.1.1.9", {"R-4.1.1.9-1"}}},
    {"QUIT", ref{"4.1.1.10", {"R-4.1.1.10-1", "R-4.1.1.10-2"}}},
}};

/// The requirements behind a syntax error, by the ABNF rule the parser names.
struct rule_refs
{
    std::string_view rule;  ///< Rule named by grammar::syntax_error.
    ref why;                ///< Why that failure gets its reply.
};

constexpr std::array<rule_refs, 8> rule_table{{
    {"CRLF", ref{"2.3.8", {"R-2.3.8-1"}}},
    {"ehlo", ref{"4.1.4", {"R-4.1.4-5", "R-4.1.4-6"}, {107}}},
    {"helo", ref{"4.1.4", {"R-4.1.4-5", "R-4.1.4-6"}}},
    {"Domain", ref{"4.1.2", {"R-4.1.2-11"}}},
    {"address-literal", ref{"4.1.3"}},
    {"data", ref{"4.1.1", {"R-4.1.1-3", "R-4.1.1-4", "R-4.3.2-5"}}},
    {"rset", ref{"4.1.1", {"R-4.1.1-3", "R-4.1.1-4", "R-4.3.2-5"}}},
    {"quit", ref{"4.1.1", {"R-4.1.1-3", "R-4.1.1-4", "R-4.3.2-5"}}},
}};

/// Failures of the rule "command": which one is told apart by the line.
constexpr ref unknown_verb_ref{"4.2.4", {"R-4.2.4-3"}};
constexpr ref line_too_long_ref{"4.5.3.1.4", {"R-4.5.3.1-1"}};
constexpr ref non_ascii_ref{"2.4", {"R-2.4-9", "R-4.1.2-10"}};
/// Any other 501: the arguments do not match the command's ABNF (4.2.3, 4.3.2).
constexpr ref bad_arguments_ref{"4.3.2"};
/// A MAIL or RCPT line the grammar refused, by verb.
constexpr ref bad_mail_ref{"4.1.4", {"R-4.1.4-14", "R-4.1.4-15"}};
constexpr ref bad_rcpt_ref{"4.1.1.3"};
/// RCPT TO:<>: the forward-path must name a mailbox (EMAILCORE #106).
constexpr ref null_forward_path_ref{"4.1.1.3", {}, {106}};
/// Special cases of a parsed command.
constexpr ref null_reverse_path_ref{"4.5.5", {"R-4.5.5-1", "R-6.1-3"}};
constexpr ref bare_postmaster_ref{"4.1.1.3", {"R-2.3.5-4"}, {98}};
constexpr ref rcpt_parameters_ref{"4.1.1.3", {"R-4.1.1.3-8"}};
constexpr ref mail_parameters_ref{"4.1.1.2"};
constexpr ref source_route_ref{"4.1.2", {"R-4.1.2-1", "R-4.1.2-2", "R-4.1.2-3"}, {106}};
// clang-format on

/// Verbs that make a query an SMTP command line: RFC 5321's, its appendix
/// F's, and those of common extensions (the parser knows only the first 11).
constexpr std::array<std::string_view, 20> smtp_verbs{
    "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "VRFY",     "EXPN", "HELP", "NOOP",
    "QUIT", "SEND", "SOML", "SAML", "TURN", "ETRN", "STARTTLS", "BDAT", "AUTH", "ATRN"};

/// Thrown for a query that names nothing explain knows; exits with exit_usage.
struct unknown_query
{
    std::string message;
};

std::string upper(std::string_view text)
{
    std::string out{text};
    std::ranges::transform(out, out.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

// ----------------------------------------------------------------------------
// JSON building blocks, shared by the text output (which reads them back).

json requirement_brief(const spec::requirement_entry& r)
{
    return {{"id", r.id},
            {"section", r.section},
            {"keyword", r.keyword},
            {"actor", r.actor},
            {"summary", r.summary},
            {"wg", std::vector<int>(r.wg.begin(), r.wg.end())},
            {"wire", r.wire}};
}

json issue_brief(const spec::wg_issue_entry& w)
{
    return {{"number", w.number},
            {"title", w.title},
            {"switch", w.profile_switch.empty() ? json(nullptr) : json(w.profile_switch)}};
}

json locations(const std::vector<const spec::citation*>& cs)
{
    json out = json::array();
    for (const auto* c : cs) {
        out.push_back({{"file", c->file}, {"line", c->line}, {"kind", spec::to_string(c->kind)}});
    }
    return out;
}

json bis_json(const spec::bis_change_entry* b)
{
    if (b == nullptr) {
        return nullptr;
    }
    return {{"state", b->state},
            {"change", b->change},
            {"wg", std::vector<int>(b->wg.begin(), b->wg.end())},
            {"rfc", std::vector<int>(b->rfcs.begin(), b->rfcs.end())}};
}

/// The refs behind an explanation, with each requirement and issue spelled out.
json refs_json(const std::vector<ref>& refs)
{
    json out = json::array();
    for (const auto& r : refs) {
        json reqs = json::array();
        for (const auto& id : r.requirements()) {
            reqs.push_back(requirement_brief(*spec::find_requirement(id.str())));
        }
        json issues = json::array();
        for (const auto& w : r.issues()) {
            issues.push_back(issue_brief(*spec::find_wg_issue(w.number())));
        }
        const auto* s = spec::find_section(r.section().str());
        out.push_back({{"section", r.section().str()},
                       {"title", s != nullptr ? s->title : ""},
                       {"requirements", reqs},
                       {"wg", issues}});
    }
    return out;
}

// ----------------------------------------------------------------------------
// The four kinds of query.

json explain_section(const spec::section_entry& s)
{
    json reqs = json::array();
    std::set<int> issues;
    for (const auto& r : spec::requirements()) {
        if (r.section == s.id) {
            reqs.push_back(requirement_brief(r));
            issues.insert(r.wg.begin(), r.wg.end());
        }
    }
    for (const auto& w : spec::wg_issues()) {
        if (std::ranges::find(w.bis_sections, s.id) != w.bis_sections.end()) {
            issues.insert(w.number);
        }
    }
    json wg = json::array();
    for (const int n : issues) {
        wg.push_back(issue_brief(*spec::find_wg_issue(n)));
    }
    // Citations of the section itself, with or without a requirement id.
    json cited = json::array();
    for (const auto& c : spec::citations()) {
        if (c.section == s.id) {
            cited.push_back({{"file", c.file},
                             {"line", c.line},
                             {"requirement", c.requirement},
                             {"kind", spec::to_string(c.kind)}});
        }
    }
    return {{"kind", "section"},
            {"id", s.id},
            {"title", s.title},
            {"requirements", reqs},
            {"wg", wg},
            {"cited", cited}};
}

json explain_requirement(const spec::requirement_entry& r)
{
    const auto cov = spec::coverage_of(r);
    const auto* s = spec::find_section(r.section);
    json wg = json::array();
    for (const int n : r.wg) {
        wg.push_back(issue_brief(*spec::find_wg_issue(n)));
    }
    json out = requirement_brief(r);
    out["kind"] = "requirement";
    out["section_title"] = s != nullptr ? s->title : "";
    out["wg"] = wg;
    out["na"] = r.na.empty() ? json(nullptr) : json(r.na);
    out["bis"] = bis_json(spec::find_bis_change(r.id));
    out["status"] = spec::to_string(cov.status);
    out["implementations"] = locations(cov.implementations);
    out["tests"] = locations(cov.tests);
    out["others"] = locations(cov.others);
    out["checks"] = locations(cov.checks);
    return out;
}

json explain_issue(const spec::wg_issue_entry& w)
{
    json reqs = json::array();
    for (const auto& r : spec::requirements()) {
        if (std::ranges::find(r.wg, w.number) != r.wg.end()) {
            reqs.push_back(requirement_brief(r));
        }
    }
    json changes = json::array();
    for (const auto& b : spec::bis_changes()) {
        if (std::ranges::find(b.wg, w.number) != b.wg.end()) {
            json c = bis_json(&b);
            c["requirement"] = b.requirement;
            changes.push_back(c);
        }
    }
    return {{"kind", "wg_issue"},
            {"number", w.number},
            {"title", w.title},
            {"bis_sections", std::vector<std::string_view>(w.bis_sections.begin(),
                                                           w.bis_sections.end())},
            {"readings", std::vector<std::string_view>(w.readings.begin(), w.readings.end())},
            {"behaviour", w.behaviour},
            {"switch", w.profile_switch.empty() ? json(nullptr) : json(w.profile_switch)},
            {"requirements", reqs},
            {"bis_changes", changes}};
}

/// The refs that apply to a line the grammar accepted.
std::vector<ref> parsed_refs(const grammar::command& cmd)
{
    const std::string_view v = grammar::verb(cmd);
    std::vector<ref> out;
    for (const auto& entry : verb_table) {
        if (entry.verb == v) {
            out.push_back(entry.why);
        }
    }
    if (const auto* mail = std::get_if<grammar::mail_command>(&cmd)) {
        if (mail->from.is_null()) {
            out.push_back(null_reverse_path_ref);
        } else if (!mail->from.value->source_route.empty()) {
            out.push_back(source_route_ref);
        }
        if (!mail->params.empty()) {
            out.push_back(mail_parameters_ref);
        }
    }
    if (const auto* rcpt = std::get_if<grammar::rcpt_command>(&cmd)) {
        if (rcpt->to.bare_postmaster) {
            out.push_back(bare_postmaster_ref);
        } else if (!rcpt->to.value->source_route.empty()) {
            out.push_back(source_route_ref);
        }
        if (!rcpt->params.empty()) {
            out.push_back(rcpt_parameters_ref);
        }
    }
    return out;
}

/// The refs that apply to a line the grammar refused.
std::vector<ref> error_refs(std::string_view line, const grammar::syntax_error& e)
{
    if (e.rule == "command") {
        if (line.size() > grammar::limits::command_line_octets) {
            return {line_too_long_ref};
        }
        if (std::ranges::any_of(line, [](char c) { return static_cast<unsigned char>(c) > 127; })) {
            return {non_ascii_ref};
        }
        return {unknown_verb_ref};
    }
    std::vector<ref> out;
    const std::string head = upper(line.substr(0, std::min<std::size_t>(line.size(), 10)));
    if (head.starts_with("MAIL")) {
        out.push_back(bad_mail_ref);
    } else if (head.starts_with("RCPT TO:<>")) {
        out.push_back(null_forward_path_ref);
        out.push_back(bad_arguments_ref);
    } else if (head.starts_with("RCPT")) {
        out.push_back(bad_rcpt_ref);
    }
    for (const auto& entry : rule_table) {
        if (entry.rule == e.rule) {
            out.push_back(entry.why);
        }
    }
    if (out.empty()) {
        out.push_back(bad_arguments_ref);
    }
    return out;
}

json command_json(const grammar::command& cmd)
{
    json out{{"verb", grammar::verb(cmd)}};
    std::visit(
        [&](const auto& c) {
            using type = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<type, grammar::ehlo_command>) {
                out["domain"] = c.domain;
                out["address_literal"] = c.is_literal;
            } else if constexpr (std::is_same_v<type, grammar::helo_command>) {
                out["domain"] = c.domain;
            } else if constexpr (std::is_same_v<type, grammar::mail_command>) {
                out["reverse_path"] = grammar::to_string(c.from);
            } else if constexpr (std::is_same_v<type, grammar::rcpt_command>) {
                out["forward_path"] = grammar::to_string(c.to);
            } else if constexpr (std::is_same_v<type, grammar::vrfy_command>
                                 || std::is_same_v<type, grammar::expn_command>) {
                out["argument"] = c.argument;
            } else if constexpr (std::is_same_v<type, grammar::help_command>) {
                out["topic"] = c.topic ? json(*c.topic) : json(nullptr);
            } else if constexpr (std::is_same_v<type, grammar::noop_command>) {
                out["argument"] = c.argument ? json(*c.argument) : json(nullptr);
            }
            if constexpr (std::is_same_v<type, grammar::mail_command>
                          || std::is_same_v<type, grammar::rcpt_command>) {
                json params = json::array();
                for (const auto& p : c.params) {
                    params.push_back(grammar::to_string(p));
                }
                out["parameters"] = params;
            }
        },
        cmd);
    return out;
}

json explain_command_line(std::string_view query)
{
    std::string line{query};
    if (!line.ends_with("\r\n")) {
        line += "\r\n";
    }
    const auto result = grammar::parse_command(line);
    json out{{"kind", "command"}, {"line", line}};
    std::vector<ref> refs;
    if (const auto* e = std::get_if<grammar::syntax_error>(&result)) {
        const auto* reply = spec::find_reply_code(e->reply_code);
        out["error"] = {{"rule", e->rule},
                        {"offset", e->offset},
                        {"message", e->message},
                        {"reply_code", e->reply_code},
                        {"reply_meaning", reply != nullptr ? reply->meaning : ""}};
        refs = error_refs(line, *e);
    } else {
        const auto& cmd = std::get<grammar::command>(result);
        out["command"] = command_json(cmd);
        refs = parsed_refs(cmd);
    }
    out["refs"] = refs_json(refs);
    return out;
}

/// Decides what the query names and explains it; throws unknown_query.
json explain(const std::string& query)
{
    if (query.empty()) {
        throw unknown_query{"nothing to explain"};
    }
    if (query.starts_with("R-")) {
        if (const auto* r = spec::find_requirement(query)) {
            return explain_requirement(*r);
        }
        throw unknown_query{"no requirement " + query + " in spec/data/requirements.toml"};
    }
    const bool digits = std::ranges::all_of(query, [](unsigned char c) { return std::isdigit(c); });
    if (digits && query.size() <= 6) {
        if (const auto* w = spec::find_wg_issue(std::stoi(query))) {
            return explain_issue(*w);
        }
    }
    std::string section = query;
    if (section.starts_with("section ") || section.starts_with("Section ")) {
        section = section.substr(8);
    }
    if (const auto* s = spec::find_section(section)) {
        return explain_section(*s);
    }
    const std::string verb = upper(query.substr(0, query.find_first_of(" :\r\n")));
    if (std::ranges::find(smtp_verbs, verb) != smtp_verbs.end()) {
        const auto body = std::string_view{query}.substr(
            0, query.ends_with("\r\n") ? query.size() - 2 : query.size());
        if (const auto cut = body.find_first_of("\r\n"); cut != std::string_view::npos) {
            throw unknown_query{"the text holds a line break at offset " + std::to_string(cut)
                                + ": explain takes one command line at a time (use "
                                  "`smtpspec lint` for a dialogue)"};
        }
        return explain_command_line(query);
    }
    if (digits) {
        throw unknown_query{"\"" + query + "\" is neither a tracked EMAILCORE issue nor a "
                                           "section of the catalogue"};
    }
    throw unknown_query{"\"" + query + "\" is not a section (4.1.1.3), a requirement id "
                                       "(R-4.1.1.3-2), a WG issue (116) or an SMTP command line "
                                       "(\"RCPT TO:<>\")"};
}

// ----------------------------------------------------------------------------
// Text output, from the JSON.

std::string str(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

void print_requirement_line(std::ostream& out, const json& r)
{
    out << "  " << str(r["id"]) << "  " << str(r["keyword"]) << "  (" << str(r["actor"]) << ")  "
        << str(r["summary"]);
    if (!r["wg"].empty()) {
        out << "  [WG";
        for (const auto& w : r["wg"]) {
            out << " #" << (w.is_object() ? w["number"].get<int>() : w.get<int>());
        }
        out << ']';
    }
    out << '\n';
}

void print_issue_line(std::ostream& out, const json& w)
{
    out << "  #" << w["number"].get<int>() << "  " << str(w["title"]);
    if (w.contains("switch") && !w["switch"].is_null()) {
        out << "  (switch " << str(w["switch"]) << ')';
    }
    out << '\n';
}

void print_bis(std::ostream& out, const json& b, std::string_view indent)
{
    out << indent << "5321bis (" << str(b["state"]) << "): " << str(b["change"]);
    std::string from;
    for (const auto& n : b["wg"]) {
        from += (from.empty() ? "" : ", ") + std::string{"WG #"} + std::to_string(n.get<int>());
    }
    for (const auto& n : b["rfc"]) {
        from += (from.empty() ? "" : ", ") + std::string{"RFC "} + std::to_string(n.get<int>());
    }
    out << " (" << from << ")\n";
}

void print_locations(std::ostream& out, std::string_view what, const json& list)
{
    for (const auto& c : list) {
        out << "  " << what << ' ' << str(c["file"]) << ':' << c["line"].get<int>();
        if (what == "noted") {
            out << " (" << str(c["kind"]) << ')';
        }
        out << '\n';
    }
}

void print_text(std::ostream& out, const json& j)
{
    const std::string kind = j["kind"];
    if (kind == "section") {
        out << "Section " << str(j["id"]) << ": " << str(j["title"]) << '\n';
        out << "Requirements (" << j["requirements"].size() << "):\n";
        for (const auto& r : j["requirements"]) {
            print_requirement_line(out, r);
        }
        out << "WG issues (" << j["wg"].size() << "):\n";
        for (const auto& w : j["wg"]) {
            print_issue_line(out, w);
        }
        out << "Cited in the sources (" << j["cited"].size() << "):\n";
        for (const auto& c : j["cited"]) {
            out << "  " << str(c["file"]) << ':' << c["line"].get<int>() << "  " << str(c["kind"]);
            if (!str(c["requirement"]).empty()) {
                out << ' ' << str(c["requirement"]);
            }
            out << '\n';
        }
    } else if (kind == "requirement") {
        out << str(j["id"]) << "  " << str(j["keyword"]) << "  (" << str(j["actor"])
            << (j["wire"].get<bool>() ? ", observable on the wire" : "") << ")\n";
        out << "Section " << str(j["section"]) << ": " << str(j["section_title"]) << '\n';
        out << "Summary: " << str(j["summary"]) << '\n';
        out << "WG issues (" << j["wg"].size() << "):\n";
        for (const auto& w : j["wg"]) {
            print_issue_line(out, w);
        }
        if (!j["bis"].is_null()) {
            print_bis(out, j["bis"], "");
        }
        if (!j["na"].is_null()) {
            out << "Not applicable to smtpspec: " << str(j["na"]) << '\n';
        }
        out << "Coverage: " << str(j["status"]) << '\n';
        print_locations(out, "implemented at", j["implementations"]);
        print_locations(out, "tested at", j["tests"]);
        print_locations(out, "noted", j["others"]);
        print_locations(out, "probed in other servers by", j["checks"]);
    } else if (kind == "wg_issue") {
        out << "WG issue #" << j["number"].get<int>() << ": " << str(j["title"]) << '\n';
        out << "5321bis sections:";
        for (const auto& s : j["bis_sections"]) {
            out << ' ' << str(s);
        }
        out << "\nReadings:\n";
        for (const auto& r : j["readings"]) {
            out << "  - " << str(r) << '\n';
        }
        out << "Profile switch: "
            << (j["switch"].is_null() ? std::string{"none (wording only)"}
                                      : "model::profile::" + str(j["switch"]))
            << '\n';
        out << "Requirements citing it (" << j["requirements"].size() << "):\n";
        for (const auto& r : j["requirements"]) {
            print_requirement_line(out, r);
        }
        for (const auto& b : j["bis_changes"]) {
            print_bis(out, b, str(b["requirement"]) + ": ");
        }
    } else {
        out << "Line: \"" << reference::printable(str(j["line"])) << "\"\n";
        if (j.contains("error")) {
            const auto& e = j["error"];
            out << "Syntax error: rule " << str(e["rule"]) << " at offset "
                << e["offset"].get<std::size_t>() << ", reply " << e["reply_code"].get<int>()
                << " (" << str(e["reply_meaning"]) << ")\n";
            out << "  " << str(e["message"]) << '\n';
        } else {
            const auto& c = j["command"];
            out << "Command: " << str(c["verb"]);
            for (const auto& [key, value] : c.items()) {
                if (key != "verb") {
                    out << "  " << key << '=' << (value.is_string() ? str(value) : value.dump());
                }
            }
            out << '\n';
        }
        // Several refs may share a section or name the same requirement; say each once.
        std::string last_section;
        std::set<std::string> said;
        for (const auto& r : j["refs"]) {
            if (str(r["section"]) != last_section) {
                last_section = str(r["section"]);
                out << "Section " << last_section << ": " << str(r["title"]) << '\n';
            }
            for (const auto& req : r["requirements"]) {
                if (said.insert(str(req["id"])).second) {
                    print_requirement_line(out, req);
                }
            }
            for (const auto& w : r["wg"]) {
                if (said.insert("#" + std::to_string(w["number"].get<int>())).second) {
                    print_issue_line(out, w);
                }
            }
        }
    }
}

void run(const explain_args& args)
{
    json j;
    try {
        j = explain(args.query);
    } catch (const unknown_query& e) {
        std::cerr << "smtpspec explain: " << e.message << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
    if (args.json) {
        std::cout << j.dump(2) << '\n';
    } else {
        print_text(std::cout, j);
    }
}

}  // namespace

void add_explain_command(CLI::App& app)
{
    auto args = std::make_shared<explain_args>();
    CLI::App* sub = app.add_subcommand(
        "explain", "Explain a section, a requirement, a WG issue or an SMTP command line");
    sub->add_option("query", args->query,
                    "4.1.1.3, R-4.1.1.3-2, 116, or a command line such as \"RCPT TO:<>\"")
        ->required();
    sub->add_flag("--json", args->json, "Print the explanation as JSON");
    sub->callback([args] { run(*args); });
}

}  // namespace smtpspec::tools
