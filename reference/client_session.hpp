// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_CLIENT_SESSION_HPP
#define SMTPSPEC_REFERENCE_CLIENT_SESSION_HPP

#include "grammar/command.hpp"
#include "grammar/reply.hpp"
#include "reference/trace.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference
{

/** One message to deliver. */
struct client_job
{
    grammar::reverse_path from;               ///< MAIL FROM.
    std::vector<grammar::forward_path> to;    ///< One RCPT each, in order.
    std::string message;                      ///< RFC 5322 message; LF or CRLF line endings.
};

/** What the client does about STARTTLS (RFC 3207). */
enum class tls_policy
{
    /// Never sends STARTTLS.
    none,
    /// Sends STARTTLS when the server offers it; carries on in plain text when
    /// it is not offered or is refused with a reply. A failed handshake ends
    /// the session; net::deliver() then connects once more without STARTTLS.
    opportunistic,
    /// Sends no MAIL in plain text: when STARTTLS is not offered, is refused or
    /// fails, the client sends QUIT (RFC 3207 4 and 6; known fault B10).
    required,
};

/**
 * The delivery status notification parameters of RFC 3461 the client asks
 * for. They are sent only when the server offers DSN; each empty member is
 * left out.
 */
struct dsn_request
{
    std::string notify;  ///< NOTIFY= of every RCPT: "NEVER", or a list of SUCCESS, FAILURE, DELAY.
    std::string ret;     ///< RET= of MAIL: "FULL" or "HDRS".
    std::string envid;   ///< ENVID= of MAIL, as octets; sent xtext-encoded.
    bool orcpt = false;  ///< Send ORCPT=rfc822;\<recipient\> (xtext) on every RCPT.
};

/** How the client behaves. */
struct client_config
{
    std::string helo_name = "smtpspec.localhost";  ///< Domain for EHLO/HELO (4.1.1.1).
    std::uint64_t session_id = 1;                  ///< Number shown in the trace.
    /// RFC 2920: when the server offers PIPELINING, send MAIL, every RCPT
    /// and DATA as one group (DATA last), and the data only after 354.
    bool use_pipelining = true;
    tls_policy tls = tls_policy::opportunistic;  ///< STARTTLS policy (RFC 3207).
    /// RFC 3030: send the message with BDAT instead of DATA when the server
    /// offers CHUNKING.
    bool use_bdat = false;
    std::size_t bdat_chunk_octets = 64 * 1024;  ///< Largest BDAT chunk; at least 1.
    dsn_request dsn;                            ///< RFC 3461 parameters.
};

/** What happened to one recipient. */
struct recipient_result
{
    grammar::forward_path to;       ///< The recipient.
    int code = 0;                   ///< The reply to its RCPT; 0 if never sent.
    std::vector<std::string> text;  ///< That reply's text lines.
};

/** The outcome of a session. */
struct client_result
{
    bool delivered = false;                   ///< The server answered 2yz to the data.
    int final_code = 0;                       ///< The reply that decided the outcome.
    std::string final_text;                   ///< Its text, lines joined by " / ".
    std::vector<std::string> final_lines;     ///< Its text lines, as received.
    std::vector<recipient_result> recipients; ///< Per recipient.
    std::string error;                        ///< Why it failed, for people; empty if delivered.
    /// The client itself gave up before sending the message, for a reason
    /// another try at the same server will not change (SIZE, 8BITMIME,
    /// SMTPUTF8, line length): a permanent failure without a server reply.
    bool refused_locally = false;
    /// When refused_locally: the RFC 3463 status that says why ("5.3.4" for
    /// SIZE, "5.6.3" for 8-bit content, "5.6.7" for UTF-8 addresses, "5.6.0"
    /// for a line too long).
    std::string refused_status;
    std::string tls;  ///< Protocol and cipher once STARTTLS succeeded; empty in plain text.
    /// The server accepted STARTTLS but the TLS handshake failed (or its
    /// CA file could not be loaded); the session ended there.
    bool tls_handshake_failed = false;
};

/**
 * Prepares a message for DATA (4.1.1.4, 4.5.2): every line ending becomes
 * CRLF (a lone CR or LF is never sent, 2.3.8), a final CRLF is added when
 * missing, lines starting with "." get one more ".", and the CRLF "." CRLF
 * end of data is appended.
 * @param message the message as given.
 * @param longest_line set to the longest line in octets with CRLF, stuffing excluded.
 * @return the octets to send after the 354.
 */
std::string prepare_data(std::string_view message, std::size_t& longest_line);

/**
 * Prepares a message for BDAT (RFC 3030 2): line endings as prepare_data()
 * makes them, but no dot-stuffing and no end-of-data line.
 * @param message the message as given.
 * @param longest_line set to the longest line in octets with CRLF.
 * @return the octets the BDAT chunks carry; also the size SIZE= declares
 *         (RFC 1870 counts neither stuffing dots nor the final ".").
 */
std::string prepare_chunked_data(std::string_view message, std::size_t& longest_line);

/**
 * The reference client's protocol engine, without I/O: replies in, commands
 * and an annotated trace out. It sends one message: EHLO (HELO if EHLO is
 * refused), MAIL, one RCPT per recipient, DATA, the data, QUIT; it decides on
 * the first digit of each reply (4.2 R-4.2-8, R-4.2-10). When the server
 * offers PIPELINING (RFC 2920), MAIL, the RCPTs and DATA go out as one group
 * and each reply is matched to its command by counting; the data still waits
 * for the 354 (3.3 R-3.3-13).
 *
 * Extensions: STARTTLS per the configured tls_policy; after the 220 the
 * session asks the network shell for the handshake (tls_handshake_due()),
 * drops every octet that came before it (known fault B09) and starts again
 * with EHLO, using only the capabilities listed after TLS (RFC 3207 4.2).
 * SIZE= on MAIL, and no MAIL for a message over the server's SIZE (RFC 1870);
 * BODY=8BITMIME for 8-bit content, which is not sent to a server without
 * 8BITMIME (RFC 6152; downgrading to 7 bits is not implemented); SMTPUTF8
 * for UTF-8 addresses, which are not sent to a server without it (RFC 6531);
 * BDAT chunks when configured and offered (RFC 3030); RFC 3461 parameters
 * when DSN is offered.
 */
class client_session
{
public:
    /**
     * @param config the behaviour.
     * @param job the message and envelope.
     */
    client_session(client_config config, client_job job);

    /**
     * Processes octets from the server, in any split.
     * @param bytes what was read.
     */
    void feed(std::string_view bytes);

    /**
     * The server closed the connection; when it did so inside a reply, the
     * error shows what came of it (reference::unfinished_reply()).
     */
    void peer_closed();

    /**
     * @return true when the server accepted STARTTLS and the TLS handshake
     *         must run before anything else is read or sent.
     */
    [[nodiscard]] bool tls_handshake_due() const noexcept { return stage_ == stage::tls; }

    /**
     * The TLS handshake succeeded; the session sends a new EHLO.
     * @param description protocol and cipher, for the trace.
     */
    void tls_established(std::string description);

    /**
     * The TLS handshake failed; the session is over.
     * @param why the reason, for people.
     */
    void tls_failed(std::string why);

    /** @return octets to send to the server, and forgets them. */
    std::string take_output();

    /** @return trace events produced since the last call. */
    std::vector<trace_event> take_trace();

    /** @return true when the session is over (QUIT answered or connection lost). */
    [[nodiscard]] bool done() const noexcept { return stage_ == stage::done; }

    /**
     * @return every octet received of a reply not yet complete (its
     *         complete lines and a line without its CRLF); empty between
     *         replies.
     */
    [[nodiscard]] std::string unfinished_reply() const { return reply_octets_ + input_; }

    /** @return the configuration the session runs with. */
    [[nodiscard]] const client_config& config() const noexcept { return config_; }

    /** @return the outcome so far. */
    [[nodiscard]] const client_result& result() const noexcept { return result_; }

private:
    enum class stage
    {
        greeting,
        ehlo,
        helo,
        starttls,
        tls,
        mail,
        rcpt,
        data,
        pipelined,
        body,
        bdat,
        quit,
        done,
    };

    void on_reply(const grammar::reply& r);
    spec::ref reply_ref() const;
    void send(std::string line, const spec::ref& why);
    void on_ehlo(const grammar::reply& r);
    void after_hello();
    bool check_message();
    std::string mail_line() const;
    std::string rcpt_line(const grammar::forward_path& to) const;
    void send_mail();
    void send_chunk();
    void on_chunk_reply(const grammar::reply& r);
    void refuse(std::string why, std::string status, const spec::ref& why_ref);
    void discard_before_handshake(std::size_t octets);
    void send_next_rcpt_or_data();
    bool send_pipelined_group();
    void on_pipelined_reply(const grammar::reply& r);
    void on_data_reply(const grammar::reply& r);
    void fail(const grammar::reply& r, std::string why);
    void quit();

    client_config config_;
    client_job job_;
    client_result result_;
    stage stage_ = stage::greeting;
    std::size_t next_rcpt_ = 0;
    bool server_8bitmime_ = false;
    bool server_size_ = false;
    std::uint64_t server_size_limit_ = 0;  // 0: no limit declared (RFC 1870 4).
    bool server_pipelining_ = false;
    bool server_starttls_ = false;
    bool server_chunking_ = false;
    bool server_dsn_ = false;
    bool server_smtputf8_ = false;
    bool tls_active_ = false;
    bool chunked_ = false;           // This transaction uses BDAT.
    std::size_t chunk_offset_ = 0;   // Octets of data_ sent in BDAT chunks.
    std::uint64_t message_size_ = 0; // What SIZE= declares (RFC 1870 4).
    bool mail_accepted_ = false;
    std::size_t pipelined_replies_ = 0;
    bool abandoned_data_ = false;
    std::string pending_mail_;
    std::string data_;
    std::string input_;
    std::string reply_octets_;  // Complete lines of the reply being read.
    std::vector<std::string> pending_lines_;
    int pending_code_ = 0;
    std::string output_;
    std::vector<trace_event> trace_;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_CLIENT_SESSION_HPP
