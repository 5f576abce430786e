// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_MESSAGE_STORE_HPP
#define SMTPSPEC_REFERENCE_MESSAGE_STORE_HPP

#include "grammar/command.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference
{

/** The DSN request for one recipient (RFC 3461 4.1, 4.2). */
struct dsn_recipient
{
    std::string notify;      ///< NOTIFY value in upper case ("NEVER", "SUCCESS,FAILURE"), or empty.
    std::string orcpt_type;  ///< ORCPT addr-type ("rfc822"), or empty.
    std::string orcpt;       ///< ORCPT address, xtext decoded (printable ASCII only), or empty.

    friend bool operator==(const dsn_recipient&, const dsn_recipient&) = default;
};

/** The envelope of one mail transaction (3.3) and where it came from. */
struct envelope
{
    std::string client_name;        ///< Domain given in EHLO or HELO.
    bool extended = false;          ///< EHLO (true) or HELO (false).
    std::string peer_address;       ///< The client's IP address, as text.
    grammar::reverse_path from;     ///< MAIL FROM.
    std::vector<grammar::forward_path> recipients;  ///< Accepted RCPT TO, in order.
    std::vector<grammar::esmtp_param> mail_params;  ///< Parameters of MAIL.
    /// DSN request of each accepted RCPT, in the order of recipients (RFC 3461).
    std::vector<dsn_recipient> dsn;
    std::string dsn_ret;    ///< RET of MAIL in upper case ("FULL", "HDRS"), or empty.
    std::string dsn_envid;  ///< ENVID of MAIL, xtext decoded (printable ASCII only), or empty.
    /// Protocol and cipher when the transaction ran under TLS (RFC 3207),
    /// empty otherwise; Received then says ESMTPS (RFC 3848).
    std::string tls;
    /// MAIL carried SMTPUTF8 (RFC 6531 3.4); Received then says UTF8SMTP.
    bool smtputf8 = false;
    /// The user the client authenticated as (RFC 4954), or empty; Received
    /// then says ESMTPA (RFC 3848).
    std::string auth_user;
};

/** A message the server has accepted and not yet stored. */
struct accepted_message
{
    envelope env;      ///< Its envelope.
    std::string data;  ///< Its mail data after dot-unstuffing, lines ending in CRLF.
};

/** What a store answers. */
struct store_result
{
    bool ok = false;      ///< The message is safely stored.
    std::string id;       ///< Queue id when ok; the reason otherwise.
    std::string path{};   ///< When not ok: the file or folder the failure concerns, if any.
    std::string error{};  ///< When not ok: the system's reason ("No such file or directory").
    bool discarded = false;  ///< ok, but nothing was kept (discard_store): the 250 says so.
};

/**
 * Where the server puts accepted mail. store() returns only when the message
 * is as durable as the store can make it: the server's 250 follows it
 * (6.1, WG #114).
 */
class message_store
{
public:
    virtual ~message_store() = default;

    /**
     * @param env the transaction's envelope.
     * @param data the mail data after dot-unstuffing, lines ending in CRLF.
     * @param server_name the receiving host's name, for the trace lines.
     * @return ok with an id, or the reason it failed.
     */
    virtual store_result store(const envelope& env, std::string_view data,
                               std::string_view server_name) = 0;
};

/** A store that keeps messages in memory: for tests and fuzzing. */
class memory_store final : public message_store
{
public:
    /** One stored message. */
    struct message
    {
        envelope env;      ///< Its envelope.
        std::string data;  ///< Its mail data, unchanged.
    };

    store_result store(const envelope& env, std::string_view data,
                       std::string_view server_name) override;

    /** @return every message stored so far, in order. */
    [[nodiscard]] const std::vector<message>& messages() const noexcept { return messages_; }

private:
    std::vector<message> messages_;
};

/**
 * A store that keeps nothing: every message is "stored" at once and dropped.
 * For benchmarks and load tests only (like Postfix's smtp-sink): its 250
 * promises nothing, so the server logs the mode at start.
 */
class discard_store final : public message_store
{
public:
    store_result store(const envelope& env, std::string_view data,
                       std::string_view server_name) override;

    /** @return how many messages were dropped so far. */
    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

private:
    std::uint64_t count_ = 0;
};

/**
 * Formats a time as an RFC 5322 3.3 date-time with a numeric zone, e.g.
 * "Fri, 04 Dec 2026 15:00:00 +0000".
 * @param unix_time seconds since the epoch.
 * @param utc true for +0000; false for the local zone (4.4 R-4.4-11).
 * @return the date-time.
 */
std::string date_time(long long unix_time, bool utc = false);

/**
 * An IP address as the socket gives it, written as an address-literal of
 * 4.1.3 (the TCP-info of a Received field, 4.4; an MTA name of RFC 3461):
 * "[192.0.2.1]", "[IPv6:2001:db8::1]", and an IPv4 address mapped into
 * IPv6 ("::ffff:192.0.2.1") as "[192.0.2.1]".
 * @param address the address without brackets.
 * @return the address-literal.
 */
std::string address_literal(std::string_view address);

/**
 * Builds the trace lines a delivering server puts in front of a message
 * (4.4): "Return-Path: <...>" and a folded "Received:" field, both ending
 * in CRLF. An id that is not an Atom (a Maildir name has dots) is written
 * as the msg-id "<id@server_name>", the other form 4.4 allows.
 * @param env the envelope.
 * @param server_name the receiving host.
 * @param id the queue id.
 * @param unix_time the time of receipt, seconds since the epoch.
 * @return the two header fields.
 */
std::string trace_header(const envelope& env, std::string_view server_name,
                         std::string_view id, long long unix_time);

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MESSAGE_STORE_HPP
