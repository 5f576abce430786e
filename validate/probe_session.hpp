// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_PROBE_SESSION_HPP
#define SMTPSPEC_VALIDATE_PROBE_SESSION_HPP

#include "validate/grade.hpp"
#include "validate/line_connection.hpp"
#include "validate/probe_config.hpp"
#include "validate/server_reply.hpp"

#include <chrono>
#include <cstddef>
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
    /// For a lenient verdict: the deviation (spec/data/deviations.toml) seen.
    std::string deviation = {};
    /// The level of the requirement actually broken, when it is not the
    /// case's own: a server that closes without QUIT breaks a MUST
    /// (R-4.1.1.10-2) whatever the case checks.
    std::optional<level> broken = std::nullopt;
    /// Index of the transcript entry the verdict rests on (the last line of
    /// the reply judged); the runner fills it in when the case leaves it.
    std::size_t evidence = no_evidence;

    /// No transcript entry chosen yet.
    static constexpr std::size_t no_evidence = static_cast<std::size_t>(-1);
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
 * only after QUIT, R-4.1.1.10-2). Either way the finding shows the octets of
 * a reply that began and was not finished (server_reply::unfinished()).
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

    /** @return the profile whose readings the grades follow. */
    [[nodiscard]] const model::profile& profile() const noexcept { return config_.profile; }

    /**
     * Runs the STARTTLS preamble for a case that is to run over TLS: reads
     * the greeting (kept: read_greeting() then returns it without reading),
     * EHLO, STARTTLS (220) and the TLS handshake. The case then starts in the
     * state RFC 3207 4.2 gives after the handshake: as after the greeting.
     * @return true on success; otherwise see aborted() (unimplemented when
     *         STARTTLS is not offered).
     */
    bool enter_tls();

    /** @return true when the last successful EHLO reply lists the keyword. */
    [[nodiscard]] bool offers(std::string_view keyword) const;

    /**
     * @param keyword an EHLO keyword, such as "SIZE".
     * @return the parameters after the keyword in the last EHLO reply ("1000000"),
     *         or nothing when the keyword was not listed.
     */
    [[nodiscard]] std::optional<std::string> offer_params(std::string_view keyword) const;

    /** @return the last EHLO reply read by open_session() or ehlo(). */
    [[nodiscard]] const std::optional<server_reply>& ehlo_reply() const noexcept
    {
        return ehlo_;
    }

    /**
     * Sends EHLO with the configured domain and keeps the reply for offers().
     * @return the reply, or nothing (see aborted()).
     */
    std::optional<server_reply> ehlo();

    /**
     * A session that offers the extension: greeting and EHLO, then a check.
     * @param keyword the EHLO keyword.
     * @return true when offered; otherwise aborted() is unimplemented (or
     *         the failure that stopped the session).
     */
    bool open_session_with(std::string_view keyword);

    /**
     * How long to wait for a reply that should not come (a bare LF taken as
     * a line end, an early end of data): ten times the round trip of the
     * last command, at least 50 ms and at most the read timeout. On a
     * loaded machine a slow server can answer later than that; a fault is
     * then missed (a false pass), never invented.
     * @return the wait.
     */
    [[nodiscard]] std::chrono::milliseconds quiet_wait() const noexcept;

    /** @return the index just past the last transcript entry of the last reply read. */
    [[nodiscard]] std::size_t evidence() const noexcept { return evidence_; }

    /**
     * A lenient finding naming its deviation.
     * @param detail what was accepted.
     * @param deviation the deviation's id in spec/data/deviations.toml.
     */
    [[nodiscard]] static finding lenient(std::string detail, std::string_view deviation);

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
     * Reads one reply without sending, e.g. for commands sent as one
     * pipelined group.
     * @param what how to name the step in messages.
     * @return the reply, or nothing when none came (see aborted()).
     */
    std::optional<server_reply> read_reply(std::string_view what);

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

    /**
     * MAIL, RCPT and DATA with the configured envelope, expecting 354.
     * @return true on success; otherwise see aborted().
     */
    bool start_data();

    /**
     * Ends mail data without delivering: the connection is closed at once,
     * so the server drops the open transaction (4.1.1.10 R-4.1.1.10-5).
     * Cases that must not leave a message call it instead of sending the
     * final CRLF "." CRLF.
     */
    void abandon_data();

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
    std::optional<server_reply> greeting_;  // Kept by enter_tls().
    std::optional<server_reply> ehlo_;      // The last EHLO reply.
    std::size_t evidence_ = 0;
    std::chrono::milliseconds rtt_{0};  // Round trip of the last command.
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_PROBE_SESSION_HPP
