// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_DSN_HPP
#define SMTPSPEC_REFERENCE_DSN_HPP

// The delivery status notification the reference client's queue returns to a
// sender (RFC 3461 6, RFC 3464): a multipart/report of three parts. Pure: the
// caller gives every time and name, so a notice is a function of its inputs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference
{

/** The paragraph of one recipient in a notice (RFC 3464 2.3). */
struct notice_recipient
{
    /// Final-Recipient: the envelope address, without angle brackets (3461 6.3 e).
    std::string final_recipient;
    /// Original-Recipient: the decoded ORCPT address; empty when no ORCPT was
    /// given, and the field is then left out (3461 6.3 d).
    std::string original_recipient;
    std::string action = "failed";  ///< Action: failed, delayed, delivered, relayed, expanded.
    std::string status;             ///< Status: an RFC 3463 code such as "5.1.1".
    /// Remote-MTA: the host name of the server that answered; empty when no
    /// server did (DNS failure, no connection, refused by the client).
    std::string remote_mta;
    /// The reply that decided, one line a string with its code ("550-a",
    /// "550 b"), for "Diagnostic-Code: smtp; ..." (3461 9.2).
    std::vector<std::string> reply;
    /// Why, for people, when no reply decided: "Diagnostic-Code: X-smtpspec; ...".
    std::string diagnostic;
    std::int64_t last_attempt = 0;  ///< Last-Attempt-Date, seconds since 1970; 0 to leave out.
};

/** Everything a notice says. */
struct dsn_notice
{
    std::string reporting_mta;  ///< Reporting-MTA: a domain name (type "dns", 3461 6.3 b).
    std::string sender;         ///< The original reverse-path's address: To: of the notice.
    std::string queue_id;       ///< The original's queue id: in the text and the Message-ID.
    /// The decoded ENVID; when set, Original-Envelope-Id carries it (3461 6.3 a).
    std::optional<std::string> envid;
    std::int64_t arrival = 0;  ///< Arrival-Date, seconds since 1970.
    std::int64_t date = 0;     ///< Date: of the notice, seconds since 1970.
    /// RET=HDRS: return the headers only; otherwise the whole message (RET=FULL,
    /// or no RET), unless it is longer than @ref full_limit.
    bool headers_only = false;
    /// Longest message returned whole, in octets; a longer one is returned as
    /// its headers (3461 6.2 allows this).
    std::size_t full_limit = 1024 * 1024;
    std::string original;                      ///< The original message; LF or CRLF line endings.
    std::vector<notice_recipient> recipients;  ///< One paragraph each, in order.
};

/**
 * The RFC 3463 status a reply carries: the enhanced status code at the start
 * of its first line when its class matches the reply's first digit, else
 * "4.0.0" or "5.0.0" (3461 6.3 g).
 * @param code the reply code.
 * @param text the reply's text lines.
 * @return the status code.
 */
std::string status_of_reply(int code, const std::vector<std::string>& text);

/**
 * Writes the notice: header fields (From postmaster at the reporting MTA, To
 * the sender, Subject, Date, Message-ID, Auto-Submitted, MIME-Version), then
 * multipart/report; report-type=delivery-status with a text/plain part for
 * people, a message/delivery-status part and the original as message/rfc822
 * or its headers as text/rfc822-headers. Line endings are CRLF; the boundary
 * occurs nowhere in the original. Octets over 127 in the report's fields
 * (from a reply text) are written as "?", as the fields are US-ASCII.
 * @param notice what to say.
 * @return the message, ready to be queued with the null reverse-path.
 * @see RFC 3461 6.2 and 6.3, RFC 3464 2
 */
std::string compose_dsn(const dsn_notice& notice);

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_DSN_HPP
