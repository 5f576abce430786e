// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/read.hpp"

#include "grammar/extension.hpp"
#include "grammar/limits.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace smtpspec::model
{

namespace
{
bool starts_with_nocase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size()
        && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a))
                   == std::tolower(static_cast<unsigned char>(b));
           });
}
}  // namespace

command_reading read_command_line(std::string_view line, const profile& p)
{
    if (line.size() > grammar::limits::command_line_octets) {
        return {line_too_long_event{}, std::nullopt};
    }
    const std::string_view body = line.substr(0, line.size() - 2);
    if (body.find_first_of("\r\n") != std::string_view::npos) {
        // spec: 2.3.8 R-2.3.8-1 implementation
        return {bad_line_event{500}, std::nullopt};
    }
    grammar::parse_options options;
    options.tolerate_trailing_space = p.tolerate_trailing_space;
    options.smtputf8 = p.smtputf8;
    auto parsed = grammar::parse_command(line, options);
    if (auto* cmd = std::get_if<grammar::command>(&parsed)) {
        return {std::move(*cmd), std::nullopt};
    }
    if (starts_with_nocase(body, "EHLO [")) {
        // spec: 4.1.1.1 R-4.1.1.1-2 implementation
        const std::size_t close = body.find(']');
        if (close != std::string_view::npos && close + 1 < body.size() && body[close + 1] == ' ') {
            const std::string literal = std::string{body.substr(0, close + 1)} + "\r\n";
            auto retry = grammar::parse_command(literal, options);
            if (auto* cmd = std::get_if<grammar::command>(&retry)) {
                command_reading out{std::move(*cmd), std::nullopt};
                out.ehlo_literal_text = true;
                return out;
            }
        }
    }
    auto error = std::get<grammar::syntax_error>(std::move(parsed));
    if (error.reply_code == 500) {
        // Not a command of 4.1.1: perhaps one an extension adds.
        // The profile's reading of trailing white space (WG #105) holds for
        // the extensions' commands too.
        std::string trimmed{line};
        if (p.tolerate_trailing_space) {
            std::size_t end = body.size();
            while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t')) {
                --end;
            }
            trimmed = std::string{body.substr(0, end)} + "\r\n";
        }
        auto extended = grammar::parse_extension_command(trimmed);
        if (auto* ext = std::get_if<grammar::extension_command>(&extended)) {
            return {std::move(*ext), std::nullopt};
        }
        if (std::get<grammar::syntax_error>(extended).reply_code == 501) {
            error = std::get<grammar::syntax_error>(std::move(extended));
        }
    }
    if (body.size() > 5 && starts_with_nocase(body, "NOOP ")) {
        // spec: 4.1.1.9 R-4.1.1.9-1 implementation
        command_reading out{grammar::command{grammar::noop_command{std::string{body.substr(5)}}},
                            std::nullopt};
        out.noop_argument_ignored = true;
        return out;
    }
    const int code = error.reply_code;
    return {bad_line_event{code}, std::move(error)};
}

}  // namespace smtpspec::model
