// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/session.hpp"

#include "corpus/rule_set.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "model/step.hpp"

#include <array>

namespace smtpspec::corpus
{

namespace
{
/// The false ends of mail data a server must not take for CRLF "." CRLF.
constexpr std::array<std::string_view, 6> data_traps{
    "\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\n.\r"};

/// Commands smuggled after a false end of data (known faults B01-B03).
constexpr std::string_view smuggled =
    "MAIL FROM:<smuggled@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
    "Subject: smuggled\r\n\r\nnot a message of its own\r\n";

/// Most transactions in one valid dialogue.
constexpr std::uint64_t max_transactions = 3;
/// Most recipients per transaction.
constexpr std::uint64_t max_recipients = 4;
/// Most commands in an invalid dialogue.
constexpr std::uint64_t max_invalid_commands = 12;
}  // namespace

const char* to_string(session_kind k) noexcept
{
    switch (k) {
    case session_kind::valid: return "valid";
    case session_kind::invalid: return "invalid";
    case session_kind::pipelined: return "pipelined";
    case session_kind::data_trap: return "data_trap";
    }
    return "?";
}

/// Appends inputs to a dialogue and steps the model for each.
struct session_generator::builder
{
    const model::profile& p;
    session_sample& s;
    model::state state;

    builder(const model::profile& prof, session_sample& sample) : p(prof), s(sample)
    {
        state = model::step(p, {}, model::connect_event{}).permitted.front().next;
    }

    void input(std::string_view bytes, const model::input& in, std::string_view word)
    {
        s.bytes += bytes;
        const auto out = model::step(p, state, in);
        const auto& t = out.permitted.front();
        if (t.code != 0) {
            s.expected.push_back(t.code);
        }
        state = t.next;
        if (!s.summary.empty()) {
            s.summary += ' ';
        }
        s.summary += word;
    }

    void line(const std::string& text)
    {
        auto parsed = grammar::parse_command(text, {p.tolerate_trailing_space});
        const std::size_t space = text.find_first_of(" \r");
        const std::string word = text.substr(0, space);
        if (text.size() > grammar::limits::command_line_octets) {
            input(text, model::line_too_long_event{}, "<long>");
        } else if (const auto* c = std::get_if<grammar::command>(&parsed)) {
            input(text, *c, word);
        } else {
            input(text, model::bad_line_event{std::get<grammar::syntax_error>(parsed).reply_code},
                  "<bad:" + word + ">");
        }
    }

    void end_of_data(const std::string& data, bool acceptable)
    {
        input(data, model::end_of_data_event{acceptable}, acceptable ? "<data>" : "<trap>");
    }
};

session_generator::session_generator(const model::profile& p, std::uint64_t seed)
    : profile_(p)
    , lines_(rule_set::grammar(), mix64(seed ^ 0x73657373ULL))
    , rng_(seed)
{
}

std::string session_generator::line_of(const char* rule)
{
    const auto r = rule_set::grammar().find(rule);
    lines_.reseed(rng_.next());
    return r ? lines_.generate(*r).value_or("NOOP\r\n") : std::string("NOOP\r\n");
}

std::string session_generator::mail_line()
{
    const auto r = rule_set::grammar().find("Reverse-path");
    lines_.reseed(rng_.next());
    // No parameters: which ones a server takes is up to its extensions, not the model.
    return "MAIL FROM:" + lines_.generate(*r).value_or("<>") + "\r\n";
}

std::string session_generator::rcpt_line()
{
    const auto r = rule_set::grammar().find("Forward-path");
    lines_.reseed(rng_.next());
    if (rng_.one_in(6)) {
        return rng_.one_in(2) ? "RCPT TO:<Postmaster>\r\n" : "rcpt to:<postmaster@example.org>\r\n";
    }
    return "RCPT TO:" + lines_.generate(*r).value_or("<a@example.org>") + "\r\n";
}

std::string session_generator::data_body(bool trap, std::string& summary)
{
    std::string body = "Subject: corpus\r\n\r\n";
    const std::uint64_t lines = rng_.between(0, 5);
    for (std::uint64_t i = 0; i < lines; ++i) {
        switch (rng_.below(4)) {
        case 0: body += "..a line that starts with a dot, stuffed\r\n"; break;
        case 1: body += std::string(rng_.between(1, 998), 'x') + "\r\n"; break;
        case 2: body += "\r\n"; break;
        default: body += "text\r\n"; break;
        }
    }
    if (trap) {
        const std::string_view t = data_traps[rng_.below(data_traps.size())];
        summary = "trap";
        body += "before the trap";
        body += t;
        body += smuggled;
    }
    return body + ".\r\n";
}

session_sample session_generator::next(session_kind kind)
{
    session_sample s;
    s.kind = kind;
    builder b(profile_, s);
    switch (kind) {
    case session_kind::valid:
    case session_kind::pipelined:
    case session_kind::data_trap: {
        b.line(line_of(rng_.one_in(4) ? "helo" : "ehlo"));
        const std::uint64_t transactions = kind == session_kind::valid
            ? rng_.between(1, max_transactions) : 1;
        for (std::uint64_t t = 0; t < transactions; ++t) {
            if (kind == session_kind::pipelined) {
                // One group: the replies are read only after DATA (RFC 2920 3.1).
                std::string group = mail_line();
                const std::uint64_t n = rng_.between(1, max_recipients);
                b.line(group);
                for (std::uint64_t i = 0; i < n; ++i) {
                    b.line(rcpt_line());
                }
                b.line("DATA\r\n");
            } else {
                b.line(mail_line());
                const std::uint64_t n = rng_.between(1, max_recipients);
                for (std::uint64_t i = 0; i < n; ++i) {
                    b.line(rcpt_line());
                }
                b.line("DATA\r\n");
            }
            if (b.state.at == model::phase::data) {
                std::string word;
                const bool trap = kind == session_kind::data_trap;
                b.end_of_data(data_body(trap, word), !trap);
            }
            if (rng_.one_in(3)) {
                b.line(line_of(rng_.one_in(2) ? "noop" : "rset"));
            }
        }
        b.line("QUIT\r\n");
        break;
    }
    case session_kind::invalid: {
        const std::uint64_t n = rng_.between(2, max_invalid_commands);
        for (std::uint64_t i = 0; i < n && b.state.at != model::phase::closed; ++i) {
            switch (rng_.below(8)) {
            case 0: b.line(mail_line()); break;
            case 1: b.line(rcpt_line()); break;
            case 2: b.line("DATA\r\n"); break;
            case 3:
                b.line("MAIL FROM:" + std::string(rng_.between(1, 3), ' ') + "<a@b>\r\n");
                break;
            case 4: b.line("NOOP " + std::string(600, 'x') + "\r\n"); break;
            case 5: b.line("XYZZY\r\n"); break;
            case 6: b.line("RCPT TO:<>\r\n"); break;
            default: b.line(line_of(rng_.one_in(2) ? "ehlo" : "vrfy")); break;
            }
            if (b.state.at == model::phase::data) {
                std::string word;
                b.end_of_data(data_body(false, word), true);
            }
        }
        if (b.state.at != model::phase::closed) {
            b.line("QUIT\r\n");
        }
        break;
    }
    }
    return s;
}

}  // namespace smtpspec::corpus
