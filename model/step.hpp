// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_STEP_HPP
#define SMTPSPEC_MODEL_STEP_HPP

#include "grammar/command.hpp"
#include "grammar/extension.hpp"
#include "model/profile.hpp"
#include "model/state.hpp"
#include "spec/ref.hpp"

#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::model
{

/** The connection is open; the server owes a greeting (3.1). */
struct connect_event
{
};

/** A line the grammar refused; code is the grammar's 500 or 501. */
struct bad_line_event
{
    int code = 500;  ///< 500 (not a command) or 501 (bad arguments).
};

/** A command line longer than 512 octets with its CRLF (4.5.3.1.4). */
struct line_too_long_event
{
};

/** The mail data ended with CRLF.CRLF (4.1.1.4). */
struct end_of_data_event
{
    bool acceptable = true;  ///< False when the data broke a rule (bare LF, size).
};

/** The client closed the connection without QUIT (4.1.1.10). */
struct disconnect_event
{
};

/**
 * The TLS handshake that followed a 220 to STARTTLS has completed: the
 * session starts again from the greeted state, with TLS (RFC 3207 4.2).
 * A failed handshake ends the connection instead (a disconnect_event).
 */
struct tls_established_event
{
};

/**
 * Everything the session-state machine reacts to. A BDAT command
 * (grammar::extension_command) is stepped once its chunk has been read, since
 * its reply follows the chunk (RFC 3030 2).
 */
using input = std::variant<connect_event, grammar::command, bad_line_event,
                           line_too_long_event, end_of_data_event, disconnect_event,
                           tls_established_event, grammar::extension_command>;

/** One reply the standard permits, with the state it leads to and why. */
struct transition
{
    int code;        ///< The reply code.
    state next;      ///< The state after sending it.
    spec::ref why;   ///< The section and requirements that permit it.
};

/**
 * What the standard permits in answer to one input. The first transition is
 * the reference server's choice; the others are what a conforming server may
 * send instead (a policy refusal, a temporary failure).
 */
struct outcome
{
    std::vector<transition> permitted;  ///< Never empty.

    /** @return the transition for this code, or nullptr if not permitted. */
    [[nodiscard]] const transition* find(int code) const noexcept;
};

/**
 * The session-state machine: total over every state and input.
 * @param p the profile (reading of the standard).
 * @param s the current state.
 * @param in the input.
 * @return the permitted replies and next states; for inputs that get no reply
 *         (a disconnect), one transition with code 0.
 */
outcome step(const profile& p, const state& s, const input& in);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_STEP_HPP
