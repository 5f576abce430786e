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

/** How the client behaves. */
struct client_config
{
    std::string helo_name = "smtpspec.localhost";  ///< Domain for EHLO/HELO (4.1.1.1).
    std::uint64_t session_id = 1;                  ///< Number shown in the trace.
};

/** What happened to one recipient. */
struct recipient_result
{
    grammar::forward_path to;  ///< The recipient.
    int code = 0;              ///< The reply to its RCPT; 0 if never sent.
};

/** The outcome of a session. */
struct client_result
{
    bool delivered = false;                   ///< The server answered 2yz to the data.
    int final_code = 0;                       ///< The reply that decided the outcome.
    std::string final_text;                   ///< Its text, lines joined by " / ".
    std::vector<recipient_result> recipients; ///< Per recipient.
    std::string error;                        ///< Why it failed, for people; empty if delivered.
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
 * The reference client's protocol engine, without I/O: replies in, commands
 * and an annotated trace out. It sends one message: EHLO (HELO if EHLO is
 * refused), MAIL, one RCPT per recipient, DATA, the data, QUIT; it decides on
 * the first digit of each reply (4.2 R-4.2-8, R-4.2-10).
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

    /** The server closed the connection. */
    void peer_closed();

    /** @return octets to send to the server, and forgets them. */
    std::string take_output();

    /** @return trace events produced since the last call. */
    std::vector<trace_event> take_trace();

    /** @return true when the session is over (QUIT answered or connection lost). */
    [[nodiscard]] bool done() const noexcept { return stage_ == stage::done; }

    /** @return the outcome so far. */
    [[nodiscard]] const client_result& result() const noexcept { return result_; }

private:
    enum class stage
    {
        greeting,
        ehlo,
        helo,
        mail,
        rcpt,
        data,
        body,
        quit,
        done,
    };

    void on_reply(const grammar::reply& r);
    spec::ref reply_ref() const;
    void send(std::string line, const spec::ref& why);
    void send_mail();
    void send_next_rcpt_or_data();
    void fail(const grammar::reply& r, std::string why);
    void quit();

    client_config config_;
    client_job job_;
    client_result result_;
    stage stage_ = stage::greeting;
    std::size_t next_rcpt_ = 0;
    bool server_8bitmime_ = false;
    bool server_size_ = false;
    std::string data_;
    std::string input_;
    std::vector<std::string> pending_lines_;
    int pending_code_ = 0;
    std::string output_;
    std::vector<trace_event> trace_;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_CLIENT_SESSION_HPP
