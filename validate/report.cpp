// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/report.hpp"

#include "reference/trace.hpp"
#include "spec/catalogue.hpp"
#include "validate/internal/report_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>

namespace smtpspec::validate
{

namespace internal
{
std::string refs_text(const probe_case& c)
{
    std::string out;
    for (const auto& r : c.refs) {
        out += (out.empty() ? "" : "; ") + spec::to_string(r);
    }
    return out;
}

std::string joined(std::span<const std::string_view> items)
{
    std::string out;
    for (const auto i : items) {
        out += (out.empty() ? "" : ", ") + std::string{i};
    }
    return out;
}

std::string deviation_text(std::string_view id)
{
    if (id.empty() || spec::find_deviation(id) != nullptr) {
        return std::string{id};
    }
    return std::string{id} + " (proposed; not yet in spec/data/deviations.toml)";
}

std::string seconds(std::chrono::milliseconds ms)
{
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.3f", static_cast<double>(ms.count()) / 1000.0);
    return buf.data();
}
}  // namespace internal

namespace
{
using internal::all_grades;
using internal::refs_text;

std::string pad(std::string_view s, std::size_t width)
{
    std::string out{s};
    if (out.size() < width) {
        out.append(width - out.size(), ' ');
    }
    return out;
}

std::string upper(std::string_view s)
{
    std::string out{s};
    for (auto& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

/** ANSI colour of a grade: green, red, yellow, cyan, blue, grey, magenta. */
std::string_view ansi(grade g)
{
    switch (g) {
    case grade::pass:
        return "\x1b[32m";
    case grade::fail:
        return "\x1b[1;31m";
    case grade::warn:
        return "\x1b[33m";
    case grade::lenient:
        return "\x1b[36m";
    case grade::info:
        return "\x1b[34m";
    case grade::unimplemented:
        return "\x1b[90m";
    case grade::error:
        return "\x1b[35m";
    }
    return "";
}

/** The section that defines a command verb, for annotations. */
std::string command_note(std::string_view octets)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> verbs{{
        {"EHLO", "4.1.1.1 EHLO"}, {"HELO", "4.1.1.1 HELO"}, {"MAIL", "4.1.1.2 MAIL"},
        {"RCPT", "4.1.1.3 RCPT"}, {"DATA", "4.1.1.4 DATA"}, {"RSET", "4.1.1.5 RSET"},
        {"VRFY", "4.1.1.6 VRFY"}, {"EXPN", "4.1.1.7 EXPN"}, {"HELP", "4.1.1.8 HELP"},
        {"NOOP", "4.1.1.9 NOOP"}, {"QUIT", "4.1.1.10 QUIT"}, {"TURN", "F.1 TURN"},
        {"STARTTLS", "RFC 3207 STARTTLS"}, {"BDAT", "RFC 3030 BDAT"}, {"ETRN", "RFC 1985 ETRN"},
        {"AUTH", "RFC 4954 AUTH"}}};
    const auto end = octets.find_first_of(" \r\n");
    std::string verb{octets.substr(0, std::min(end, octets.size()))};
    verb = upper(verb);
    for (const auto& [name, note] : verbs) {
        if (verb == name) {
            return std::string{note};
        }
    }
    return {};
}

/** The meaning of a reply line's code, and its syntax error if any. */
std::string reply_note(std::string_view octets)
{
    const auto line = observe_reply_line(octets);
    std::string out;
    if (const auto* c = spec::find_reply_code(line.code)) {
        out = std::to_string(c->code) + " " + std::string{c->meaning};
    } else if (line.code != 0) {
        out = std::to_string(line.code) + " is not in the reply-code list of 4.2";
    }
    if (!line.syntax_error.empty()) {
        out += (out.empty() ? "" : "; ") + std::string{"not a Reply-line: "} + line.syntax_error;
    }
    return out;
}
}  // namespace

std::vector<annotated_line> annotated_excerpt(const case_result& r, std::size_t context)
{
    const auto& entries = r.log.entries();
    std::size_t first = 0;
    std::size_t last = entries.size();
    const auto ev = r.found.evidence;
    if (context > 0 && ev < entries.size()) {
        first = ev > context ? ev - context : 0;
        last = std::min(entries.size(), ev + 3);
    }
    std::vector<annotated_line> out;
    for (std::size_t i = first; i < last; ++i) {
        const auto& e = entries[i];
        annotated_line l;
        l.text = reference::printable(e.octets);
        switch (e.from) {
        case direction::client:
            l.from = "C";
            l.note = command_note(e.octets);
            break;
        case direction::server:
            l.from = "S";
            l.note = reply_note(e.octets);
            break;
        case direction::note:
            l.from = "#";
            break;
        }
        if (i == ev) {
            l.evidence = true;
            l.note = "<== " + std::string{to_string(r.result)} + (l.note.empty() ? "" : ": ")
                   + l.note;
        }
        out.push_back(std::move(l));
    }
    return out;
}

std::string format_result_line(const case_result& r, bool colour)
{
    const auto& c = *r.which;
    std::string g = pad(upper(to_string(r.result)), 13);
    if (colour) {
        g = std::string{ansi(r.result)} + g + "\x1b[0m";
    }
    return g + " " + pad(c.id, 20) + " " + std::string{c.title} + (r.over_tls ? " (TLS)" : "")
         + "  [" + refs_text(c) + "]";
}

std::string format_summary(const probe_report& r)
{
    // With --tls both a case can run twice, in clear and over TLS: what is
    // counted is then runs, as the "probing" line announced.
    const bool twice = std::ranges::any_of(r.results, &case_result::over_tls)
        && !std::ranges::all_of(r.results, &case_result::over_tls);
    std::string out = std::to_string(r.results.size()) + (twice ? " runs:" : " cases:");
    for (std::size_t i = 0; i < all_grades.size(); ++i) {
        out += (i == 0 ? " " : ", ") + std::to_string(r.count(all_grades[i])) + " "
             + std::string{to_string(all_grades[i])};
    }
    return out;
}

std::string format_finding(const case_result& r)
{
    std::string out = "    " + r.found.detail + "\n";
    if (!r.found.deviation.empty()) {
        out += "    deviation: " + internal::deviation_text(r.found.deviation) + "\n";
    }
    if (!r.which->faults.empty()) {
        out += "    known faults: " + internal::joined(r.which->faults) + "\n";
    }
    for (const auto& l : annotated_excerpt(r)) {
        std::string line = "      " + l.from + ": " + l.text;
        if (!l.note.empty()) {
            line = pad(line, 58) + "  [" + l.note + "]";
        }
        out += line + "\n";
    }
    return out;
}

void write_text_report(std::ostream& out, const probe_report& r, bool details, bool colour)
{
    for (const auto& res : r.results) {
        out << format_result_line(res, colour) << '\n';
        if (details && res.result != grade::pass) {
            out << format_finding(res);
        }
    }
    out << format_summary(r) << '\n';
}

void write_case_list(std::ostream& out, std::span<const probe_case* const> cases)
{
    for (const auto* c : cases) {
        out << pad(c->id, 20) << ' ' << pad(to_string(c->checks), 7) << c->title << "  ["
            << refs_text(*c) << "]\n";
    }
}

std::string to_json(const probe_report& r)
{
    using json = nlohmann::ordered_json;
    json summary = json::object();
    summary["total"] = r.results.size();
    for (const auto g : all_grades) {
        summary[std::string{to_string(g)}] = r.count(g);
    }
    const auto strings = [](const auto& items) {
        json a = json::array();
        for (const auto& i : items) {
            a.push_back(std::string{i.str()});
        }
        return a;
    };
    json cases = json::array();
    for (const auto& res : r.results) {
        const auto& c = *res.which;
        json refs = json::array();
        for (const auto& ref : c.refs) {
            json issues = json::array();
            for (const auto& issue : ref.issues()) {
                issues.push_back(issue.number());
            }
            refs.push_back({{"section", std::string{ref.section().str()}},
                            {"requirements", strings(ref.requirements())},
                            {"wg_issues", issues}});
        }
        json log = json::array();
        for (const auto& l : annotated_excerpt(res, 0)) {
            log.push_back({{"from", l.from}, {"octets", l.text}, {"note", l.note}});
        }
        json faults = json::array();
        for (const auto f : c.faults) {
            faults.push_back(std::string{f});
        }
        json tags = json::array();
        for (const auto t : c.tags) {
            tags.push_back(std::string{t});
        }
        cases.push_back({{"id", std::string{c.id}},
                         {"title", std::string{c.title}},
                         {"level", std::string{to_string(c.checks)}},
                         {"grade", std::string{to_string(res.result)}},
                         {"detail", res.found.detail},
                         {"deviation", res.found.deviation},
                         {"deviation_catalogued",
                          spec::find_deviation(res.found.deviation) != nullptr},
                         {"known_faults", faults},
                         {"tags", tags},
                         {"refs", refs},
                         {"connected", res.connected},
                         {"tls", res.over_tls},
                         {"duration_ms", res.elapsed.count()},
                         {"transcript", log}});
    }
    const json doc = {{"tool", "smtpspec probe"},
                      {"target", r.target.str()},
                      {"profile", r.profile},
                      {"exit_code", exit_code(r)},
                      {"not_run", r.not_run},
                      {"summary", summary},
                      {"cases", cases}};
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string markup_escape(std::string_view raw)
{
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char ch = raw[i];
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            if ((c < 32 && ch != '\t' && ch != '\n' && ch != '\r') || c == 127) {
                out += reference::printable(raw.substr(i, 1));
            } else {
                out += ch;
            }
        }
    }
    return out;
}

std::string to_junit(const probe_report& r)
{
    std::chrono::milliseconds total{0};
    for (const auto& res : r.results) {
        total += res.elapsed;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
    out += "  <testsuite name=\"smtpspec probe " + markup_escape(r.target.str()) + "\" tests=\""
         + std::to_string(r.results.size()) + "\" failures=\""
         + std::to_string(r.count(grade::fail)) + "\" errors=\""
         + std::to_string(r.count(grade::error)) + "\" skipped=\""
         + std::to_string(r.count(grade::unimplemented)) + "\" time=\""
         + internal::seconds(total) + "\">\n";
    for (const auto& res : r.results) {
        const auto& c = *res.which;
        out += "    <testcase classname=\"smtpspec.probe\" name=\"" + markup_escape(c.id)
             + (res.over_tls ? " (TLS)" : "") + " " + markup_escape(c.title) + "\" time=\""
             + internal::seconds(res.elapsed) + "\">\n";
        const std::string message = markup_escape(res.found.detail);
        if (res.result == grade::fail) {
            out += "      <failure type=\"fail\" message=\"" + message + "\"/>\n";
        } else if (res.result == grade::error) {
            out += "      <error type=\"error\" message=\"" + message + "\"/>\n";
        } else if (res.result == grade::unimplemented) {
            out += "      <skipped message=\"" + message + "\"/>\n";
        }
        std::string text = "grade: " + std::string{to_string(res.result)} + "\nlevel: "
                         + std::string{to_string(c.checks)} + "\nrefs: " + refs_text(c)
                         + "\ndetail: " + res.found.detail + "\n";
        if (!res.found.deviation.empty()) {
            text += "deviation: " + internal::deviation_text(res.found.deviation) + "\n";
        }
        for (const auto& l : annotated_excerpt(res, 0)) {
            text += l.from + ": " + l.text + (l.note.empty() ? "" : "  [" + l.note + "]") + "\n";
        }
        out += "      <system-out>" + markup_escape(text) + "</system-out>\n";
        out += "    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace smtpspec::validate
