// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The message side of the reference client: how the data is prepared for
// DATA or BDAT, what the client checks before MAIL, and the parameters of
// MAIL and RCPT. The session's state machine is in client_session.cpp.

#include "reference/client_session.hpp"

#include "grammar/extension.hpp"
#include "grammar/limits.hpp"
#include "grammar/print.hpp"

#include <algorithm>

namespace smtpspec::reference
{

namespace
{
using spec::ref;

bool has_8bit(std::string_view s)
{
    return std::ranges::any_of(s, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

/// The address of a path with octets over 127 (RFC 6531 needs SMTPUTF8).
bool utf8_path(const std::optional<grammar::path>& p)
{
    return p && (has_8bit(p->box.local_part) || has_8bit(p->box.domain));
}

/// Line endings to CRLF; the stuffing dot of 4.5.2 when @p stuff is set.
std::string normalise(std::string_view message, bool stuff, std::size_t& longest_line)
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
        if (stuff && line_start && c == '.') {
            out += '.';  // 4.5.2: transparency.
        }
        line_start = false;
        out += c;
        ++line_length;
    }
    if (!line_start) {
        end_line();  // 4.1.1.4 R-4.1.1.4-3: the last line gets its CRLF.
    }
    return out;
}
}  // namespace

std::string prepare_data(std::string_view message, std::size_t& longest_line)
{
    return normalise(message, true, longest_line) + ".\r\n";
}

std::string prepare_chunked_data(std::string_view message, std::size_t& longest_line)
{
    return normalise(message, false, longest_line);
}

bool client_session::check_message()
{
    chunked_ = config_.use_bdat && server_chunking_;
    if (config_.use_bdat && !server_chunking_) {
        trace_.push_back({config_.session_id, trace_source::note,
                          "BDAT asked for, but the server does not offer CHUNKING: DATA is used",
                          ref{"rfc3030/2"}});
    }
    std::size_t longest = 0;
    std::string plain = prepare_chunked_data(job_.message, longest);
    if (longest > grammar::limits::text_line_octets) {
        refuse("a line of the message has " + std::to_string(longest) +
                   " octets with CRLF; RFC 5321 4.5.3.1.6 guarantees only 1000, and this "
                   "client does not re-encode messages",
               "5.6.0", ref{"4.5.3.1.6"});
        return false;
    }
    message_size_ = plain.size();
    if (server_size_ && server_size_limit_ > 0 && message_size_ > server_size_limit_) {
        refuse("the message is " + std::to_string(message_size_) +
                   " octets and the server declares SIZE " + std::to_string(server_size_limit_) +
                   ": RFC 1870 6.1 says not to send a message the server has said it will "
                   "not accept",
               "5.3.4", ref{"rfc1870/6.1"});
        return false;
    }
    if (has_8bit(plain) && !server_8bitmime_) {
        refuse("the message has 8-bit octets and the server does not offer 8BITMIME (RFC 6152; "
               "this client does not downgrade to 7 bits)",
               "5.6.3", ref{"2.4", {"R-2.4-5"}});
        return false;
    }
    bool utf8 = utf8_path(job_.from.value);
    for (const auto& to : job_.to) {
        utf8 = utf8 || utf8_path(to.value);
    }
    if (utf8 && !server_smtputf8_) {
        refuse("an envelope address has UTF-8 and the server does not offer SMTPUTF8 (RFC 6531 "
               "3.2; addresses are never downgraded): a permanent failure",
               "5.6.7", ref{"2.4", {"R-2.4-5"}});
        return false;
    }
    const auto& d = config_.dsn;
    if (!server_dsn_ && (!d.notify.empty() || !d.ret.empty() || !d.envid.empty() || d.orcpt)) {
        trace_.push_back({config_.session_id, trace_source::note,
                          "DSN parameters asked for, but the server does not offer DSN: they "
                          "are left out",
                          ref{"rfc3461/4.1"}});
    }
    data_ = chunked_ ? std::move(plain) : prepare_data(job_.message, longest);
    return true;
}

std::string client_session::mail_line() const
{
    std::string line = "MAIL FROM:" + grammar::to_string(job_.from);
    if (server_size_) {
        // RFC 1870 4: octets with CRLF, without stuffing dots and the final ".".
        line += " SIZE=" + std::to_string(message_size_);
    }
    if (has_8bit(data_)) {
        line += " BODY=8BITMIME";
    }
    bool utf8 = utf8_path(job_.from.value);
    for (const auto& to : job_.to) {
        utf8 = utf8 || utf8_path(to.value);
    }
    if (utf8) {
        line += " SMTPUTF8";
    }
    if (server_dsn_ && !config_.dsn.ret.empty()) {
        line += " RET=" + config_.dsn.ret;
    }
    if (server_dsn_ && !config_.dsn.envid.empty()) {
        line += " ENVID=" + grammar::encode_xtext(config_.dsn.envid);
    }
    return line;
}

std::string client_session::rcpt_line(const grammar::forward_path& to) const
{
    std::string line = "RCPT TO:" + grammar::to_string(to);
    if (server_dsn_ && !config_.dsn.notify.empty()) {
        line += " NOTIFY=" + config_.dsn.notify;
    }
    // RFC 3461 4.2 rfc822 addresses are ASCII; a UTF-8 address would need the
    // utf-8 address type of RFC 6533, which this client does not send.
    if (server_dsn_ && config_.dsn.orcpt && to.value && !utf8_path(to.value)) {
        line += " ORCPT=rfc822;" + grammar::encode_xtext(to.value->box.str());
    }
    return line;
}

void client_session::send_chunk()
{
    const std::size_t left = data_.size() - chunk_offset_;
    const std::size_t n = std::min(left, std::max<std::size_t>(config_.bdat_chunk_octets, 1));
    const bool last = n == left;
    send("BDAT " + std::to_string(n) + (last ? " LAST" : ""), ref{"rfc3030/2"});
    trace_.push_back(
        {config_.session_id, trace_source::note,
         "chunk of " + std::to_string(n) + " octets sent as they are: no dot-stuffing under BDAT",
         ref{"rfc3030/2"}});
    output_.append(data_, chunk_offset_, n);
    chunk_offset_ += n;
}

void client_session::on_chunk_reply(const grammar::reply& r)
{
    const bool last = chunk_offset_ == data_.size();
    if (r.kind() != 2 && !last) {
        // RFC 3030 2: after a refused chunk the transaction has failed; no
        // further chunk is sent.
        fail(r, "a BDAT chunk was refused");
        return;
    }
    if (!last) {
        send_chunk();
        return;
    }
    // The reply to BDAT LAST is the reply to the whole message.
    stage_ = stage::body;
    on_reply(r);
}

}  // namespace smtpspec::reference
