// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The probe report as one self-contained HTML page: inline CSS, no script,
// no external asset; every text from the server or the catalogue goes
// through markup_escape once.

#include "validate/report.hpp"

#include "validate/internal/report_text.hpp"

namespace smtpspec::validate
{

namespace
{
constexpr std::string_view style = R"(
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:top}
.case{border-top:1px solid #ccc;padding:.4em 0}
.g{display:inline-block;min-width:8em;font-weight:bold}
.pass{color:#17752b}.fail{color:#b00020}.warn{color:#a35c00}.lenient{color:#007a87}
.info{color:#2a4fa8}.unimplemented{color:#777}.error{color:#8e24aa}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:90%}
.ev{background:#fff3c4;font-weight:bold}.note{color:#666}
)";

std::string e(std::string_view s)
{
    return markup_escape(s);
}
}  // namespace

std::string to_html(const probe_report& r)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<title>smtpspec probe " + e(r.target.str()) + "</title>\n<style>" + std::string{style} +
           "</style>\n</head>\n<body>\n";
    out += "<h1>smtpspec probe of " + e(r.target.str()) + "</h1>\n<p>Profile: " + e(r.profile) +
           ". " + e(format_summary(r)) + "</p>\n<table>\n<tr>";
    for (const auto g : internal::all_grades) {
        out += "<th class=\"" + std::string{to_string(g)} + "\">" + std::string{to_string(g)} +
               "</th>";
    }
    out += "</tr>\n<tr>";
    for (const auto g : internal::all_grades) {
        out += "<td>" + std::to_string(r.count(g)) + "</td>";
    }
    out += "</tr>\n</table>\n";
    for (const auto& res : r.results) {
        const auto& c = *res.which;
        const std::string g{to_string(res.result)};
        out += "<div class=\"case\"><span class=\"g " + g + "\">" + g + "</span> <code>" + e(c.id) +
               "</code> " + e(c.title) + (res.over_tls ? " (TLS)" : "") + "\n";
        out += "<div class=\"note\">" + e(std::string{to_string(c.checks)}) + " &middot; " +
               e(internal::refs_text(c));
        if (!c.faults.empty()) {
            out += " &middot; known faults " + e(internal::joined(c.faults));
        }
        out += "</div>\n";
        if (res.result == grade::pass) {
            out += "</div>\n";
            continue;
        }
        out += "<p>" + e(res.found.detail) + "</p>\n";
        if (!res.found.deviation.empty()) {
            out += "<p>Deviation: <code>" + e(internal::deviation_text(res.found.deviation)) +
                   "</code></p>\n";
        }
        out += "<pre>";
        for (const auto& l : annotated_excerpt(res)) {
            std::string line = e(l.from) + ": " + e(l.text);
            if (!l.note.empty()) {
                line += "  <span class=\"note\">[" + e(l.note) + "]</span>";
            }
            out += l.evidence ? "<span class=\"ev\">" + line + "</span>\n" : line + "\n";
        }
        out += "</pre>\n</div>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace smtpspec::validate
