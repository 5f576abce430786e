// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/server_reply.hpp"

#include "grammar/parse.hpp"
#include "reference/trace.hpp"
#include "validate/transcript.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

namespace smtpspec::validate
{

namespace
{
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string_view without_line_ending(std::string_view s) noexcept
{
    if (!s.empty() && s.back() == '\n') {
        s.remove_suffix(1);
    }
    if (!s.empty() && s.back() == '\r') {
        s.remove_suffix(1);
    }
    return s;
}
}  // namespace

observed_line observe_reply_line(std::string_view octets)
{
    observed_line out;
    out.octets = std::string{octets};
    const std::string_view body = without_line_ending(octets);
    if (body.size() >= 3 && is_digit(body[0]) && is_digit(body[1]) && is_digit(body[2])) {
        out.code = (body[0] - '0') * 100 + (body[1] - '0') * 10 + (body[2] - '0');
    }
    out.last = body.size() < 4 || body[3] != '-';
    if (body.size() > 4) {
        out.text = std::string{body.substr(4)};
    }

    const auto parsed = grammar::parse_reply_line(octets);
    if (const auto* err = std::get_if<grammar::syntax_error>(&parsed)) {
        out.syntax_error = err->rule + " at offset " + std::to_string(err->offset) + ": "
                         + err->message;
    }
    return out;
}

bool server_reply::valid_syntax() const noexcept
{
    return std::ranges::all_of(lines, [](const auto& l) { return l.syntax_error.empty(); });
}

bool server_reply::consistent_codes() const noexcept
{
    return std::ranges::all_of(lines, [this](const auto& l) { return l.code == code(); });
}

std::string server_reply::syntax_errors() const
{
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].syntax_error.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += "; ";
        }
        out += "line " + std::to_string(i + 1) + " \"" + reference::printable(lines[i].octets)
             + "\": " + lines[i].syntax_error;
    }
    return out;
}

std::string server_reply::summary() const
{
    if (lines.empty()) {
        return "(no reply)";
    }
    std::string s = reference::printable(without_line_ending(lines.front().octets));
    if (lines.size() > 1) {
        s += " (+" + std::to_string(lines.size() - 1) + " lines)";
    }
    return s;
}

std::string server_reply::unfinished_summary() const
{
    if (!unfinished()) {
        return {};
    }
    std::string received;
    for (const auto& l : lines) {
        received += l.octets;
    }
    return reference::unfinished_reply(received + unterminated);
}

std::optional<std::string> server_reply::ehlo_offer(std::string_view keyword) const
{
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string& text = lines[i].text;
        const auto end = text.find_first_of(" \r\n");
        const std::string_view word{text.data(), std::min(end, text.size())};
        const bool same = word.size() == keyword.size()
                       && std::ranges::equal(word, keyword, [](char a, char b) {
                              return std::toupper(static_cast<unsigned char>(a))
                                  == std::toupper(static_cast<unsigned char>(b));
                          });
        if (same) {
            if (end == std::string::npos || text[end] != ' ') {
                return std::string{};
            }
            const auto stop = text.find_first_of("\r\n", end);
            return text.substr(end + 1, stop == std::string::npos ? stop : stop - end - 1);
        }
    }
    return std::nullopt;
}

}  // namespace smtpspec::validate
