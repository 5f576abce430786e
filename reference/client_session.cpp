// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/client_session.hpp"

#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"

#include <algorithm>
#include <utility>

namespace smtpspec::reference
{

namespace
{
using spec::ref;


bool has_8bit(std::string_view s)
{
    return std::ranges::any_of(s, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string join(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) {
            out += " / ";
        }
        out += l;
    }
    return out;
}

/// Reads a reply line that breaks the Reply-line ABNF but starts with three
/// digits, as 4.2 asks clients to act on the first digit (known fault B37).
bool lenient_reply_line(std::string_view line, grammar::reply_line& out)
{
    if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3,
                                        [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    out.last = !(line.size() > 3 && line[3] == '-');
    out.text = line.size() > 4 ? std::string{line.substr(4)} : std::string{};
    return true;
}
}  // namespace

std::string prepare_data(std::string_view message, std::size_t& longest_line)
{
    std::string out;
    out.reserve(message.size() + message.size() / 32 + 8);
    longest_line = 0;
    std::size_t line_length = 0;
    bool line_start = true;
    const auto end_line = [&] {
        out += "\r\n";
        longest_line = std::max(longest_line, line_length + 2);
        line_length = 0;
        line_start = true;
    };
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c == '\r' || c == '\n') {
            // CRLF, a lone LF or a lone CR: each is one line ending (2.3.8).
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') {
                ++i;
            }
            end_line();
            continue;
        }
        if (line_start && c == '.') {
            out += '.';  // 4.5.2: transparency.
        }
        line_start = false;
        out += c;
        ++line_length;
    }
    if (!line_start) {
        end_line();  // 4.1.1.4 R-4.1.1.4-3: the last line gets its CRLF.
    }
    out += ".\r\n";
    return out;
}

client_session::client_session(client_config config, client_job job)
    : config_(std::move(config))
    , job_(std::move(job))
{
    for (const auto& to : job_.to) {
        result_.recipients.push_back({to, 0});
    }
}

std::string client_session::take_output() { return std::exchange(output_, {}); }

std::vector<trace_event> client_session::take_trace() { return std::exchange(trace_, {}); }

void client_session::send(std::string line, const ref& why)
{
    trace_.push_back({config_.session_id, trace_source::client, line, why});
    output_ += line;
    output_ += "\r\n";
}

void client_session::peer_closed()
{
    if (stage_ != stage::done && stage_ != stage::quit && result_.error.empty()
        && !result_.delivered) {
        result_.error = "the server closed the connection";
    }
    stage_ = stage::done;
}

void client_session::feed(std::string_view bytes)
{
    input_.append(bytes);
    std::size_t end = 0;
    while (stage_ != stage::done && (end = input_.find("\r\n")) != std::string::npos) {
        const std::string line = input_.substr(0, end + 2);
        input_.erase(0, end + 2);
        const std::string text = line.substr(0, line.size() - 2);
        auto parsed = grammar::parse_reply_line(line);
        grammar::reply_line rl;
        const auto* ok = std::get_if<grammar::reply_line>(&parsed);
        const bool readable = ok != nullptr || lenient_reply_line(text, rl);
        if (ok != nullptr) {
            rl = *ok;
        }
        // The last line of a reply carries how the client reads it.
        trace_.push_back({config_.session_id, trace_source::server, text,
                          readable && rl.last ? std::optional<ref>{reply_ref()} : std::nullopt});
        if (!readable) {
            result_.error = "the server sent a line that is not a reply: " + printable(text);
            trace_.push_back({config_.session_id, trace_source::note, result_.error,
                              ref{"4.2"}});
            stage_ = stage::done;
            return;
        }
        if (ok == nullptr) {
            trace_.push_back({config_.session_id, trace_source::note,
                              "server deviation: not a valid Reply-line; acting on its first "
                              "digit", ref{"4.2", {"R-4.2-10", "R-4.2-12"}}});
        }
        if (!pending_lines_.empty() && rl.code != pending_code_) {
            // 4.2.1 R-4.2.1-5: all lines of a reply share one code. The
            // reply ends at the line without "-" all the same (known fault B36).
            trace_.push_back({config_.session_id, trace_source::note,
                              "server deviation: reply lines with different codes",
                              ref{"4.2.1", {"R-4.2.1-5"}}});
        }
        pending_code_ = rl.code;
        pending_lines_.push_back(rl.text);
        if (rl.last) {
            on_reply(grammar::reply{rl.code, std::exchange(pending_lines_, {})});
        }
    }
}

ref client_session::reply_ref() const
{
    // Every reply is judged by its first digit (4.2 R-4.2-8); the section is
    // the one that defines what the reply answers.
    switch (stage_) {
    case stage::greeting: return {"3.1", {"R-4.2-8"}};
    case stage::ehlo: return {"4.1.1.1", {"R-4.2-8", "R-4.1.1.1-7"}};
    case stage::helo: return {"4.1.1.1", {"R-4.2-8"}};
    case stage::mail: return {"4.1.1.2", {"R-4.2-8", "R-3.3-1"}};
    case stage::rcpt: return {"4.1.1.3", {"R-4.2-8", "R-4.2-10"}};
    case stage::data: return {"3.3", {"R-4.2-8", "R-3.3-13"}};
    case stage::body: return {"4.1.1.4", {"R-4.2-8", "R-4.1.1.4-6"}};
    case stage::quit:
    case stage::done: break;
    }
    return {"4.1.1.10", {"R-4.2-8", "R-4.1.1.10-4"}};
}

