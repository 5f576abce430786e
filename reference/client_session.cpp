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

client_session::client_session(client_config config, client_job job)
    : config_(std::move(config))
    , job_(std::move(job))
{
    for (const auto& to : job_.to) {
        result_.recipients.push_back({to, 0, {}});
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
        if (const auto cut = unfinished_reply(); !cut.empty()) {
            result_.error += " inside a reply, after " + reference::unfinished_reply(cut);
        }
    }
    stage_ = stage::done;
}

void client_session::feed(std::string_view bytes)
{
    if (stage_ == stage::tls) {
        discard_before_handshake(bytes.size() + std::exchange(input_, {}).size());
        return;
    }
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
            reply_octets_.clear();
            on_reply(grammar::reply{rl.code, std::exchange(pending_lines_, {})});
        } else {
            reply_octets_ += line;
        }
        if (stage_ == stage::tls && !input_.empty()) {
            discard_before_handshake(std::exchange(input_, {}).size());
        }
    }
}

void client_session::discard_before_handshake(std::size_t octets)
{
    if (octets == 0) {
        return;
    }
    // RFC 3207 4.2: octets that arrive after the 220 and before the
    // handshake are not the server's (known fault B09); they are dropped,
    // never read as replies.
    trace_.push_back({config_.session_id, trace_source::note,
                      "dropped " + std::to_string(octets)
                          + " octets received after the 220 to STARTTLS and before the TLS "
                            "handshake (response injection, known fault B09)",
                      ref{"rfc3207/4.2"}});
}

void client_session::tls_established(std::string description)
{
    if (stage_ != stage::tls) {
        return;
    }
    tls_active_ = true;
    result_.tls = std::move(description);
    // RFC 3207 4.2: forget what the first EHLO said and ask again.
    server_8bitmime_ = server_size_ = server_pipelining_ = server_starttls_ = false;
    server_chunking_ = server_dsn_ = server_smtputf8_ = false;
    server_size_limit_ = 0;
    pending_lines_.clear();
    trace_.push_back({config_.session_id, trace_source::note,
                      "TLS established (" + result_.tls
                          + "); the capabilities from before are discarded",
                      ref{"rfc3207/4.2"}});
    send("EHLO " + config_.helo_name, ref{"rfc3207/4.2"});
    stage_ = stage::ehlo;
}

void client_session::tls_failed(std::string why)
{
    if (stage_ != stage::tls) {
        return;
    }
    result_.error = "the TLS handshake failed: " + why;
    result_.tls_handshake_failed = true;
    trace_.push_back({config_.session_id, trace_source::note, result_.error,
                      ref{"rfc3207/4"}});
    stage_ = stage::done;
}

ref client_session::reply_ref() const
{
    // Every reply is judged by its first digit (4.2 R-4.2-8); the section is
    // the one that defines what the reply answers.
    switch (stage_) {
    case stage::greeting: return {"3.1", {"R-4.2-8"}};
    case stage::ehlo: return {"4.1.1.1", {"R-4.2-8", "R-4.1.1.1-7"}};
    case stage::helo: return {"4.1.1.1", {"R-4.2-8"}};
    case stage::starttls:
    case stage::tls: return {"rfc3207/4"};
    case stage::mail: return {"4.1.1.2", {"R-4.2-8", "R-3.3-1"}};
    case stage::rcpt: return {"4.1.1.3", {"R-4.2-8", "R-4.2-10"}};
    case stage::data: return {"3.3", {"R-4.2-8", "R-3.3-13"}};
    case stage::pipelined:
        if (pipelined_replies_ == 0) {
            return {"4.1.1.2", {"R-4.2-8", "R-3.3-1"}};
        }
        if (pipelined_replies_ <= job_.to.size()) {
            return {"4.1.1.3", {"R-4.2-8", "R-4.2-10"}};
        }
        return {"3.3", {"R-4.2-8", "R-3.3-13"}};
    case stage::body: return {"4.1.1.4", {"R-4.2-8", "R-4.1.1.4-6"}};
    case stage::bdat: return {"rfc3030/2"};
    case stage::quit:
    case stage::done: break;
    }
    return {"4.1.1.10", {"R-4.2-8", "R-4.1.1.10-4"}};
}

void client_session::fail(const grammar::reply& r, std::string why)
{
    result_.final_code = r.code;
    result_.final_text = join(r.lines);
    result_.final_lines = r.lines;
    result_.error = std::move(why) + ": " + std::to_string(r.code) + " " + result_.final_text;
    quit();
}

void client_session::quit()
{
    // 4.1.1.10 R-4.1.1.10-3: the client ends the session with QUIT.
    send("QUIT", ref{"4.1.1.10", {"R-4.1.1.10-3", "R-4.1.4-18"}});
    stage_ = stage::quit;
}

void client_session::refuse(std::string why, std::string status, const ref& why_ref)
{
    result_.error = std::move(why);
    result_.refused_locally = true;
    result_.refused_status = std::move(status);
    trace_.push_back({config_.session_id, trace_source::note, "not sent: " + result_.error,
                      why_ref});
    quit();
}

