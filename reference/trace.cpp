// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/trace.hpp"

#include "spec/catalogue.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace smtpspec::reference
{

namespace
{
// The annotation starts at this column when the line is shorter.
constexpr std::size_t annotation_column = 48;

const char* source_tag(trace_source s) noexcept
{
    switch (s) {
    case trace_source::client: return "C";
    case trace_source::server: return "S";
    case trace_source::note: return "note";
    }
    return "?";
}
}  // namespace

std::string printable(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (const unsigned char c : bytes) {
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20 || c >= 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string log_quoted(std::string_view value)
{
    std::string out = "\"";
    for (const char c : printable(value)) {
        if (c == '"') {
            out += '\\';
        }
        out += c;
    }
    return out + '"';
}

// spec: 2.3.8 R-2.3.8-1 implementation
std::string unfinished_reply(std::string_view received, std::size_t limit)
{
    std::string out = log_quoted(received.substr(0, limit));
    if (received.size() > limit) {
        out += "... (" + std::to_string(received.size()) + " octets)";
    }
    if (received.ends_with('\n')) {
        return out + ", a multi-line reply whose last line never came (RFC 5321 4.2.1)";
    }
    return out + " without the CRLF that ends a reply line (RFC 5321 4.2, 2.3.8 R-2.3.8-1)";
}

std::string format_text(const trace_event& e)
{
    std::string out = std::to_string(e.session);
    out += e.source == trace_source::note ? " -- " : std::string{" "} + source_tag(e.source) + ": ";
    out += printable(e.text);
    if (e.why) {
        if (out.size() < annotation_column) {
            out.append(annotation_column - out.size(), ' ');
        }
        out += "  [" + spec::to_string(*e.why) + "]";
    }
    return out;
}

std::string format_json(const trace_event& e)
{
    nlohmann::json j;
    j["session"] = e.session;
    j["source"] = source_tag(e.source);
    // Lines may hold octets that are not UTF-8; the JSON keeps them escaped.
    j["line"] = printable(e.text);
    if (e.why) {
        j["section"] = std::string{e.why->section().str()};
        auto& reqs = j["requirements"] = nlohmann::json::array();
        for (const auto& r : e.why->requirements()) {
            reqs.push_back(std::string{r.str()});
        }
        auto& wg = j["wg"] = nlohmann::json::array();
        for (const auto& w : e.why->issues()) {
            wg.push_back(w.number());
        }
    }
    return j.dump();
}

std::string format(const trace_event& e, trace_format f)
{
    return f == trace_format::json ? format_json(e) : format_text(e);
}

}  // namespace smtpspec::reference
