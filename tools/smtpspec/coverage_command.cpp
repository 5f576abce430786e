// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include "spec/catalogue.hpp"
#include "spec/coverage.hpp"
#include "validate/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::tools
{

namespace
{

using nlohmann::json;
using spec::coverage_status;

struct coverage_args
{
    std::string json_file;
    std::string html_file;
    bool missing_only = false;
};

constexpr std::array<coverage_status, 5> all_statuses{
    coverage_status::implemented_tested, coverage_status::implemented,
    coverage_status::tested, coverage_status::not_applicable, coverage_status::missing};

/// Keywords in the order of RFC 2119, then any other the catalogue uses.
std::vector<std::string_view> keywords_in_order(const std::vector<spec::requirement_coverage>& rows)
{
    std::vector<std::string_view> out{"MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"};
    for (const auto& row : rows) {
        if (std::ranges::find(out, row.requirement->keyword) == out.end()) {
            out.push_back(row.requirement->keyword);
        }
    }
    return out;
}

/// Counts per keyword and status; the key "" holds the totals.
using counts = std::map<std::string_view, std::map<coverage_status, int>>;

counts count(const std::vector<spec::requirement_coverage>& rows)
{
    counts out;
    for (const auto& row : rows) {
        ++out[row.requirement->keyword][row.status];
        ++out[""][row.status];
    }
    return out;
}

std::string where(const std::vector<const spec::citation*>& cs)
{
    std::string out;
    for (const auto* c : cs) {
        out += (out.empty() ? "" : ", ") + std::string{c->file} + ':' + std::to_string(c->line);
    }
    return out;
}

// ----------------------------------------------------------------------------
// Terminal.

void print_summary(std::ostream& out, const std::vector<spec::requirement_coverage>& rows)
{
    const auto n = count(rows);
    out << "Coverage of " << rows.size() << " requirements of RFC 5321\n\n";
    // Each status column is as wide as its name, plus two spaces.
    auto width = [](coverage_status s) { return static_cast<int>(spec::to_string(s).size()) + 2; };
    out << std::left << std::setw(12) << "keyword";
    for (const auto s : all_statuses) {
        out << std::right << std::setw(width(s)) << spec::to_string(s);
    }
    out << std::setw(7) << "total" << '\n';
    auto line = [&](std::string_view label, std::string_view key) {
        out << std::left << std::setw(12) << label;
        int total = 0;
        for (const auto s : all_statuses) {
            const auto it = n.find(key);
            const int v = it == n.end() || !it->second.contains(s) ? 0 : it->second.at(s);
            total += v;
            out << std::right << std::setw(width(s)) << v;
        }
        out << std::setw(7) << total << '\n';
    };
    for (const auto k : keywords_in_order(rows)) {
        line(k, k);
    }
    line("all", "");
    out << '\n';
}

void print_rows(std::ostream& out, const std::vector<spec::requirement_coverage>& rows,
                bool missing_only)
{
    out << std::left << std::setw(16) << "requirement" << std::setw(12) << "keyword"
        << std::setw(10) << "actor" << std::setw(20) << "status" << "where\n";
    for (const auto& row : rows) {
        if (missing_only && row.status != coverage_status::missing) {
            continue;
        }
        const auto& r = *row.requirement;
        out << std::left << std::setw(16) << r.id << std::setw(12) << r.keyword << std::setw(10)
            << r.actor << std::setw(20) << spec::to_string(row.status);
        std::string detail;
        if (!row.implementations.empty()) {
            detail += "impl " + where(row.implementations);
        }
        if (!row.tests.empty()) {
            detail += std::string{detail.empty() ? "" : "; "} + "test " + where(row.tests);
        }
        if (!row.others.empty()) {
            detail += std::string{detail.empty() ? "" : "; "} + "noted " + where(row.others);
        }
        if (!row.checks.empty()) {
            detail += std::string{detail.empty() ? "" : "; "} + "probed " + where(row.checks);
        }
        if (row.status == coverage_status::not_applicable) {
            detail = std::string{r.na};
        } else if (row.status == coverage_status::missing && detail.empty()) {
            detail = std::string{r.summary};
        }
        out << detail << '\n';
    }
}

// ----------------------------------------------------------------------------
// JSON.

json citations_json(const std::vector<const spec::citation*>& cs)
{
    json out = json::array();
    for (const auto* c : cs) {
        out.push_back({{"file", c->file},
                       {"line", c->line},
                       {"section", c->section},
                       {"kind", spec::to_string(c->kind)}});
    }
    return out;
}

json to_json(const std::vector<spec::requirement_coverage>& rows)
{
    const auto n = count(rows);
    json summary{{"total", rows.size()}};
    for (const auto& [keyword, by_status] : n) {
        json entry = json::object();
        for (const auto s : all_statuses) {
            entry[std::string{spec::to_string(s)}] = by_status.contains(s) ? by_status.at(s) : 0;
        }
        if (keyword.empty()) {
            summary["by_status"] = entry;
        } else {
            summary["by_keyword"][std::string{keyword}] = entry;
        }
    }
    json reqs = json::array();
    for (const auto& row : rows) {
        const auto& r = *row.requirement;
        reqs.push_back({{"id", r.id},
                        {"section", r.section},
                        {"keyword", r.keyword},
                        {"actor", r.actor},
                        {"summary", r.summary},
                        {"wg", std::vector<int>(r.wg.begin(), r.wg.end())},
                        {"status", spec::to_string(row.status)},
                        {"na", r.na.empty() ? json(nullptr) : json(r.na)},
                        {"implementations", citations_json(row.implementations)},
                        {"tests", citations_json(row.tests)},
                        {"others", citations_json(row.others)},
                        {"checks", citations_json(row.checks)}});
    }
    return {{"summary", summary}, {"requirements", reqs}};
}

// ----------------------------------------------------------------------------
// HTML: one page, styles inline, no scripts or outside resources.

std::string css_class(coverage_status s)
{
    switch (s) {
    case coverage_status::implemented_tested:
        return "both";
    case coverage_status::implemented:
        return "impl";
    case coverage_status::tested:
        return "test";
    case coverage_status::not_applicable:
        return "na";
    case coverage_status::missing:
        break;
    }
    return "missing";
}

std::string to_html(const std::vector<spec::requirement_coverage>& rows)
{
    const auto n = count(rows);
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<title>smtpspec: requirement coverage</title>\n<style>\n"
           "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
           "table{border-collapse:collapse;margin-bottom:1.5em}\n"
           "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
           "th{background:#eee}td.n{text-align:right}\n"
           ".both{background:#c8ebc8}.impl{background:#e3f1d0}.test{background:#fdf0c4}\n"
           ".na{background:#e6e6e6}.missing{background:#f7c9c9}\n"
           "code{font-size:.9em}\n</style>\n</head>\n<body>\n"
           "<h1>Requirement coverage</h1>\n<p>"
        << rows.size()
        << " requirements of RFC 5321, from the citations in the sources "
           "(see docs/traceability.md).</p>\n<table>\n<tr><th>keyword</th>";
    for (const auto s : all_statuses) {
        out << "<th class=\"" << css_class(s) << "\">" << spec::to_string(s) << "</th>";
    }
    out << "<th>total</th></tr>\n";
    auto line = [&](std::string_view label, std::string_view key) {
        out << "<tr><td>" << label << "</td>";
        int total = 0;
        for (const auto s : all_statuses) {
            const auto it = n.find(key);
            const int v = it == n.end() || !it->second.contains(s) ? 0 : it->second.at(s);
            total += v;
            out << "<td class=\"n\">" << v << "</td>";
        }
        out << "<td class=\"n\">" << total << "</td></tr>\n";
    };
    for (const auto k : keywords_in_order(rows)) {
        line(k, k);
    }
    line("all", "");
    out << "</table>\n<table>\n<tr><th>requirement</th><th>keyword</th><th>actor</th>"
           "<th>summary</th><th>status</th><th>implemented at</th><th>tested at</th></tr>\n";
    auto cells = [&](const std::vector<const spec::citation*>& cs) {
        out << "<td>";
        for (const auto* c : cs) {
            out << "<code>" << validate::markup_escape(c->file) << ':' << c->line << "</code><br>";
        }
        out << "</td>";
    };
    for (const auto& row : rows) {
        const auto& r = *row.requirement;
        out << "<tr id=\"" << validate::markup_escape(r.id) << "\"><td>" << validate::markup_escape(r.id) << "</td><td>"
            << r.keyword << "</td><td>" << r.actor << "</td><td>" << validate::markup_escape(r.summary)
            << "</td><td class=\"" << css_class(row.status) << "\">"
            << spec::to_string(row.status);
        if (!r.na.empty() && row.status == coverage_status::not_applicable) {
            out << ": " << validate::markup_escape(r.na);
        }
        out << "</td>";
        cells(row.implementations);
        cells(row.tests);
        out << "</tr>\n";
    }
    out << "</table>\n</body>\n</html>\n";
    return out.str();
}

void write_output(const std::string& path, const std::string& text)
{
    if (path == "-") {
        std::cout << text;
        return;
    }
    if (const std::string error = write_file(path, text); !error.empty()) {
        std::cerr << "smtpspec coverage: " << error << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
}

void run(const coverage_args& args)
{
    const auto rows = spec::coverage();
    const bool to_stdout = args.json_file == "-" || args.html_file == "-";
    if (!args.json_file.empty()) {
        write_output(args.json_file, to_json(rows).dump(2) + "\n");
    }
    if (!args.html_file.empty()) {
        write_output(args.html_file, to_html(rows));
    }
    if (!to_stdout) {
        print_summary(std::cout, rows);
        print_rows(std::cout, rows, args.missing_only);
    }
}

}  // namespace

void add_coverage_command(CLI::App& app)
{
    auto args = std::make_shared<coverage_args>();
    CLI::App* sub = app.add_subcommand(
        "coverage", "Show where each requirement is implemented and tested, and the gaps");
    sub->add_option("--json", args->json_file, "Also write the report as JSON to FILE (- for "
                                               "stdout, instead of the table)");
    sub->add_option("--html", args->html_file, "Also write the report as one HTML page to FILE");
    sub->add_flag("--missing", args->missing_only, "List only the requirements that are missing");
    sub->callback([args] { run(*args); });
}

}  // namespace smtpspec::tools
