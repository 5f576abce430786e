// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/reply_parser.hpp"

#include "grammar/internal/line.hpp"
#include "grammar/parse.hpp"

#include <utility>

namespace smtpspec::grammar
{

namespace
{

reply_error error_at(std::size_t line, std::string rule, std::size_t offset, std::string message)
{
    return reply_error{line, syntax_error{std::move(rule), offset, std::move(message),
                                          internal::unrecognized_reply}};
}

std::string status_text(const enhanced_status& s)
{
    return std::to_string(s.status_class) + "." + std::to_string(s.subject) + "." +
           std::to_string(s.detail);
}

/// RFC 2034 4: the status agrees with the code and starts the text of every line.
std::optional<reply_error> check_status(const parsed_reply& r)
{
    if (!r.status) {
        return std::nullopt;
    }
    const std::string status = status_text(*r.status);
    if (r.status->status_class != r.code / 100) {
        return error_at(0, "status-code", 4,
                        "enhanced status " + status + " does not agree with reply code " +
                            std::to_string(r.code) + " (RFC 2034 4)");
    }
    for (std::size_t i = 1; i < r.lines.size(); ++i) {
        const auto s = parse_enhanced_status(r.lines[i]);
        if (!s || *s != *r.status) {
            return error_at(i, "status-code", 4,
                            "line " + std::to_string(i + 1) + " does not start with the status " +
                                status + " of the first line (RFC 2034 4)");
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<reply_result> reply_assembler::add(std::string_view line)
{
    const std::size_t index = lines_.size();
    auto parsed = parse_reply_line(line);
    if (auto* e = std::get_if<syntax_error>(&parsed)) {
        lines_.clear();
        return reply_error{index, std::move(*e)};
    }
    reply_line& rl = std::get<reply_line>(parsed);
    // spec: 4.2.1 R-4.2.1-5 implementation (one code on every line of a reply)
    if (index > 0 && rl.code != code_) {
        const int first = code_;
        lines_.clear();
        return error_at(index, "Reply-code", 0,
                        "reply code " + std::to_string(rl.code) + " differs from " +
                            std::to_string(first) +
                            " of the first line: every line of a reply carries the same "
                            "code (RFC 5321 4.2.1)");
    }
    code_ = rl.code;
    lines_.push_back(std::move(rl.text));
    if (!rl.last) {
        return std::nullopt;
    }
    parsed_reply out{code_, std::nullopt, std::exchange(lines_, {})};
    if (options_.enhanced_status_codes && code_ / 100 != 3) {
        out.status = parse_enhanced_status(out.lines.front());
        if (auto e = check_status(out)) {
            return *e;
        }
    }
    return out;
}

reply_result parse_reply(std::string_view text, reply_options options)
{
    reply_assembler assembler(options);
    std::size_t start = 0;
    std::size_t index = 0;
    while (start < text.size()) {
        const std::size_t crlf = text.find("\r\n", start);
        const std::size_t stop = crlf == std::string_view::npos ? text.size() : crlf + 2;
        if (auto done = assembler.add(text.substr(start, stop - start))) {
            if (std::holds_alternative<parsed_reply>(*done) && stop < text.size()) {
                return error_at(index + 1, "Reply-line", 0,
                                "octets after the last line of the reply (the line without "
                                "\"-\", RFC 5321 4.2)");
            }
            return *done;
        }
        start = stop;
        ++index;
    }
    return error_at(index, "Reply-line", 0,
                    index == 0 ? "no reply: the input is empty (RFC 5321 4.2)"
                               : "the reply ends after a line with \"-\": its last line, "
                                 "without \"-\", is missing (RFC 5321 4.2)");
}

}  // namespace smtpspec::grammar
