// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/trace.hpp"

#include "grammar/rules/extensions/smtputf8.hpp"
#include "spec/catalogue.hpp"

#include <nlohmann/json.hpp>
#include <tao/pegtl.hpp>

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

/// @return the length of the UTF-8 character of RFC 3629 4 beyond ASCII that
///         @p bytes starts with, or 0 when it starts with none.
std::size_t utf8_length(std::string_view bytes)
{
    tao::pegtl::memory_input<> in(bytes.data(), bytes.size(), "");
    if (!tao::pegtl::parse<grammar::rules::smtputf8::UTF8_non_ascii>(in)) {
        return 0;
    }
    return static_cast<std::size_t>(in.current() - bytes.data());
}

/**
 * @return true for the characters beyond ASCII that change what a terminal
 *         shows rather than show something: the C1 controls (U+0080 to
 *         U+009F), the line and paragraph separators (U+2028, U+2029) and
 *         the bidirectional marks, embeddings, overrides and isolates
 *         (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
 */
bool is_layout_control(std::string_view utf8)
{
    const unsigned lead_bits = utf8.size() == 2 ? 0x1FU : utf8.size() == 3 ? 0x0FU : 0x07U;
    char32_t cp = static_cast<unsigned char>(utf8[0]) & lead_bits;
    for (const char c : utf8.substr(1)) {
        cp = (cp << 6U) | (static_cast<unsigned char>(c) & 0x3FU);
    }
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x61C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_hex(std::string& out, unsigned char c)
{
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02X", c);
    out += hex;
}
}  // namespace

std::string printable(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20 || c == 0x7f) {
            append_hex(out, c);
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (const std::size_t n = utf8_length(bytes.substr(i)); n == 0) {
            append_hex(out, c);  // not UTF-8: this octet alone
        } else {
            const std::string_view character = bytes.substr(i, n);
            if (is_layout_control(character)) {
                for (const char o : character) {
                    append_hex(out, static_cast<unsigned char>(o));
                }
            } else {
                out += character;
            }
            i += n - 1;
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
