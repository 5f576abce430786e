// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/report.hpp"

#include "spec/catalogue.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace smtpspec::lint
{

namespace
{

std::string finding_text(const finding& f)
{
    std::string out = std::string(to_string(f.severity)) + ' ' + f.rule_id + " (" +
                      to_string(f.actor) + ", " + f.section;
    for (const int issue : f.wg_issues) {
        out += ", WG#" + std::to_string(issue);
    }
    out += "): " + f.message;
    if (!f.fault.empty()) {
        out += " [known fault " + f.fault + "]";
    }
    return out;
}

std::string line_text(const annotated_line& a)
{
    if (a.octets.empty()) {
        return "-- " + a.rule;
    }
    return std::string(a.from == side::client ? "C: " : "S: ") + escape_line(a.octets);
}

}  // namespace

std::string to_text(const result& r, std::string_view file_name)
{
    // Findings go under the last wire line of their input line.
    std::map<std::size_t, std::size_t> last_of_line;
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
        last_of_line[r.lines[i].line] = i;
    }
    std::multimap<std::size_t, const finding*> under;
    std::vector<const finding*> loose;
    for (const finding& f : r.findings) {
        const auto it = last_of_line.find(f.line);
        if (it == last_of_line.end()) {
            loose.push_back(&f);
        } else {
            under.emplace(it->second, &f);
        }
    }
    std::string out;
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
        const annotated_line& a = r.lines[i];
        std::string text = std::to_string(a.line) + ' ' + line_text(a);
        std::string note = a.rule;
        if (!a.state.empty()) {
            note += " | " + a.state;
        }
        if (!a.why.empty()) {
            note += " | " + a.why;
        }
        if (!a.octets.empty()) {
            text += std::string(text.size() < 48 ? 48 - text.size() : 1, ' ') + '[' + note + ']';
        }
        out += text + '\n';
        const auto [begin, end] = under.equal_range(i);
        for (auto it = begin; it != end; ++it) {
            out += std::to_string(it->second->line) + "   ! " + finding_text(*it->second) + '\n';
        }
    }
    for (const finding* f : loose) {
        out += std::to_string(f->line) + "   ! " + finding_text(*f) + '\n';
    }
    const auto count = [&](level l) {
        return std::ranges::count(r.findings, l, &finding::severity);
    };
    const auto wire =
        std::ranges::count_if(r.lines, [](const annotated_line& a) { return !a.octets.empty(); });
    out += std::string(file_name) + ": " + std::to_string(r.input_lines) + " lines (" +
           std::to_string(wire) + " on the wire), " + std::to_string(r.findings.size()) +
           " findings (" + std::to_string(count(level::error)) + " errors, " +
           std::to_string(count(level::warning)) + " warnings, " +
           std::to_string(count(level::note)) + " notes)\n";
    return out;
}

std::string to_sarif(const result& r, std::string_view file_uri)
{
    using nlohmann::json;
    json rules = json::array();
    std::map<std::string, std::size_t> rule_index;
    json results = json::array();
    for (const finding& f : r.findings) {
        auto [it, added] = rule_index.try_emplace(f.rule_id, rule_index.size());
        if (added) {
            json rule{{"id", f.rule_id}};
            const spec::requirement_entry* req = spec::find_requirement(f.rule_id);
            const spec::section_entry* sec = spec::find_section(f.section);
            std::string description = req != nullptr   ? std::string(req->summary)
                                      : sec != nullptr ? std::string(sec->title)
                                                       : f.section;
            rule["shortDescription"] = {{"text", description}};
            json properties{{"section", f.section}};
            if (req != nullptr) {
                properties["keyword"] = std::string(req->keyword);
                properties["actor"] = std::string(req->actor);
            }
            rule["properties"] = properties;
            rule["defaultConfiguration"] = {{"level", to_string(f.severity)}};
            rules.push_back(rule);
        }
        json result{
            {"ruleId", f.rule_id},
            {"ruleIndex", it->second},
            {"level", to_string(f.severity)},
            {"message", {{"text", f.message}}},
            {"locations", json::array({{{"physicalLocation",
                                         {{"artifactLocation", {{"uri", std::string(file_uri)}}},
                                          {"region", {{"startLine", f.line}}}}}}})},
        };
        json properties{{"actor", to_string(f.actor)}, {"section", f.section}};
        if (!f.wg_issues.empty()) {
            properties["wgIssues"] = f.wg_issues;
        }
        if (!f.fault.empty()) {
            properties["knownFault"] = f.fault;
        }
        result["properties"] = properties;
        results.push_back(result);
    }
    const json log{
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", json::array({{{"tool",
                                {{"driver",
                                  {{"name", "smtpspec lint"},
                                   {"version", "0.1.0"},
                                   {"informationUri", "https://www.rfc-editor.org/rfc/rfc5321"},
                                   {"rules", rules}}}}},
                               {"artifacts",
                                json::array({{{"location", {{"uri", std::string(file_uri)}}}}})},
                               {"results", results}}})},
    };
    // Reply texts may hold any octet: invalid UTF-8 is replaced, never thrown on.
    return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

}  // namespace smtpspec::lint