void client_session::fail(const grammar::reply& r, std::string why)
{
    result_.final_code = r.code;
    result_.final_text = join(r.lines);
    result_.error = std::move(why) + ": " + std::to_string(r.code) + " " + result_.final_text;
    quit();
}

void client_session::quit()
{
    // 4.1.1.10 R-4.1.1.10-3: the client ends the session with QUIT.
    send("QUIT", ref{"4.1.1.10", {"R-4.1.1.10-3", "R-4.1.4-18"}});
    stage_ = stage::quit;
}

void client_session::send_mail()
{
    std::size_t longest = 0;
    data_ = prepare_data(job_.message, longest);
    if (longest > grammar::limits::text_line_octets) {
        result_.error = "a line of the message has " + std::to_string(longest)
            + " octets with CRLF; RFC 5321 4.5.3.1.6 guarantees only 1000, and this client "
              "does not re-encode messages";
        quit();
        return;
    }
    std::string line = "MAIL FROM:" + grammar::to_string(job_.from);
    if (server_size_) {
        // RFC 1870: the size of the message as sent, without the final ".\r\n".
        line += " SIZE=" + std::to_string(data_.size() - 3);
    }
    if (has_8bit(job_.message)) {
        if (!server_8bitmime_) {
            result_.error = "the message has 8-bit octets and the server does not offer 8BITMIME "
                            "(RFC 6152)";
            quit();
            return;
        }
        line += " BODY=8BITMIME";
    }
    send(std::move(line), ref{"4.1.1.2", {"R-4.1.1.1-6"}});
    stage_ = stage::mail;
}

void client_session::send_next_rcpt_or_data()
{
    if (next_rcpt_ < job_.to.size()) {
        send("RCPT TO:" + grammar::to_string(job_.to[next_rcpt_]), ref{"4.1.1.3"});
        stage_ = stage::rcpt;
        return;
    }
    const bool any = std::ranges::any_of(result_.recipients,
                                         [](const auto& r) { return r.code / 100 == 2; });
    if (!any) {
        result_.error = "no recipient was accepted";
        quit();
        return;
    }
    send("DATA", ref{"4.1.1.4"});
    stage_ = stage::data;
}

void client_session::on_reply(const grammar::reply& r)
{
    const int kind = r.kind();
    switch (stage_) {
    case stage::greeting:
        if (kind != 2) {
            fail(r, "the server refused the session");
            return;
        }
        // 4.1.1.1 R-4.1.1.1-3: start with EHLO.
        send("EHLO " + config_.helo_name, ref{"4.1.1.1", {"R-4.1.1.1-3"}});
        stage_ = stage::ehlo;
        return;
    case stage::ehlo:
        if (kind == 2) {
            for (std::size_t i = 1; i < r.lines.size(); ++i) {
                const std::string& kw = r.lines[i];
                const auto word = kw.substr(0, kw.find(' '));
                std::string upper = word;
                std::ranges::transform(upper, upper.begin(), [](char c) {
                    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
                });
                // 4.1.1.1 R-4.1.1.1-7: keywords compare without case.
                server_8bitmime_ = server_8bitmime_ || upper == "8BITMIME";
                server_size_ = server_size_ || upper == "SIZE";
            }
            send_mail();
            return;
        }
        if (kind == 5) {
            // 4.1.1.1: a server without extensions refuses EHLO; fall back.
            send("HELO " + config_.helo_name, ref{"4.1.1.1", {"R-4.1.1.1-4"}});
            stage_ = stage::helo;
            return;
        }
        fail(r, "EHLO failed");
        return;
    case stage::helo:
        if (kind != 2) {
            fail(r, "HELO failed");
            return;
        }
        send_mail();
        return;
    case stage::mail:
        if (kind != 2) {
            fail(r, "the sender was refused");
            return;
        }
        send_next_rcpt_or_data();
        return;
    case stage::rcpt:
        result_.recipients[next_rcpt_++].code = r.code;
        send_next_rcpt_or_data();
        return;
    case stage::data:
        if (kind != 3) {
            // 3.3 R-3.3-13: no data without a 354.
            fail(r, "DATA was refused");
            return;
        }
        {
            const auto lines = static_cast<std::size_t>(std::ranges::count(data_, '\n'));
            trace_.push_back({config_.session_id, trace_source::note,
                              "mail data: " + std::to_string(data_.size() - 3)
                                  + " octets, " + std::to_string(lines - 1)
                                  + " lines, dot-stuffed",
                              ref{"4.5.2"}});
            trace_.push_back({config_.session_id, trace_source::client, ".",
                              ref{"4.1.1.4", {"R-4.1.1.4-3"}}});
            output_ += data_;
        }
        stage_ = stage::body;
        return;
    case stage::body:
        result_.final_code = r.code;
        result_.final_text = join(r.lines);
        if (kind == 2) {
            result_.delivered = true;
            quit();
            return;
        }
        fail(r, "the message was refused");
        return;
    case stage::quit:
        stage_ = stage::done;
        return;
    case stage::done:
        return;
    }
}

}  // namespace smtpspec::reference