void client_session::send_mail()
{
    if (!check_message()) {
        return;
    }
    std::string line = mail_line();
    if (server_pipelining_ && config_.use_pipelining) {
        pending_mail_ = std::move(line);
        if (send_pipelined_group()) {
            return;
        }
        line = std::exchange(pending_mail_, {});
    }
    send(std::move(line), ref{"4.1.1.2", {"R-4.1.1.1-6"}});
    stage_ = stage::mail;
}

bool client_session::send_pipelined_group()
{
    // RFC 2920 3.1: without non-blocking I/O the whole group must fit the
    // peer's TCP window, usually about 4 KiB; a larger group is not pipelined.
    constexpr std::size_t window_octets = 4000;
    std::size_t octets = pending_mail_.size() + 2 + (chunked_ ? 0 : 6);
    for (const auto& to : job_.to) {
        octets += rcpt_line(to).size() + 2;
    }
    if (octets > window_octets) {
        trace_.push_back({config_.session_id, trace_source::note,
                          "PIPELINING offered, but MAIL, RCPT and DATA take "
                              + std::to_string(octets)
                              + " octets, more than one TCP window: one command at a time",
                          ref{"2.2.1"}});
        return false;
    }
    trace_.push_back({config_.session_id, trace_source::note,
                      "PIPELINING (RFC 2920 3.1): MAIL, " + std::to_string(job_.to.size())
                          + (chunked_ ? " RCPT as one group; BDAT waits for their replies"
                                      : " RCPT and DATA as one group, DATA last; the data "
                                        "waits for 354"),
                      ref{"2.2.1", {"R-2.2.1-1", "R-3.3-13"}}});
    send(std::exchange(pending_mail_, {}), ref{"4.1.1.2", {"R-4.1.1.1-6"}});
    for (const auto& to : job_.to) {
        send(rcpt_line(to), ref{"4.1.1.3"});
    }
    if (!chunked_) {
        send("DATA", ref{"4.1.1.4", {"R-3.3-17"}});
    }
    pipelined_replies_ = 0;
    stage_ = stage::pipelined;
    return true;
}

void client_session::on_pipelined_reply(const grammar::reply& r)
{
    // RFC 2920 3.1: replies are matched to commands by counting them, never
    // by their codes or texts; every one of them is checked.
    const std::size_t n = pipelined_replies_++;
    if (n == 0) {
        mail_accepted_ = r.kind() == 2;
        if (!mail_accepted_) {
            result_.final_code = r.code;
            result_.final_text = join(r.lines);
            result_.final_lines = r.lines;
        }
        return;
    }
    if (n <= job_.to.size()) {
        // After a refused MAIL the RCPT replies say nothing about the recipient.
        if (mail_accepted_) {
            result_.recipients[n - 1].code = r.code;
            result_.recipients[n - 1].text = r.lines;
        }
        if (!chunked_ || n < job_.to.size()) {
            return;
        }
        if (!mail_accepted_) {
            fail(grammar::reply{result_.final_code, result_.final_lines},
                 "the sender was refused");
            return;
        }
        // RFC 3030 2: BDAT needs no DATA; the chunks follow the RCPT replies.
        send_next_rcpt_or_data();
        return;
    }
    const bool any = std::ranges::any_of(result_.recipients,
                                         [](const auto& rr) { return rr.code / 100 == 2; });
    if (r.kind() == 3 && (!mail_accepted_ || !any)) {
        // RFC 2920 3.1: DATA was accepted although nothing can be sent; end
        // the empty data at once with a lone dot, and do not count it.
        trace_.push_back({config_.session_id, trace_source::client, ".",
                          ref{"4.1.1.4", {"R-3.3-11"}}});
        output_ += ".\r\n";
        stage_ = stage::body;
        abandoned_data_ = true;
        return;
    }
    if (!mail_accepted_) {
        result_.error = "the sender was refused: " + std::to_string(result_.final_code) + " "
            + result_.final_text;
        quit();
        return;
    }
    if (!any) {
        result_.error = "no recipient was accepted";
        quit();
        return;
    }
    on_data_reply(r);
}

