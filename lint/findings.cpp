// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/internal/findings.hpp"

#include "spec/catalogue.hpp"

#include <algorithm>
#include <cctype>

namespace smtpspec::lint::internal
{

namespace
{

level level_of(std::string_view keyword) noexcept
{
    if (keyword.starts_with("MUST") || keyword.starts_with("SHALL") || keyword == "REQUIRED") {
        return level::error;
    }
    if (keyword.starts_with("SHOULD") || keyword.ends_with("RECOMMENDED")) {
        return level::warning;
    }
    return level::note;
}

std::string upper(std::string_view text)
{
    std::string out(text);
    std::ranges::transform(out, out.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

bool is_address_rule(std::string_view rule) noexcept
{
    static constexpr std::string_view rules[] = {"Reverse-path",
                                                 "Forward-path",
                                                 "Path",
                                                 "Mailbox",
                                                 "Local-part",
                                                 "Domain",
                                                 "sub-domain",
                                                 "Dot-string",
                                                 "Quoted-string",
                                                 "Atom",
                                                 "A-d-l",
                                                 "At-domain",
                                                 "Mail-parameters",
                                                 "Rcpt-parameters",
                                                 "esmtp-param",
                                                 "esmtp-keyword",
                                                 "esmtp-value"};
    return std::ranges::find(rules, rule) != std::end(rules);
}

}  // namespace

finding make_finding(const spec::ref& why, side actor, std::size_t line, std::string message,
                     std::string_view fault)
{
    finding f;
    f.actor = actor;
    f.line = line;
    f.message = std::move(message);
    f.fault = std::string(fault);
    f.section = std::string(why.section().str());
    for (const spec::wg_issue issue : why.issues()) {
        f.wg_issues.push_back(issue.number());
    }
    if (!why.requirements().empty()) {
        f.rule_id = std::string(why.requirements().front().str());
        const spec::requirement_entry* r = spec::find_requirement(f.rule_id);
        f.severity = r != nullptr ? level_of(r->keyword) : level::error;
    } else {
        f.rule_id = f.section.starts_with("rfc") ? f.section : "rfc5321/" + f.section;
        f.severity = level::error;
    }
    return f;
}

std::string describe(const spec::ref& why)
{
    std::string out(why.section().str());
    for (const spec::requirement_id id : why.requirements()) {
        out += ' ';
        out += id.str();
    }
    for (const spec::wg_issue issue : why.issues()) {
        out += " WG#" + std::to_string(issue.number());
    }
    return out;
}

const char* rule_name(const grammar::command& c) noexcept
{
    static constexpr const char* names[] = {"ehlo", "helo", "mail", "rcpt", "data", "rset",
                                            "vrfy", "expn", "help", "noop", "quit"};
    return names[c.index()];
}

finding syntax_finding(std::string_view line, const grammar::syntax_error& error, std::size_t at)
{
    const std::string verb =
        upper(line.substr(0, std::min(line.find_first_of(" \r\n"), line.size())));
    const std::string what = "the command does not match the grammar: rule " + error.rule +
                             " at offset " + std::to_string(error.offset) + ": " + error.message;
    const bool control = std::ranges::any_of(line.substr(0, line.size() - 2), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 32 || u > 126;
    });
    if (control && (verb == "MAIL" || verb == "RCPT" || verb == "VRFY" || verb == "EXPN")) {
        // spec: 4.1.2 R-4.1.2-10 implementation
        return make_finding(spec::ref{"4.1.2", {"R-4.1.2-10"}}, side::client, at, what);
    }
    if (error.reply_code == 500 && error.rule == "command" && error.offset == 0) {
        // spec: 4.1.5 R-4.1.5-2 implementation
        return make_finding(spec::ref{"4.1.5", {"R-4.1.5-2"}}, side::client, at, what);
    }
    if (verb == "RSET" || verb == "DATA" || verb == "QUIT") {
        // spec: 4.1.1 R-4.1.1-3 implementation
        return make_finding(spec::ref{"4.1.1", {"R-4.1.1-3"}}, side::client, at, what);
    }
    if (error.rule == "address-literal" || error.rule == "Snum") {
        return make_finding(spec::ref{"4.1.3"}, side::client, at, what);
    }
    if (verb == "EHLO" || verb == "HELO") {
        return make_finding(spec::ref{"4.1.1.1"}, side::client, at, what);
    }
    if (is_address_rule(error.rule)) {
        return make_finding(spec::ref{"4.1.2"}, side::client, at, what);
    }
    if (verb == "MAIL") {
        return make_finding(spec::ref{"4.1.1.2"}, side::client, at, what);
    }
    if (verb == "RCPT") {
        return make_finding(spec::ref{"4.1.1.3"}, side::client, at, what);
    }
    return make_finding(spec::ref{"4.1.1"}, side::client, at, what);
}

finding reply_syntax_finding(std::string_view line, const grammar::syntax_error& error,
                             std::size_t at)
{
    const std::string what = "the reply line does not match the grammar: rule " + error.rule +
                             " at offset " + std::to_string(error.offset) + ": " + error.message;
    const auto digit = [&](std::size_t i) {
        return i < line.size() && line[i] >= '0' && line[i] <= '9';
    };
    if (!digit(0) || !digit(1) || !digit(2) || line[0] < '2' || line[0] > '5') {
        // spec: 4.2 R-4.2-12 implementation
        return make_finding(spec::ref{"4.2", {"R-4.2-12", "R-4.3.2-3"}}, side::server, at,
                            what + " (a reply code is three digits, the first 2 to 5)");
    }
    if (line[1] > '5') {
        // spec: 4.2 R-4.2-3 implementation
        return make_finding(spec::ref{"4.2", {"R-4.2-3"}, {118}}, side::server, at,
                            what + " (the second digit of a Reply-code is 0 to 5)", "B37");
    }
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-' && line[3] != '\r') {
        // spec: 4.3.2 R-4.3.2-3 implementation
        return make_finding(spec::ref{"4.3.2", {"R-4.3.2-3"}}, side::server, at,
                            what + " (a reply code is three digits, then a space, a hyphen or "
                                   "the CRLF)");
    }
    return make_finding(spec::ref{"4.2"}, side::server, at, what);
}

bool has_bare_cr_or_lf(std::string_view body) noexcept
{
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) {
            return true;
        }
        if (body[i] == '\r' && (i + 1 == body.size() || body[i + 1] != '\n')) {
            return true;
        }
    }
    return false;
}

std::optional<std::pair<std::string, std::string>> smuggling_form(std::string_view line)
{
    // The line was cut at the first CRLF, so it ends in CRLF and holds none before.
    const std::string_view body = line.substr(0, line.size() - 2);
    if (body.ends_with("\n.")) {
        return std::pair<std::string, std::string>{"B01", "<LF>.<CR><LF>"};
    }
    if (body.find("\n.\n") != std::string_view::npos) {
        return std::pair<std::string, std::string>{"B02", "<LF>.<LF>"};
    }
    if (body.starts_with(".\n")) {
        return std::pair<std::string, std::string>{"B03", "<CR><LF>.<LF>"};
    }
    if (body.find("\r.\r") != std::string_view::npos || body.ends_with("\r.") ||
        body.starts_with(".\r")) {
        return std::pair<std::string, std::string>{"B01", "a bare CR next to a lone \".\""};
    }
    return std::nullopt;
}

}  // namespace smtpspec::lint::internal
