// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_PROFILE_HPP
#define SMTPSPEC_MODEL_PROFILE_HPP

#include <cstddef>
#include <optional>
#include <string_view>

namespace smtpspec::model
{

/**
 * Which reading of the standard the model (and so the reference server and
 * the prober) follows. A profile is plain data: each WG reading that changes
 * behaviour is one switch, named in spec/data/wg_issues.toml.
 */
struct profile
{
    std::string_view name;  ///< "rfc5321", "rfc5321bis", or a custom name.

    /// WG #101: MAIL while a transaction is open is a sequence error (503).
    bool mail_in_transaction_is_503 = true;
    /// WG #105: accept white space before the CRLF of a command (4.1.1 SHOULD).
    bool tolerate_trailing_space = true;
    /// WG #106: "RCPT TO:<>" is a syntax error (the forward-path needs a mailbox).
    bool reject_null_forward_path = true;
    /// WG #107: text after the EHLO address literal is a MUST NOT for clients.
    bool ehlo_literal_trailing_text_must_not = false;
    /// WG #108: TURN without authentication is a MUST NOT (else SHOULD NOT).
    bool turn_must_not = false;
    /// WG #114: accepted mail is on stable storage before the final 250.
    bool durable_before_reply = true;
    /// WG #116: HELO, like EHLO, resets a transaction in progress.
    bool helo_resets_transaction = false;
    /// WG #121: the client follows MX targets that are CNAMEs.
    bool follow_cname_mx_targets = false;

    /// 3.1: answer the connection with 554 and refuse every transaction.
    bool greeting_554 = false;
    /// 4.5.3.1.8: recipients buffered per transaction (at least 100).
    std::size_t max_recipients = 100;
    /// RFC 1870: largest message accepted, in octets; 0 for no limit.
    std::size_t max_message_size = 32U * 1024U * 1024U;

    /// RFC 2920: offer PIPELINING (the session answers grouped commands in
    /// order, and the network shell sends the replies to one read together).
    bool pipelining = true;
    /// RFC 6152: offer 8BITMIME.
    bool eightbitmime = true;
    /// RFC 1870: offer SIZE.
    bool size = true;
    /// RFC 2034: offer ENHANCEDSTATUSCODES and send enhanced codes.
    bool enhanced_status_codes = true;
    /// RFC 3207: offer STARTTLS (a server without a certificate answers 454).
    bool starttls = true;
    /// RFC 3030: offer CHUNKING, the BDAT command.
    bool chunking = true;
    /// RFC 3461: offer DSN, the NOTIFY and ORCPT (RCPT), RET and ENVID (MAIL)
    /// parameters.
    bool dsn = true;
    /// RFC 6531: offer SMTPUTF8 (UTF-8 mailboxes with the SMTPUTF8 MAIL parameter).
    bool smtputf8 = true;
    /// RFC 4954: offer AUTH (set by a server that has credentials; off by default).
    bool auth = false;

    friend bool operator==(const profile&, const profile&) = default;
};

/** @return the profile that follows RFC 5321 as published. */
const profile& rfc5321() noexcept;

/**
 * @return the profile that follows the readings of
 * draft-ietf-emailcore-rfc5321bis current at IETF 121 (HELO resets a
 * transaction, CNAME MX targets are followed).
 */
const profile& rfc5321bis() noexcept;

/**
 * @param name "rfc5321" or "rfc5321bis".
 * @return the named profile, or nothing when the name is unknown.
 */
std::optional<profile> find_profile(std::string_view name) noexcept;

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_PROFILE_HPP
