// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/report.hpp"

#include "spec/catalogue.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <sstream>

namespace smtpspec::validate
{

namespace
{
constexpr std::array all_grades{grade::pass, grade::fail,          grade::warn, grade::lenient,
                                grade::info, grade::unimplemented, grade::error};

std::string refs_text(const probe_case& c)
{
    std::string out;
    for (const auto& r : c.refs) {
        if (!out.empty()) {
            out += "; ";
        }
        out += spec::to_string(r);
    }
    return out;
}

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

/**
 * Escapes for XML text and attributes: markup characters become entities,
 * octets outside printable ASCII become "\xHH" (XML 1.0 forbids most
 * control characters, and the report is ASCII).
 */
std::string xml_escape(std::string_view raw)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : raw) {
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
            out += "&apos;";
            break;
        default:
            if (c < 32 || c > 126) {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    return out;
}

/** Like xml_escape, but keeps line breaks of a multi-line text. */
std::string xml_escape_lines(std::string_view text)
{
    std::string out;
    for (std::size_t start = 0; start < text.size();) {
        const auto lf = text.find('\n', start);
        const auto end = lf == std::string_view::npos ? text.size() : lf;
        out += xml_escape(text.substr(start, end - start));
        out += '\n';
        start = end + 1;
    }
    return out;
}

std::string seconds(std::chrono::milliseconds ms)
{
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.3f", static_cast<double>(ms.count()) / 1000.0);
    return buf.data();
}
}  // namespace

std::string format_result_line(const case_result& r)
{
    const auto& c = *r.which;
    return pad(upper(to_string(r.result)), 13) + " " + pad(c.id, 20) + " " + std::string{c.title}
         + "  [" + refs_text(c) + "]";
}

std::string format_summary(const probe_report& r)
{
    std::string out = std::to_string(r.results.size()) + " cases:";
    for (std::size_t i = 0; i < all_grades.size(); ++i) {
        out += (i == 0 ? " " : ", ") + std::to_string(r.count(all_grades[i])) + " "
             + std::string{to_string(all_grades[i])};
    }
    return out;
}

void write_text_report(std::ostream& out, const probe_report& r, bool details)
{
    for (const auto& res : r.results) {
        out << format_result_line(res) << '\n';
        if (details && res.result != grade::pass) {
            out << "    " << res.found.detail << '\n';
            std::istringstream lines{res.log.to_text()};
            for (std::string line; std::getline(lines, line);) {
                out << "      " << line << '\n';
            }
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

    json cases = json::array();
    for (const auto& res : r.results) {
        const auto& c = *res.which;
        json refs = json::array();
        for (const auto& ref : c.refs) {
            json reqs = json::array();
            for (const auto& id : ref.requirements()) {
                reqs.push_back(std::string{id.str()});
            }
            json issues = json::array();
            for (const auto& issue : ref.issues()) {
                issues.push_back(issue.number());
            }
            refs.push_back({{"section", std::string{ref.section().str()}},
                            {"requirements", reqs},
                            {"wg_issues", issues}});
        }
        json log = json::array();
        for (const auto& e : res.log.entries()) {
            const char* from = e.from == direction::client   ? "C"
                             : e.from == direction::server ? "S"
                                                           : "#";
            log.push_back({{"from", from}, {"octets", escape_octets(e.octets)}});
        }
        cases.push_back({{"id", std::string{c.id}},
                         {"title", std::string{c.title}},
                         {"level", std::string{to_string(c.checks)}},
                         {"grade", std::string{to_string(res.result)}},
                         {"detail", res.found.detail},
                         {"refs", refs},
                         {"connected", res.connected},
                         {"duration_ms", res.elapsed.count()},
                         {"transcript", log}});
    }

    const json doc = {{"tool", "smtpspec probe"},
                      {"target", r.target.str()},
                      {"exit_code", exit_code(r)},
                      {"summary", summary},
                      {"cases", cases}};
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string to_junit(const probe_report& r)
{
    std::chrono::milliseconds total{0};
    for (const auto& res : r.results) {
        total += res.elapsed;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites>\n";
    out += "  <testsuite name=\"smtpspec probe " + xml_escape(r.target.str()) + "\" tests=\""
         + std::to_string(r.results.size()) + "\" failures=\""
         + std::to_string(r.count(grade::fail)) + "\" errors=\""
         + std::to_string(r.count(grade::error)) + "\" skipped=\""
         + std::to_string(r.count(grade::unimplemented)) + "\" time=\"" + seconds(total)
         + "\">\n";
    for (const auto& res : r.results) {
        const auto& c = *res.which;
        out += "    <testcase classname=\"smtpspec.probe\" name=\"" + xml_escape(c.id) + " "
             + xml_escape(c.title) + "\" time=\"" + seconds(res.elapsed) + "\">\n";
        const std::string message = xml_escape(res.found.detail);
        if (res.result == grade::fail) {
            out += "      <failure type=\"fail\" message=\"" + message + "\"/>\n";
        } else if (res.result == grade::error) {
            out += "      <error type=\"error\" message=\"" + message + "\"/>\n";
        } else if (res.result == grade::unimplemented) {
            out += "      <skipped message=\"" + message + "\"/>\n";
        }
        out += "      <system-out>grade: " + std::string{to_string(res.result)} + "\nlevel: "
             + std::string{to_string(c.checks)} + "\nrefs: " + xml_escape(refs_text(c))
             + "\ndetail: " + message + "\n" + xml_escape_lines(res.log.to_text())
             + "</system-out>\n";
        out += "    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace smtpspec::validate
