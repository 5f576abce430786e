// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/dsn.hpp"

#include "grammar/extension.hpp"
#include "reference/client_session.hpp"
#include "reference/message_store.hpp"

#include <algorithm>

namespace smtpspec::reference
{

namespace
{
/// The fields of message/delivery-status are US-ASCII text: any other octet,
/// and any control character, becomes "?".
std::string ascii(std::string_view text)
{
    std::string out{text};
    std::ranges::replace_if(
        out,
        [](char c) {
            return static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126;
        },
        '?');
    return out;
}

bool has_8bit(std::string_view s)
{
    return std::ranges::any_of(s, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

/// The header section of a message with CRLF line endings, its empty line
/// excluded; the whole message when it has no empty line.
std::string_view header_section(std::string_view message)
{
    if (message.starts_with("\r\n")) {
        return {};
    }
    const auto end = message.find("\r\n\r\n");
    return end == std::string_view::npos ? message : message.substr(0, end + 2);
}

/// A boundary that occurs nowhere in the original (RFC 2046 5.1.1).
std::string boundary_for(const dsn_notice& n, std::string_view original)
{
    std::string base = "smtpspec-dsn-" + ascii(n.queue_id);
    std::ranges::replace_if(
        base, [](char c) { return c == '"' || c == '\\' || c == ' ' || c == '?'; }, '-');
    std::string b = base;
    for (unsigned i = 1; original.find(b) != std::string_view::npos; ++i) {
        b = base + "-" + std::to_string(i);
    }
    return b;
}

std::string diagnostic_text(const notice_recipient& r)
{
    if (r.reply.empty()) {
        return r.diagnostic;
    }
    std::string out;
    for (const auto& line : r.reply) {
        out += (out.empty() ? "" : " / ") + line;
    }
    return out;
}

std::string recipient_fields(const notice_recipient& r)
{
    std::string out;
    // spec: rfc3461/6.3 implementation
    if (!r.original_recipient.empty()) {
        out += "Original-Recipient: rfc822;" + ascii(r.original_recipient) + "\r\n";
    }
    out += "Final-Recipient: rfc822;" + ascii(r.final_recipient) + "\r\n";
    out += "Action: " + r.action + "\r\n";
    out += "Status: " + r.status + "\r\n";
    if (!r.remote_mta.empty()) {
        out += "Remote-MTA: dns; " + ascii(r.remote_mta) + "\r\n";
    }
    if (!r.reply.empty()) {
        // RFC 3461 9.2: the reply as sent; each line after the first folded
        // with a leading space.
        out += "Diagnostic-Code: smtp; ";
        for (std::size_t i = 0; i < r.reply.size(); ++i) {
            out += (i == 0 ? "" : " ") + ascii(r.reply[i]) + "\r\n";
        }
    } else if (!r.diagnostic.empty()) {
        out += "Diagnostic-Code: X-smtpspec; " + ascii(r.diagnostic) + "\r\n";
    }
    if (r.last_attempt != 0) {
        out += "Last-Attempt-Date: " + date_time(r.last_attempt, true) + "\r\n";
    }
    return out;
}
}  // namespace

std::string status_of_reply(int code, const std::vector<std::string>& text)
{
    const int kind = code / 100;
    if (!text.empty()) {
        if (const auto s = grammar::parse_enhanced_status(text.front());
            s && s->status_class == kind) {
            return std::to_string(s->status_class) + "." + std::to_string(s->subject) + "." +
                   std::to_string(s->detail);
        }
    }
    return kind == 4 ? "4.0.0" : "5.0.0";
}

std::string compose_dsn(const dsn_notice& n)
{
    std::size_t longest = 0;
    const std::string original = prepare_chunked_data(n.original, longest);
    const bool headers_only = n.headers_only || original.size() > n.full_limit;
    const std::string_view returned =
        headers_only ? header_section(original) : std::string_view{original};
    const std::string boundary = boundary_for(n, original);
    const bool eight_bit = has_8bit(returned);

    // spec: rfc3461/6.2 implementation
    std::string out = "From: Mail Delivery <postmaster@" + ascii(n.reporting_mta) + ">\r\n";
    out += "To: <" + n.sender + ">\r\n";
    out += "Subject: Delivery failure notice\r\n";
    out += "Date: " + date_time(n.date, true) + "\r\n";
    out += "Message-ID: <dsn." + ascii(n.queue_id) + "@" + ascii(n.reporting_mta) + ">\r\n";
    out += "Auto-Submitted: auto-replied\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/report; report-type=delivery-status;\r\n"
           "\tboundary=\"" +
           boundary + "\"\r\n";
    if (eight_bit) {
        out += "Content-Transfer-Encoding: 8bit\r\n";
    }
    out += "\r\nThis is a MIME delivery status notification (RFC 3464).\r\n";

    out += "\r\n--" + boundary + "\r\n";
    out += "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
    out += "This is the smtpspec reference client at " + ascii(n.reporting_mta) + ".\r\n\r\n";
    out += "The message queued as " + ascii(n.queue_id) + "\r\non " + date_time(n.arrival, true) +
           " could not be delivered to " + std::to_string(n.recipients.size()) +
           (n.recipients.size() == 1 ? " recipient" : " recipients") +
           ";\r\nno further attempt will be made:\r\n\r\n";
    for (const auto& r : n.recipients) {
        out += "<" + ascii(r.final_recipient) + ">: " + ascii(diagnostic_text(r));
        if (!r.remote_mta.empty()) {
            out += " (from " + ascii(r.remote_mta) + ")";
        }
        out += "\r\n";
    }
    out += headers_only ? "\r\nThe report for programs follows, then the message's header.\r\n"
                        : "\r\nThe report for programs follows, then the message.\r\n";

    out += "\r\n--" + boundary + "\r\n";
    out += "Content-Type: message/delivery-status\r\n\r\n";
    if (n.envid) {
        out += "Original-Envelope-Id: " + ascii(*n.envid) + "\r\n";
    }
    out += "Reporting-MTA: dns; " + ascii(n.reporting_mta) + "\r\n";
    out += "Arrival-Date: " + date_time(n.arrival, true) + "\r\n";
    for (const auto& r : n.recipients) {
        out += "\r\n" + recipient_fields(r);
    }

    out += "\r\n--" + boundary + "\r\n";
    out +=
        headers_only ? "Content-Type: text/rfc822-headers\r\n" : "Content-Type: message/rfc822\r\n";
    if (eight_bit) {
        out += "Content-Transfer-Encoding: 8bit\r\n";
    }
    out += "\r\n";
    out += returned;
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

}  // namespace smtpspec::reference
