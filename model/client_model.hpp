// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_CLIENT_MODEL_HPP
#define SMTPSPEC_MODEL_CLIENT_MODEL_HPP

#include "spec/ref.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace smtpspec::model
{

/** What a client can send: a command, or the mail data after a 354. */
enum class client_command
{
    ehlo,          ///< EHLO (4.1.1.1).
    helo,          ///< HELO (4.1.1.1).
    mail,          ///< MAIL (4.1.1.2).
    rcpt,          ///< RCPT (4.1.1.3).
    data,          ///< DATA (4.1.1.4).
    message_data,  ///< The mail data up to and including CRLF "." CRLF (4.1.1.4).
    rset,          ///< RSET (4.1.1.5).
    vrfy,          ///< VRFY (4.1.1.6).
    expn,          ///< EXPN (4.1.1.7).
    help,          ///< HELP (4.1.1.8).
    noop,          ///< NOOP (4.1.1.9).
    quit,          ///< QUIT (4.1.1.10).
};

/** @return the command's verb ("EHLO", ...) or "<data>" for the mail data. */
const char* to_string(client_command c) noexcept;

/** @return every client_command, in declaration order. */
const std::vector<client_command>& all_client_commands();

/** Where a client stands, as far as the server's replies tell. */
enum class client_stage
{
    awaiting_greeting,  ///< Connected; the server speaks first (3.1).
    refused,            ///< The greeting was not 2yz: only QUIT is left (3.1).
    greeted,            ///< 2yz greeting; no EHLO or HELO accepted yet.
    ready,              ///< EHLO or HELO accepted; no transaction open.
    mail,               ///< MAIL accepted; no recipient accepted yet.
    rcpt,               ///< At least one RCPT accepted.
    data,               ///< DATA answered 354: only the mail data may follow.
    closed,             ///< QUIT sent, 421 received or the connection closed.
};

/** @return the stage's name, e.g. "rcpt". */
const char* to_string(client_stage s) noexcept;

/**
 * The client-side session state: the stage reached by the replies received,
 * what the EHLO reply offered, and the commands sent and not yet answered.
 */
struct client_state
{
    client_stage stage = client_stage::awaiting_greeting;  ///< From the replies so far.
    bool ehlo_refused = false;  ///< EHLO got a 5yz: HELO is the way on (3.2).
    bool pipelining = false;    ///< The accepted EHLO offered PIPELINING (RFC 2920).
    bool quit_sent = false;     ///< QUIT has been sent: nothing may follow.
    /// Sent and not yet answered, oldest first; more than one only when pipelining.
    std::vector<client_command> outstanding;

    friend bool operator==(const client_state&, const client_state&) = default;
};

/** Whether a client may send a command now, and the rule that says so. */
struct client_verdict
{
    bool allowed;             ///< True when a conforming client may send it.
    spec::ref why;            ///< The section and requirements that decide.
    std::string_view reason;  ///< One line for people.
};

/**
 * Whether a conforming client may send a command in a state.
 *
 * Without PIPELINING the client waits for each reply (4.3.1 R-4.3.1-1). With
 * it, commands may be sent while MAIL, RCPT and RSET are unanswered; any other
 * command ends a group, so nothing follows it unanswered (RFC 2920 section
 * 3.1; DATA is the last command of a group). Mail data follows a 354 only
 * (3.3 R-3.3-13); QUIT may always end a session that reads commands.
 * @param s the client state.
 * @param c the command.
 * @return allowed or not, with the ref.
 */
client_verdict may_send(const client_state& s, client_command c);

/**
 * @param s the client state.
 * @return every command may_send() allows in s.
 */
std::vector<client_command> permitted_commands(const client_state& s);

/**
 * The state after sending a command; the command joins the unanswered ones.
 * @param s the client state.
 * @param c the command; may_send(s, c) should allow it.
 * @return the next state.
 */
client_state after_send(const client_state& s, client_command c);

/**
 * The state after a complete reply. The reply answers the oldest unanswered
 * command (or is the greeting) and is judged by its first digit alone
 * (4.2 R-4.2-8, R-4.2-11); a 421 closes the session from any state (3.8).
 * @param s the client state.
 * @param code the reply code.
 * @param offers_pipelining for a 2yz answer to EHLO: the reply lists PIPELINING.
 * @return the next state.
 */
client_state after_reply(const client_state& s, int code, bool offers_pipelining = false);

/**
 * @param s the client state.
 * @return the state after the connection closed.
 */
client_state after_close(const client_state& s);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_CLIENT_MODEL_HPP
