// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_STATE_HPP
#define SMTPSPEC_MODEL_STATE_HPP

#include <cstddef>

namespace smtpspec::model
{

/**
 * Where a server's session stands. The session lives from connect to close;
 * the transaction part (MAIL, RCPT, DATA or BDAT) lives from an accepted MAIL
 * to the end of data, RSET, a new EHLO (or HELO per WG #116), a TLS handshake,
 * or QUIT (WG #99).
 */
enum class phase
{
    connecting,  ///< Connected; the greeting has not been sent yet.
    greeted,     ///< Greeting sent; no EHLO or HELO accepted yet.
    ready,       ///< EHLO or HELO accepted; no transaction open.
    mail,        ///< Transaction open: MAIL accepted, no recipient yet.
    rcpt,        ///< Transaction open with at least one accepted recipient.
    chunking,    ///< Transaction open; BDAT chunks accepted, no LAST yet (RFC 3030 2).
    data,        ///< 354 sent; mail data is being received.
    handshake,   ///< 220 sent to STARTTLS; the TLS handshake runs (RFC 3207 4).
    closed,      ///< 221 or 421 sent; nothing more is read.
};

/** @return the phase's name, e.g. "rcpt". */
const char* to_string(phase p) noexcept;

/** The session state the model tracks: small, comparable, copyable. */
struct state
{
    phase at = phase::connecting;   ///< The phase.
    bool extended = false;          ///< The client greeted with EHLO (not HELO).
    bool refused = false;           ///< Greeted with 554 (3.1): no transactions.
    std::size_t recipients = 0;     ///< Recipients accepted in this transaction.
    bool tls = false;               ///< A TLS session is active (RFC 3207 4.2).
    bool authenticated = false;     ///< An AUTH exchange succeeded (RFC 4954 4).

    /** @return true while a mail transaction is open. */
    [[nodiscard]] bool in_transaction() const noexcept
    {
        return at == phase::mail || at == phase::rcpt || at == phase::chunking
            || at == phase::data;
    }

    friend bool operator==(const state&, const state&) = default;
};

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_STATE_HPP
