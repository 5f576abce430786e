// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/lint.hpp"

#include "grammar/extension.hpp"
#include "grammar/parse.hpp"
#include "lint/internal/findings.hpp"
#include "lint/internal/linter.hpp"

#include <algorithm>
#include <cctype>

namespace smtpspec::lint
{

namespace internal
{

namespace
{

bool iequal(std::string_view a, std::string_view b) noexcept
{
    return std::ranges::equal(
        a, b, [](unsigned char x, unsigned char y) { return std::toupper(x) == std::toupper(y); });
}

/// The EHLO keyword that offers a MAIL or RCPT parameter (RFC 1870, 6152, 3461, ...).
std::string_view keyword_for_parameter(std::string_view param) noexcept
{
    struct pair
    {
        std::string_view param;
        std::string_view keyword;
    };
    static constexpr pair table[] = {
        {"SIZE", "SIZE"}, {"BODY", "8BITMIME"}, {"SMTPUTF8", "SMTPUTF8"},
        {"RET", "DSN"},   {"ENVID", "DSN"},     {"NOTIFY", "DSN"},
        {"ORCPT", "DSN"}, {"AUTH", "AUTH"},     {"MT-PRIORITY", "MT-PRIORITY"}};
    for (const pair& p : table) {
        if (iequal(p.param, param)) {
            return p.keyword;
        }
    }
    return param;
}

}  // namespace

linter::linter(const options& opts) : profile_(opts.profile) {}

bool linter::offered(std::string_view keyword) const
{
    return std::ranges::any_of(keywords_, [&](const std::string& k) { return iequal(k, keyword); });
}

std::size_t linter::add_line(side from, std::string octets, std::size_t line)
{
    out_.lines.push_back(annotated_line{from, std::move(octets), line, {}, {}, {}});
    return out_.lines.size() - 1;
}

void linter::flag(finding f)
{
    out_.findings.push_back(std::move(f));
}

bool linter::barrier_pending() const
{
    return std::ranges::any_of(pending_, [](const pending& p) {
        return p.what == kind::data || p.what == kind::starttls || p.what == kind::quit;
    });
}

void linter::connect(std::size_t line)
{
    st_ = model::state{};
    pending_.push_back(pending{model::connect_event{}, no_slot, kind::greeting});
    session_line_ = line;
}

void linter::client(std::string_view octets, std::size_t line)
{
    last_line_ = line;
    client_buffer_ += octets;
    for (;;) {
        if (chunk_left_ > 0) {
            const std::size_t n = std::min<std::size_t>(chunk_left_, client_buffer_.size());
            if (n == 0) {
                return;
            }
            chunk_ += client_buffer_.substr(0, n);
            client_buffer_.erase(0, n);
            chunk_left_ -= n;
            if (chunk_left_ == 0) {
                end_chunk(line);
            }
            continue;
        }
        const std::size_t end = client_buffer_.find("\r\n");
        if (end == std::string::npos) {
            return;
        }
        const std::size_t slot = add_line(side::client, client_buffer_.substr(0, end + 2), line);
        client_buffer_.erase(0, end + 2);
        sent_anything_ = true;
        classify(slot, false);
    }
}

void linter::end_chunk(std::size_t line)
{
    const std::size_t slot = add_line(side::client, std::move(chunk_), line);
    chunk_.clear();
    annotated_line& a = out_.lines[slot];
    a.rule = "BDAT chunk (" + std::to_string(a.octets.size()) + " octets)";
    a.state = model::to_string(st_.at);
    pending_.push_back(pending{chunk_command_, slot, kind::other});
}

void linter::classify(std::size_t slot, bool replay)
{
    annotated_line& a = out_.lines[slot];
    if (!replay && (!held_.empty() || barrier_pending())) {
        hold(slot);
        return;
    }
    if (st_.at == model::phase::closed) {
        a.rule = "after the end of the session";
        a.state = "closed";
        return;
    }
    if (st_.at == model::phase::handshake) {
        if (replay) {
            // spec: rfc3207/4 implementation (octets before the handshake are dropped)
            a.rule = "dropped: sent in clear before the TLS handshake";
            a.state = "handshake";
            ++dropped_before_tls_;
            return;
        }
        // A transcript of the decrypted session: the handshake happened here.
        tls(a.line);
    }
    if (reading_data_) {
        data_line(slot);
    } else {
        command_line(slot);
    }
}

void linter::hold(std::size_t slot)
{
    held_.push_back(slot);
    const pending* barrier = nullptr;
    for (const pending& p : pending_) {
        if (p.what == kind::data || p.what == kind::starttls || p.what == kind::quit) {
            barrier = &p;
            break;
        }
    }
    if (barrier == nullptr || barrier->slot == flagged_barrier_) {
        return;
    }
    flagged_barrier_ = barrier->slot;
    const std::size_t at = out_.lines[slot].line;
    if (barrier->what == kind::data) {
        // spec: 3.3 R-3.3-13 implementation
        flag(make_finding(spec::ref{"3.3", {"R-3.3-13", "R-4.3.1-1"}}, side::client, at,
                          "the client sent this line before the reply to DATA: DATA must be "
                          "the last command of a group (RFC 2920 3.1) and the message text "
                          "waits for 354",
                          "B06"));
    } else if (barrier->what == kind::starttls) {
        flag(make_finding(spec::ref{"rfc3207/4"}, side::client, at,
                          "the client sent this line after STARTTLS before the TLS handshake: "
                          "STARTTLS must be the last command of a group, and whatever follows "
                          "it in clear is dropped",
                          "B07"));
    } else {
        flag(make_finding(spec::ref{"4.3.1", {"R-4.3.1-1"}}, side::client, at,
                          "the client sent this line after QUIT: QUIT ends a group and the "
                          "session"));
    }
}

void linter::release_held()
{
    while (!held_.empty() && !barrier_pending()) {
        const std::size_t slot = held_.front();
        held_.erase(held_.begin());
        classify(slot, true);
    }
}

void linter::check_group(std::size_t at)
{
    if (pending_.empty() || pending_.front().what == kind::greeting) {
        if (!pending_.empty() && !warned_greeting_) {
            warned_greeting_ = true;
            // spec: 4.3.1 R-4.3.1-2 implementation
            flag(make_finding(spec::ref{"4.3.1", {"R-4.3.1-2"}}, side::client, at,
                              "the client sent a command before the server's greeting"));
        }
        return;
    }
    if (!offered("PIPELINING")) {
        if (pending_.back().slot != flagged_group_) {
            flagged_group_ = pending_.back().slot;
            // spec: 4.3.1 R-4.3.1-1 implementation
            flag(make_finding(spec::ref{"4.3.1", {"R-4.3.1-1"}}, side::client, at,
                              "the client sent a command before the reply to the previous one, "
                              "and the server did not offer PIPELINING"));
        }
        return;
    }
    const pending& previous = pending_.back();
    if (previous.what == kind::ehlo || previous.what == kind::helo ||
        previous.what == kind::state_query) {
        flag(
            make_finding(spec::ref{"4.3.1", {"R-4.3.1-1"}}, side::client, at,
                         "the previous command (" + out_.lines[previous.slot].rule +
                             ") may only be the last command of a pipelined group (RFC 2920 3.1)"));
    }
}

void linter::command_line(std::size_t slot)
{
    annotated_line& a = out_.lines[slot];
    const std::string line = a.octets;
    check_group(a.line);
    pending p{model::bad_line_event{500}, slot, kind::other, !pending_.empty()};
    const std::string_view body(line.data(), line.size() - 2);
    if (line.size() > grammar::limits::command_line_octets) {
        a.rule = "command (failed: over 512 octets)";
        p.in = model::line_too_long_event{};
        // spec: 4.5.3.1.4 R-4.5.3.1-2 implementation
        flag(make_finding(spec::ref{"4.5.3.1.4", {"R-4.5.3.1-2"}}, side::client, a.line,
                          "command line of " + std::to_string(line.size()) +
                              " octets, over the 512 a server must accept",
                          "B38"));
    } else if (has_bare_cr_or_lf(body)) {
        a.rule = "command (failed: bare CR or LF)";
        // spec: 2.3.8 R-2.3.8-3 implementation
        flag(make_finding(spec::ref{"2.3.8", {"R-2.3.8-3", "R-2.3.8-1"}}, side::client, a.line,
                          "the command line holds a bare CR or LF; only CRLF ends a line, so "
                          "the server sees one malformed line",
                          "B48"));
    } else {
        parse_command_line(line, a, p);
    }
    if (p.what != kind::skip) {
        pending_.push_back(std::move(p));
    }
}

void linter::parse_command_line(const std::string& line, annotated_line& a, pending& p)
{
    auto parsed = grammar::parse_command(line);
    if (auto* c = std::get_if<grammar::command>(&parsed)) {
        a.rule = rule_name(*c);
        check_command(*c, a.line);
        p.what = kind_of(*c);
        p.in = std::move(*c);
        return;
    }
    auto extension = grammar::parse_extension_command(line);
    if (auto* c = std::get_if<grammar::extension_command>(&extension)) {
        if (const auto* bdat = std::get_if<grammar::bdat_command>(c)) {
            a.rule = "bdat-cmd";
            chunk_left_ = bdat->chunk_size;
            chunk_command_ = *c;
            if (chunk_left_ == 0) {
                p.in = *c;
                return;
            }
            p.what = kind::skip;
            return;
        }
        a.rule =
            std::holds_alternative<grammar::starttls_command>(*c) ? "starttls" : "auth-command";
        p.what =
            std::holds_alternative<grammar::starttls_command>(*c) ? kind::starttls : kind::other;
        p.in = *c;
        return;
    }
    const auto& error = std::get<grammar::syntax_error>(parsed);
    if (lenient_command(line, a, p)) {
        return;
    }
    a.rule = error.rule + " (failed)";
    p.in = model::bad_line_event{error.reply_code};
    flag(syntax_finding(line, error, a.line));
}

bool linter::lenient_command(const std::string& line, annotated_line& a, pending& p)
{
    grammar::parse_options lax;
    lax.tolerate_trailing_space = true;
    auto trimmed = grammar::parse_command(line, lax);
    if (auto* c = std::get_if<grammar::command>(&trimmed)) {
        a.rule = std::string(rule_name(*c)) + " (with trailing white space)";
        flag(make_finding(spec::ref{"4.1.1", {}, {105}}, side::client, a.line,
                          "white space before the CRLF: no command's grammar allows it (a "
                          "server should tolerate it, R-4.1.1-1)"));
        p.what = kind_of(*c);
        if (profile_.tolerate_trailing_space) {
            p.in = std::move(*c);
        } else {
            p.in = model::bad_line_event{501};
        }
        return true;
    }
    // #107: "EHLO [192.0.2.1] text": the literal, then text the grammar does not allow.
    if (line.size() > 6 && iequal(std::string_view(line).substr(0, 6), "EHLO [")) {
        const std::size_t close = line.find("] ");
        if (close != std::string::npos) {
            auto literal = grammar::parse_command(line.substr(0, close + 1) + "\r\n");
            if (auto* c = std::get_if<grammar::command>(&literal)) {
                a.rule = "ehlo (text after the address literal)";
                const spec::ref why{"4.1.1.1", {"R-4.1.1.1-2"}, {107}};
                finding f = make_finding(why, side::client, a.line,
                                         "text after the address literal of EHLO");
                if (profile_.ehlo_literal_trailing_text_must_not) {
                    f.severity = level::error;
                }
                flag(std::move(f));
                p.what = kind::ehlo;
                p.in = std::move(*c);
                return true;
            }
        }
    }
    return false;
}

void linter::check_command(const grammar::command& c, std::size_t at)
{
    if (const auto* mail = std::get_if<grammar::mail_command>(&c)) {
        if (mail->from.value && !mail->from.value->source_route.empty()) {
            // spec: 3.3 R-3.3-3 implementation
            flag(make_finding(spec::ref{"3.3", {"R-3.3-3"}, {106}}, side::client, at,
                              "source route in the reverse-path"));
        }
        eight_bit_ = false;
        for (const grammar::esmtp_param& param : mail->params) {
            if (iequal(param.keyword, "BODY") && param.value && !iequal(*param.value, "7BIT")) {
                eight_bit_ = true;
            }
            check_parameter(param, grammar::check_mail_parameter(param), at, false);
        }
    } else if (const auto* rcpt = std::get_if<grammar::rcpt_command>(&c)) {
        if (rcpt->to.value && !rcpt->to.value->source_route.empty()) {
            // spec: 4.1.1.3 R-4.1.1.3-1 implementation
            flag(make_finding(spec::ref{"4.1.1.3", {"R-4.1.1.3-1"}, {106}}, side::client, at,
                              "source route in the forward-path"));
        }
        for (const grammar::esmtp_param& param : rcpt->params) {
            check_parameter(param, grammar::check_rcpt_parameter(param), at, true);
        }
    } else if (std::holds_alternative<grammar::quit_command>(c)) {
        quit_sent_ = true;
    }
}

void linter::check_parameter(const grammar::esmtp_param& param,
                             const std::optional<grammar::syntax_error>& error, std::size_t at,
                             bool rcpt)
{
    // The decoded-xtext finding is the more precise verdict on the same value.
    if (!check_xtext(param, at) && error) {
        flag(make_finding(rcpt ? spec::ref{"4.1.1.3"} : spec::ref{"4.1.1.2"}, side::client, at,
                          "parameter " + param.keyword + ": " + error->message));
    }
    const std::string_view keyword = keyword_for_parameter(param.keyword);
    if (offered(keyword)) {
        return;
    }
    const std::string message = "parameter " + param.keyword + " used, but the server did not " +
                                "offer " + std::string(keyword) + " in its EHLO reply";
    if (rcpt) {
        // spec: 4.1.1.3 R-4.1.1.3-8 implementation
        flag(make_finding(spec::ref{"4.1.1.3", {"R-4.1.1.3-8"}, {106}}, side::client, at, message));
    } else {
        flag(make_finding(spec::ref{"4.1.1.2"}, side::client, at, message));
    }
}

bool linter::check_xtext(const grammar::esmtp_param& param, std::size_t at)
{
    // Known fault B27: legal xtext (RFC 3461 4, RFC 4954 5) that decodes to
    // control octets, which a server could write into a header or a log.
    const bool xtext = iequal(param.keyword, "AUTH") || iequal(param.keyword, "ORCPT") ||
                       iequal(param.keyword, "ENVID");
    if (!xtext || !param.value) {
        return false;
    }
    const std::optional<std::string> decoded = grammar::decode_xtext(*param.value, true);
    const bool control = decoded && std::ranges::any_of(*decoded, [](char c) {
                             const auto u = static_cast<unsigned char>(c);
                             return u < 32 || u == 127;
                         });
    if (control) {
        // spec: 4.1.2 R-4.1.2-10 implementation
        flag(make_finding(
            spec::ref{"4.1.2", {"R-4.1.2-10"}}, side::client, at,
            "parameter " + param.keyword + " decodes to control octets (CR, LF or others)", "B27"));
    }
    return control;
}

linter::kind linter::kind_of(const grammar::command& c) noexcept
{
    switch (c.index()) {
    case 0:
        return kind::ehlo;
    case 1:
        return kind::helo;
    case 4:
        return kind::data;
    case 6:
    case 7:
    case 9:
        return kind::state_query;  // VRFY, EXPN, NOOP end a group (RFC 2920 3.1)
    case 10:
        return kind::quit;
    default:
        return kind::other;
    }
}

}  // namespace internal

namespace
{

/// Lines of a text: those ended by LF, and a last one without it.
std::size_t count_lines(std::string_view text) noexcept
{
    const auto ended = static_cast<std::size_t>(std::ranges::count(text, '\n'));
    return ended + (text.empty() || text.ends_with('\n') ? 0 : 1);
}

}  // namespace

const char* to_string(side s) noexcept
{
    return s == side::client ? "client" : "server";
}

const char* to_string(level l) noexcept
{
    switch (l) {
    case level::error:
        return "error";
    case level::warning:
        return "warning";
    case level::note:
        return "note";
    }
    return "note";
}

result lint(std::string_view transcript, const options& opts)
{
    auto parsed = parse_script(transcript);
    if (auto* error = std::get_if<format_error>(&parsed)) {
        result out;
        out.error = *error;
        return out;
    }
    const auto& entries = std::get<std::vector<entry>>(parsed);
    if (entries.empty()) {
        result out;
        out.error = format_error{1, transcript.empty()
                                        ? "the file is empty: nothing to lint"
                                        : "nothing to lint: the file holds only comments and "
                                          "blank lines, no \"C: \", \"S: \" or directive line"};
        return out;
    }
    internal::linter l(opts);
    l.connect(entries.empty() ? 1 : entries.front().line);
    std::size_t last = 1;
    for (const entry& e : entries) {
        last = e.line;
        switch (e.kind) {
        case entry_kind::client:
            l.client(e.octets, e.line);
            break;
        case entry_kind::server:
            l.server(e.octets, e.line);
            break;
        case entry_kind::expect_reply:
            l.expect_reply(e.code, e.line);
            break;
        case entry_kind::expect_close:
            l.server_closed(e.line);
            break;
        case entry_kind::starttls:
            l.tls(e.line);
            break;
        case entry_kind::reconnect:
            l.finish(e.line);
            l.connect(e.line);
            break;
        }
    }
    l.finish(last);
    result out = l.take();
    out.input_lines = count_lines(transcript);
    return out;
}

result lint_streams(std::string_view client_octets, std::string_view server_octets,
                    const options& opts)
{
    internal::linter l(opts);
    l.connect(1);
    std::size_t client_line = 0;
    std::size_t server_line = 0;
    const auto next_line = [](std::string_view& rest) {
        const std::size_t end = rest.find("\r\n");
        const std::size_t n = end == std::string_view::npos ? rest.size() : end + 2;
        const std::string_view line = rest.substr(0, n);
        rest.remove_prefix(n);
        return line;
    };
    // Lock step: feed server lines while a reply is owed, else the next client line.
    while (!client_octets.empty() || !server_octets.empty()) {
        if (l.awaiting_reply() && !server_octets.empty()) {
            l.server(next_line(server_octets), ++server_line);
        } else if (!client_octets.empty()) {
            l.client(next_line(client_octets), ++client_line);
        } else {
            l.server(next_line(server_octets), ++server_line);
        }
    }
    l.finish(std::max(client_line, server_line));
    result out = l.take();
    out.input_lines = client_line + server_line;
    return out;
}

}  // namespace smtpspec::lint
