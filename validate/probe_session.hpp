// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_PROBE_SESSION_HPP
#define SMTPSPEC_VALIDATE_PROBE_SESSION_HPP

#include "validate/grade.hpp"
#include "validate/line_connection.hpp"
#include "validate/probe_config.hpp"
#include "validate/server_reply.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::validate
{

/** What one probe case concluded, and why, in words for the report. */
struct finding
{
    verdict outcome = verdict::could_not_run;  ///< What was observed.
    std::string detail;                        ///< Codes seen and the rule behind the verdict.
};

/**
 * One case's view of a fresh connection: the steps cases share (read the
 * greeting, send a command and read its reply, open a session, start a
 * transaction). When a step cannot go on, it returns nothing and keeps the
 * finding that the case should return (see aborted()).
 *
 * A missing reply because of a timeout, or a 421 (the server is closing the
 * channel, 3.8), makes the case could_not_run; a missing reply because the
 * server closed the connection is a violation of 4.1.1.10 (a server closes
 * only after QUIT, R-4.1.1.10-2).
 */
class probe_session
{
public:
    /**
     * @param conn a connected line_connection, used for this case only.
     * @param config the run's configuration.
     */
    probe_session(line_connection& conn, const probe_config& config) noexcept
        : conn_(conn)
        , config_(config)
    {
    }

    /** @return the run's configuration. */
    [[nodiscard]] const probe_config& config() const noexcept { return config_; }

    /** @return the connection, for cases that send raw octets. */
    [[nodiscard]] line_connection& connection() noexcept { return conn_; }

    /**
     * Reads the connection greeting (3.1, 4.2) whatever its code.
     * @return the reply, or nothing when none came.
     */
    std::optional<server_reply> read_greeting();

    /**
     * Reads the greeting and requires a 220 (a 554 greeting is permitted by
     * 3.1, but then no case can run).
     * @return the reply, or nothing (see aborted()).
     */
    std::optional<server_reply> expect_greeting();

    /**
     * Sends one command line (CRLF is added) and reads its reply.
     * @param line the command, e.g. "NOOP".
     * @return the reply, or nothing when none came (see aborted()).
     */
    std::optional<server_reply> command(std::string_view line);

    /**
     * Sends octets exactly as given and reads one reply.
     * @param octets what to send.
     * @param what how to name the step in messages.
     * @return the reply, or nothing when none came (see aborted()).
     */
    std::optional<server_reply> exchange(std::string_view octets, std::string_view what);

    /**
     * Waits a short while for a reply the server should not send (yet), for
     * cases that check that some octets are not taken as a complete command.
     * @param wait how long to wait, at most the read timeout.
     * @param failed set to true when the connection closed or broke (the
     *        reason is kept in aborted()), to false otherwise.
     * @return the reply if one came; nothing on timeout or failure.
     */
    std::optional<server_reply> poll_reply(std::chrono::milliseconds wait, bool& failed);

    /**
     * Greeting (220), then EHLO with the configured domain (250).
     * @return true on success; otherwise see aborted().
     */
    bool open_session();

    /**
     * MAIL FROM with the configured reverse-path, expecting 250.
     * @return true on success; otherwise see aborted().
     */
    bool start_mail();

    /**
     * RCPT TO with the configured forward-path, expecting 250 or 251.
     * @return true on success; otherwise see aborted().
     */
    bool add_recipient();

    /** @return the finding explaining why the last step could not go on. */
    [[nodiscard]] const finding& aborted() const noexcept { return aborted_; }

    /**
     * Records a precondition failure: the case cannot judge the server.
     * @param step what was attempted.
     * @param r the reply that stopped it.
     * @return always false, for "return fail_setup(...)".
     */
    bool fail_setup(std::string_view step, const server_reply& r);

private:
    std::optional<server_reply> finish(std::string_view what, const server_reply& r,
                                       std::error_code ec);

    line_connection& conn_;
    const probe_config& config_;
    finding aborted_;
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_PROBE_SESSION_HPP