void client_session::send_next_rcpt_or_data()
{
    if (next_rcpt_ < job_.to.size() && stage_ != stage::pipelined) {
        send(rcpt_line(job_.to[next_rcpt_]), ref{"4.1.1.3"});
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
    if (chunked_) {
        chunk_offset_ = 0;
        stage_ = stage::bdat;
        send_chunk();
        return;
    }
    send("DATA", ref{"4.1.1.4"});
    stage_ = stage::data;
}

void client_session::on_data_reply(const grammar::reply& r)
{
    if (r.kind() != 3) {
        // 3.3 R-3.3-13: no data without a 354.
        fail(r, "DATA was refused");
        return;
    }
    const auto lines = static_cast<std::size_t>(std::ranges::count(data_, '\n'));
    trace_.push_back({config_.session_id, trace_source::note,
                      "mail data: " + std::to_string(data_.size() - 3) + " octets, "
                          + std::to_string(lines - 1) + " lines, dot-stuffed",
                      ref{"4.5.2"}});
    trace_.push_back({config_.session_id, trace_source::client, ".",
                      ref{"4.1.1.4", {"R-4.1.1.4-3"}}});
    output_ += data_;
    stage_ = stage::body;
}

void client_session::on_ehlo(const grammar::reply& r)
{
    const int kind = r.kind();
    if (kind == 5 && !tls_active_) {
        // 4.1.1.1: a server without extensions refuses EHLO; fall back.
        send("HELO " + config_.helo_name, ref{"4.1.1.1", {"R-4.1.1.1-4"}});
        stage_ = stage::helo;
        return;
    }
    if (kind != 2) {
        fail(r, "EHLO failed");
        return;
    }
    for (std::size_t i = 1; i < r.lines.size(); ++i) {
        const std::string& line = r.lines[i];
        std::string upper = line.substr(0, line.find(' '));
        std::ranges::transform(upper, upper.begin(), [](char c) {
            return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
        });
        // 4.1.1.1 R-4.1.1.1-7: keywords compare without case.
        server_8bitmime_ = server_8bitmime_ || upper == "8BITMIME";
        server_pipelining_ = server_pipelining_ || upper == "PIPELINING";
        server_starttls_ = server_starttls_ || upper == "STARTTLS";
        server_chunking_ = server_chunking_ || upper == "CHUNKING";
        server_dsn_ = server_dsn_ || upper == "DSN";
        server_smtputf8_ = server_smtputf8_ || upper == "SMTPUTF8";
        if (upper == "SIZE") {
            server_size_ = true;
            // RFC 1870 4: "SIZE" alone or "SIZE 0" declares no fixed limit.
            const auto space = line.find(' ');
            server_size_limit_ = 0;
            if (space != std::string::npos) {
                try {
                    server_size_limit_ = std::stoull(line.substr(space + 1));
                } catch (const std::exception&) {
                    server_size_limit_ = 0;
                }
            }
        }
    }
    after_hello();
}

void client_session::after_hello()
{
    if (!tls_active_ && config_.tls != tls_policy::none) {
        if (server_starttls_) {
            send("STARTTLS", ref{"rfc3207/4"});
            stage_ = stage::starttls;
            return;
        }
        if (config_.tls == tls_policy::required) {
            // Known fault B10: a missing STARTTLS may be a downgrade attack.
            result_.error = "the server does not offer STARTTLS and TLS is required: no mail "
                            "in plain text (RFC 3207 4, known fault B10)";
            trace_.push_back({config_.session_id, trace_source::note, result_.error,
                              ref{"rfc3207/4"}});
            quit();
            return;
        }
    }
    send_mail();
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
        on_ehlo(r);
        return;
    case stage::helo:
        if (kind != 2) {
            fail(r, "HELO failed");
            return;
        }
        after_hello();
        return;
    case stage::starttls:
        if (kind == 2) {
            // RFC 3207 4: the handshake starts now; nothing more is read in clear.
            stage_ = stage::tls;
            return;
        }
        if (config_.tls == tls_policy::required) {
            fail(r, "STARTTLS was refused and TLS is required: no mail in plain text "
                    "(RFC 3207 4, known fault B10)");
            return;
        }
        trace_.push_back({config_.session_id, trace_source::note,
                          "STARTTLS refused; opportunistic TLS carries on in plain text",
                          ref{"rfc3207/4"}});
        send_mail();
        return;
    case stage::tls:
        return;
    case stage::mail:
        if (kind != 2) {
            fail(r, "the sender was refused");
            return;
        }
        send_next_rcpt_or_data();
        return;
    case stage::rcpt:
        result_.recipients[next_rcpt_].text = r.lines;
        result_.recipients[next_rcpt_++].code = r.code;
        send_next_rcpt_or_data();
        return;
    case stage::data:
        on_data_reply(r);
        return;
    case stage::pipelined:
        on_pipelined_reply(r);
        return;
    case stage::body:
        if (abandoned_data_) {
            // The reply to the lone dot after an unwanted 354: nothing was sent.
            abandoned_data_ = false;
            result_.error = mail_accepted_ ? "no recipient was accepted"
                                           : "the sender was refused: "
                    + std::to_string(result_.final_code) + " " + result_.final_text;
            quit();
            return;
        }
        result_.final_code = r.code;
        result_.final_text = join(r.lines);
        result_.final_lines = r.lines;
        if (kind == 2) {
            result_.delivered = true;
            quit();
            return;
        }
        fail(r, "the message was refused");
        return;
    case stage::bdat:
        on_chunk_reply(r);
        return;
    case stage::quit:
        stage_ = stage::done;
        return;
    case stage::done:
        return;
    }
}

}  // namespace smtpspec::reference
