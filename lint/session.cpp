// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The linter's handling of mail data, of the server's replies, and of the
// events of a connection (TLS, close, end of input).

#include "grammar/parse.hpp"
#include "lint/internal/findings.hpp"
#include "lint/internal/linter.hpp"
#include "spec/catalogue.hpp"

#include <algorithm>

namespace smtpspec::lint::internal
{

namespace
{

/// The longest text line of mail data, CRLF included, the stuffing dot not counted.
constexpr std::size_t text_line_octets = 1000;  // 4.5.3.1.6

bool is_connection_end(int code) noexcept
{
    return code == 221 || code == 421;
}

}  // namespace

void linter::data_line(std::size_t slot)
{
    annotated_line& a = out_.lines[slot];
    a.state = "data";
    if (a.octets == ".\r\n") {
        a.rule = "end of data";
        reading_data_ = false;
        // Known faults B01-B03: one message or a refusal are both right after a
        // bare LF, so a 250 is not held against the server (the client is flagged).
        pending_.push_back(pending{model::end_of_data_event{true}, slot, kind::other});
        return;
    }
    a.rule = "mail data";
    const std::string_view body(a.octets.data(), a.octets.size() - 2);
    if (has_bare_cr_or_lf(body)) {
        const auto form = smuggling_form(a.octets);
        std::string message = "a bare CR or LF in the mail data; only CRLF ends a line";
        if (form) {
            smuggling_fault_ = form->first;
            message += ", and " + form->second +
                       " here ends the data for a server that accepts it (SMTP smuggling)";
        }
        // spec: 2.3.8 R-2.3.8-3 implementation
        flag(make_finding(spec::ref{"2.3.8", {"R-2.3.8-3", "R-4.1.1.4-4"}}, side::client, a.line,
                          message, form ? form->first : std::string()));
    }
    const std::size_t counted = a.octets.size() - (a.octets.starts_with('.') ? 1 : 0);
    if (counted > text_line_octets) {
        // spec: 4.5.3.1.6 R-4.5.3.1-2 implementation
        flag(make_finding(spec::ref{"4.5.3.1.6", {"R-4.5.3.1-2"}}, side::client, a.line,
                          "text line of " + std::to_string(counted) +
                              " octets, over the 1000 a server must accept",
                          "B46"));
    }
    const bool high =
        std::ranges::any_of(body, [](char c) { return static_cast<unsigned char>(c) > 127; });
    if (high && !eight_bit_ && !eight_bit_flagged_) {
        eight_bit_flagged_ = true;
        // spec: 2.4 R-2.4-5 implementation
        flag(make_finding(spec::ref{"2.4", {"R-2.4-5"}}, side::client, a.line,
                          "8-bit octets in the mail data without BODY=8BITMIME"));
    }
}

void linter::server(std::string_view octets, std::size_t line)
{
    last_line_ = line;
    server_buffer_ += octets;
    for (;;) {
        const std::size_t end = server_buffer_.find("\r\n");
        if (end == std::string::npos) {
            return;
        }
        const std::size_t slot = add_line(side::server, server_buffer_.substr(0, end + 2), line);
        server_buffer_.erase(0, end + 2);
        server_line(slot);
    }
}

void linter::server_line(std::size_t slot)
{
    annotated_line& a = out_.lines[slot];
    const std::string_view body(a.octets.data(), a.octets.size() - 2);
    if (has_bare_cr_or_lf(body)) {
        // spec: 2.3.8 R-2.3.8-1 implementation
        flag(make_finding(spec::ref{"2.3.8", {"R-2.3.8-1"}}, side::server, a.line,
                          "the reply line holds a bare CR or LF"));
    }
    int code = 0;
    bool last = true;
    std::string text;
    auto parsed = grammar::parse_reply_line(a.octets);
    if (auto* r = std::get_if<grammar::reply_line>(&parsed)) {
        code = r->code;
        last = r->last;
        text = r->text;
        const bool first = reply_slots_.empty();
        const kind waiting = pending_.empty() ? kind::other : pending_.front().what;
        a.rule = waiting == kind::greeting ? "Reply-line (Greeting)" : "Reply-line";
        if (waiting == kind::ehlo && code == 250) {
            a.rule = first ? "ehlo-ok-rsp" : "ehlo-line";
        }
        if (waiting == kind::ehlo && code == 250 && first) {
            // ehlo-ok-rsp's first line names the server's Domain; the
            // generic findings on a bare code would say less than this.
            const auto greeting = grammar::parse_ehlo_greeting_line(text);
            if (const auto* e = std::get_if<grammar::syntax_error>(&greeting)) {
                a.rule = "ehlo-ok-rsp (failed)";
                flag(make_finding(spec::ref{"4.1.1.1"}, side::server, a.line,
                                  "the first line of the EHLO reply does not name the server's "
                                  "Domain: rule " + e->rule + " at offset " +
                                      std::to_string(e->offset) + ": " + e->message));
            }
        } else {
            check_reply_text(*r, a.octets, a.line);
        }
        if (waiting == kind::ehlo && code == 250 && !first) {
            auto keyword = grammar::parse_ehlo_line(text);
            if (auto* k = std::get_if<grammar::ehlo_keyword_line>(&keyword)) {
                reply_keywords_.push_back(k->keyword);
            } else {
                const auto& e = std::get<grammar::syntax_error>(keyword);
                a.rule = "ehlo-line (failed)";
                flag(make_finding(spec::ref{"4.1.1.1"}, side::server, a.line,
                                  "not an EHLO keyword line: rule " + e.rule + " at offset " +
                                      std::to_string(e.offset) + ": " + e.message));
            }
        }
    } else {
        const auto& e = std::get<grammar::syntax_error>(parsed);
        a.rule = e.rule + " (failed)";
        reply_malformed_ = true;
        flag(reply_syntax_finding(a.octets, e, a.line));
        const bool digits =
            a.octets.size() >= 3 && std::all_of(a.octets.begin(), a.octets.begin() + 3,
                                                [](char c) { return c >= '0' && c <= '9'; });
        code =
            digits ? (a.octets[0] - '0') * 100 + (a.octets[1] - '0') * 10 + (a.octets[2] - '0') : 0;
        last = a.octets.size() < 4 || a.octets[3] != '-';
    }
    if (reply_slots_.empty()) {
        reply_first_code_ = code;
    } else {
        const int first_code = reply_first_code_;
        if (first_code != code && !mixed_codes_flagged_) {
            mixed_codes_flagged_ = true;
            // spec: 4.2.1 R-4.2.1-5 implementation
            flag(make_finding(spec::ref{"4.2.1", {"R-4.2.1-5"}}, side::server, a.line,
                              "a multiline reply with two codes: " + std::to_string(first_code) +
                                  " then " + std::to_string(code),
                              "B36"));
        }
    }
    reply_slots_.push_back(slot);
    if (last) {
        complete_reply(code, a.line);
    }
}

void linter::expect_reply(std::string_view code, std::size_t line)
{
    std::string digits(code);
    if (digits.find('x') != std::string::npos && !pending_.empty()) {
        // The first reply the model permits that fits the pattern.
        const auto o = model::step(profile_, st_, pending_.front().in);
        for (const model::transition& t : o.permitted) {
            const std::string c = std::to_string(t.code);
            if (c.size() == 3 &&
                std::ranges::equal(c, code, [](char d, char p) { return p == 'x' || p == d; })) {
                digits = c;
                break;
            }
        }
    }
    std::ranges::replace(digits, 'x', '0');
    const std::size_t slot = add_line(side::server, digits + "\r\n", line);
    out_.lines[slot].rule = "expected reply (" + std::string(code) + ")";
    reply_slots_.push_back(slot);
    complete_reply(std::stoi(digits), line);
}

void linter::check_reply_text(const grammar::reply_line& r, std::string_view octets,
                              std::size_t line)
{
    const bool no_text = r.text.find_first_not_of(" \t") == std::string::npos;
    if (r.last && !r.space_without_text && octets.size() == 5) {
        // spec: 4.2.1 R-4.2.1-3 implementation (the ABNF allows the bare code)
        flag(make_finding(spec::ref{"4.2.1", {"R-4.2.1-3"}}, side::server, line,
                          "the reply line is the code alone: a server that sends no text "
                          "still sends the space after the code"));
    }
    if (no_text) {
        // spec: 4.2 R-4.2-6 implementation
        flag(make_finding(spec::ref{"4.2", {"R-4.2-6"}}, side::server, line,
                          "a reply line without text: a server should not send a bare code"));
    }
}

void linter::complete_reply(int code, std::size_t line)
{
    if (reply_malformed_) {
        // A line the grammar refused is no reply: the command still has none
        // the model can act on, so the session model stays where it was.
        annotated_line& last = out_.lines[reply_slots_.back()];
        last.state = std::string(model::to_string(st_.at)) + " (not a reply: no transition)";
        if (!pending_.empty()) {
            const pending p = std::move(pending_.front());
            pending_.pop_front();
            if (p.slot != no_slot && out_.lines[p.slot].state.empty()) {
                out_.lines[p.slot].state = model::to_string(st_.at);
            }
        }
        reply_malformed_ = false;
    } else if (pending_.empty()) {
        unsolicited_reply(code, line);
    } else {
        const pending p = std::move(pending_.front());
        pending_.pop_front();
        judge_reply(p, code, line);
    }
    reply_slots_.clear();
    reply_keywords_.clear();
    mixed_codes_flagged_ = false;
    release_held();
}

void linter::unsolicited_reply(int code, std::size_t line)
{
    annotated_line& a = out_.lines[reply_slots_.back()];
    a.state = model::to_string(st_.at);
    if (code == 421) {
        st_.at = model::phase::closed;
        a.state += " -> closed";
        return;
    }
    if (st_.at == model::phase::handshake) {
        // spec: rfc3207/4 implementation (nothing but the handshake follows the 220)
        flag(make_finding(spec::ref{"rfc3207/4"}, side::server, line,
                          "a reply after the 220 to STARTTLS and before the TLS handshake "
                          "(response injection)",
                          "B09"));
        return;
    }
    if (st_.at == model::phase::data) {
        if (!smuggling_flagged_) {
            smuggling_flagged_ = true;
            // spec: 4.1.1.4 R-4.1.1.4-4 implementation
            flag(make_finding(spec::ref{"4.1.1.4", {"R-4.1.1.4-4", "R-4.1.1.4-5", "R-2.3.8-1"}},
                              side::server, line,
                              "the server replied before the end of the mail data: it took "
                              "something other than <CRLF>.<CRLF> for the end",
                              smuggling_fault_.empty() ? "B01" : smuggling_fault_));
        }
        return;
    }
    if (dropped_before_tls_ > 0) {
        flag(make_finding(spec::ref{"rfc3207/4.2"}, side::server, line,
                          "the server answered a command the client sent in clear before the "
                          "TLS handshake",
                          "B07"));
        return;
    }
    // spec: 4.2 R-4.2-1 implementation
    flag(make_finding(spec::ref{"4.2", {"R-4.2-1"}}, side::server, line,
                      "a reply with no command to answer"));
}

void linter::judge_reply(const pending& p, int code, std::size_t line)
{
    const model::state before = st_;
    const model::outcome o = model::step(profile_, st_, p.in);
    annotated_line& last = out_.lines[reply_slots_.back()];
    check_sequence(p, o);
    if (p.slot != no_slot && out_.lines[p.slot].state.empty()) {
        out_.lines[p.slot].state = model::to_string(before.at);
    }
    if (const model::transition* t = o.find(code)) {
        st_ = t->next;
        last.why = describe(t->why);
    } else if (o.permitted.size() == 1 && o.permitted.front().code == 0) {
        const model::transition& t = o.permitted.front();
        finding f = make_finding(t.why, side::server, line,
                                 "the server answered a line it must not answer in phase " +
                                     std::string(model::to_string(before.at)));
        if (before.at == model::phase::handshake) {
            f.fault = "B07";
        }
        flag(std::move(f));
    } else {
        std::string permitted;
        for (const model::transition& t : o.permitted) {
            permitted += (permitted.empty() ? "" : ", ") + std::to_string(t.code);
        }
        const model::transition& first = o.permitted.front();
        const std::string message = "reply " + std::to_string(code) +
                                    " is not among those the model permits here (" + permitted +
                                    ")";
        if (std::holds_alternative<model::bad_line_event>(p.in) && code / 100 == 2) {
            // A server that takes what the grammar refuses is lenient, not wrong.
            finding f = make_finding(spec::ref{"4.3.2", {"R-4.3.1-3"}}, side::server, line,
                                     "lenient: the server accepted a line the grammar refuses");
            f.severity = level::note;
            flag(std::move(f));
        } else if (!first.why.requirements().empty() && first.code / 100 != code / 100) {
            flag(make_finding(first.why, side::server, line, message));
        } else {
            // spec: 4.3.2 R-4.3.1-3 implementation
            flag(make_finding(spec::ref{"4.3.2", {"R-4.3.1-3"}}, side::server, line, message));
        }
        const auto same_kind = std::ranges::find_if(
            o.permitted, [&](const model::transition& t) { return t.code / 100 == code / 100; });
        if (same_kind != o.permitted.end()) {
            st_ = same_kind->next;
        }
    }
    if (is_connection_end(code)) {
        st_.at = model::phase::closed;
    }
    last.state = std::string(model::to_string(before.at)) + " -> " + model::to_string(st_.at);
    if (p.what == kind::ehlo && code == 250) {
        keywords_ = reply_keywords_;
    } else if (p.what == kind::helo && code == 250) {
        keywords_.clear();
    } else if (p.what == kind::data && st_.at == model::phase::data) {
        reading_data_ = true;
        eight_bit_flagged_ = false;
        smuggling_fault_.clear();
        smuggling_flagged_ = false;
    }
    if (p.what == kind::greeting || st_.at == model::phase::ready) {
        flagged_group_ = no_slot;
    }
}

void linter::check_sequence(const pending& p, const model::outcome& o)
{
    const model::transition& first = o.permitted.front();
    // After a refused command in a pipelined group a 503 is no fault of the client.
    if (first.code != 503 || p.slot == no_slot || p.grouped || st_.refused) {
        return;
    }
    // The model's first choice is "bad sequence": the client sent the command
    // out of order. Cite the client's own requirement where the model's ref
    // names one, else the sequence rule of 3.3.
    const std::size_t at = out_.lines[p.slot].line;
    const std::string message = out_.lines[p.slot].rule + " out of sequence in phase " +
                                model::to_string(st_.at) + ": the server is to answer 503";
    const auto reqs = first.why.requirements();
    const spec::requirement_entry* r =
        reqs.empty() ? nullptr : spec::find_requirement(reqs.front().str());
    if (r != nullptr && r->actor == "client") {
        flag(make_finding(first.why, side::client, at, message));
    } else if (std::holds_alternative<grammar::command>(p.in)) {
        // spec: 3.3 R-3.3-17 implementation
        flag(make_finding(spec::ref{"3.3", {"R-3.3-17"}}, side::client, at, message));
    } else {
        flag(make_finding(first.why, side::client, at, message));
    }
}

void linter::tls(std::size_t line)
{
    if (st_.at != model::phase::handshake) {
        flag(make_finding(spec::ref{"rfc3207/4"}, side::client, line,
                          "TLS starts without a 220 reply to STARTTLS"));
    }
    const model::outcome o = model::step(profile_, st_, model::tls_established_event{});
    st_ = o.permitted.front().next;
    st_.tls = true;
    if (st_.at != model::phase::greeted) {
        st_ = model::state{model::phase::greeted, false, false, 0, true};
    }
    keywords_.clear();
    const std::size_t slot = add_line(side::client, {}, line);
    out_.lines[slot].rule = "TLS handshake";
    out_.lines[slot].state = "handshake -> greeted";
    out_.lines[slot].why = "rfc3207/4.2";
}

void linter::server_closed(std::size_t line)
{
    const std::size_t slot = add_line(side::server, {}, line);
    annotated_line& a = out_.lines[slot];
    a.rule = "connection closed";
    a.state = std::string(model::to_string(st_.at)) + " -> closed";
    if (st_.at != model::phase::closed) {
        // spec: 3.8 R-3.8-1 implementation
        flag(make_finding(spec::ref{"3.8", {"R-3.8-1"}}, side::server, line,
                          "the server closed the connection without a 221 or 421 reply"));
    }
    st_.at = model::phase::closed;
    pending_.clear();
    held_.clear();
}

void linter::finish(std::size_t line)
{
    if (!client_buffer_.empty() && chunk_left_ == 0) {
        // spec: 2.3.8 R-2.3.8-4 implementation
        flag(make_finding(spec::ref{"2.3.8", {"R-2.3.8-4"}}, side::client, line,
                          "the client's last line has no CRLF"));
    }
    if (!server_buffer_.empty() || !reply_slots_.empty()) {
        flag(make_finding(spec::ref{"4.2.1"}, side::server, line,
                          "the server's last reply is incomplete"));
    }
    const bool closed_by_server = st_.at == model::phase::closed && !quit_sent_;
    if (sent_anything_ && !quit_sent_ && !closed_by_server) {
        // spec: 4.1.4 R-4.1.4-18 implementation
        flag(make_finding(spec::ref{"4.1.4", {"R-4.1.4-18", "R-4.1.1.10-3"}}, side::client, line,
                          "the session ends without QUIT"));
    }
    for (const pending& p : pending_) {
        if (p.slot != no_slot && out_.lines[p.slot].state.empty()) {
            out_.lines[p.slot].state = "no reply";
        }
    }
    pending_.clear();
    held_.clear();
    client_buffer_.clear();
    server_buffer_.clear();
    reply_slots_.clear();
    reply_malformed_ = false;
    keywords_.clear();
    chunk_left_ = 0;
    chunk_.clear();
    reading_data_ = false;
    quit_sent_ = false;
    sent_anything_ = false;
    warned_greeting_ = false;
    dropped_before_tls_ = 0;
    st_ = model::state{};
}

}  // namespace smtpspec::lint::internal
