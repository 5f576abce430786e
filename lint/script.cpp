// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/script.hpp"

#include <array>
#include <optional>

namespace smtpspec::lint
{

namespace
{

int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// Resolves the escapes of one entry's text; sets error on a bad escape.
std::optional<std::string> unescape(std::string_view text, std::string& error)
{
    // A final backslash that no other escapes means "no line ending".
    std::size_t backslashes = 0;
    while (backslashes < text.size() && text[text.size() - 1 - backslashes] == '\\') {
        ++backslashes;
    }
    const bool continued = backslashes % 2 == 1;
    if (continued) {
        text.remove_suffix(1);
    }
    auto decoded = decode_escapes(text, 4);  // The text starts after "C: ".
    if (auto* bad = std::get_if<format_error>(&decoded)) {
        error = std::move(bad->message);
        return std::nullopt;
    }
    std::string out = std::get<std::string>(std::move(decoded));
    if (!continued && (out.empty() || (out.back() != '\n' && out.back() != '\r'))) {
        out += "\r\n";
    }
    return out;
}

bool is_code_pattern(std::string_view code) noexcept
{
    if (code.size() != 3 || code[0] < '2' || code[0] > '5') {
        return false;
    }
    for (const char c : code.substr(1)) {
        if ((c < '0' || c > '9') && c != 'x') {
            return false;
        }
    }
    return true;
}

std::variant<entry, format_error> parse_directive(std::string_view text, std::size_t number)
{
    if (text == "starttls") {
        return entry{entry_kind::starttls, {}, {}, number};
    }
    if (text == "reconnect") {
        return entry{entry_kind::reconnect, {}, {}, number};
    }
    if (text == "expect close") {
        return entry{entry_kind::expect_close, {}, {}, number};
    }
    if (text.starts_with("expect ")) {
        const std::string_view code = text.substr(7);
        if (is_code_pattern(code)) {
            return entry{entry_kind::expect_reply, {}, std::string(code), number};
        }
        return format_error{number,
                            "expect needs a reply code such as 250 or 2xx, or close; got \"" +
                                std::string(code) + "\""};
    }
    return format_error{number, "not a dialogue line: expected \"C: \", \"S: \", \"#\", "
                                "\"expect CODE\", \"expect close\", \"starttls\" or "
                                "\"reconnect\""};
}

}  // namespace

std::variant<std::string, format_error> decode_escapes(std::string_view text,
                                                       std::size_t first_column)
{
    std::string out;
    out.reserve(text.size() + 2);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        const std::string column = std::to_string(first_column + i + 1);
        if (i + 1 == text.size()) {
            return format_error{0, "a backslash ends the text (column " +
                                       std::to_string(first_column + i) +
                                       "); write \\\\ for a backslash"};
        }
        const char e = text[++i];
        switch (e) {
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '\\':
            out += '\\';
            break;
        case 'x': {
            const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
            const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (high < 0 || low < 0) {
                return format_error{0, "\\x needs two hexadecimal digits (column " + column + ")"};
            }
            out += static_cast<char>(high * 16 + low);
            i += 2;
            break;
        }
        default:
            return format_error{0, std::string("unknown escape \\") + e + " (column " + column +
                                       "); use \\r, \\n, \\t, \\\\ or \\xHH"};
        }
    }
    return out;
}

std::variant<std::vector<entry>, format_error> parse_script(std::string_view text)
{
    std::vector<entry> entries;
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        if (line.starts_with("C:") || line.starts_with("S:")) {
            const entry_kind kind = line[0] == 'C' ? entry_kind::client : entry_kind::server;
            std::string_view body = line.substr(2);
            if (!body.empty() && body[0] != ' ') {
                return format_error{number, "a space must follow \"" +
                                                std::string(line.substr(0, 2)) + "\""};
            }
            if (!body.empty()) {
                body.remove_prefix(1);
            }
            std::string error;
            std::optional<std::string> octets = unescape(body, error);
            if (!octets) {
                return format_error{number, error};
            }
            entries.push_back(entry{kind, std::move(*octets), {}, number});
            continue;
        }
        auto directive = parse_directive(line, number);
        if (auto* bad = std::get_if<format_error>(&directive)) {
            return *bad;
        }
        entries.push_back(std::get<entry>(std::move(directive)));
    }
    return entries;
}

std::string escape_line(std::string_view octets)
{
    static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    bool implicit_crlf = false;
    if (octets.ends_with("\r\n")) {
        const std::string_view body = octets.substr(0, octets.size() - 2);
        implicit_crlf = body.empty() || (body.back() != '\r' && body.back() != '\n');
        if (implicit_crlf) {
            octets = body;
        }
    }
    std::string out;
    out.reserve(octets.size() + 8);
    for (const char c : octets) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            if (u < 32 || u > 126) {
                out += "\\x";
                out += digits[u >> 4U];
                out += digits[u & 15U];
            } else {
                out += c;
            }
        }
    }
    const bool has_ending = implicit_crlf || octets.ends_with('\n') || octets.ends_with('\r');
    if (!has_ending) {
        out += '\\';
    }
    return out;
}

}  // namespace smtpspec::lint
