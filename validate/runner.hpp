// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_RUNNER_HPP
#define SMTPSPEC_VALIDATE_RUNNER_HPP

#include "validate/grade.hpp"
#include "validate/probe_case.hpp"
#include "validate/probe_config.hpp"
#include "validate/probe_session.hpp"
#include "validate/transcript.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace smtpspec::validate
{

/** The outcome of one probe case. */
struct case_result
{
    const probe_case* which = nullptr;  ///< The case; points into the catalogue.
    grade result = grade::error;        ///< The grade, from the case's level and verdict.
    finding found;                      ///< The verdict and its explanation.
    bool connected = false;             ///< False when the TCP connection failed.
    std::chrono::milliseconds elapsed{0};  ///< Wall time the case took.
    transcript log;                     ///< Everything said on the case's connection.
    bool over_tls = false;              ///< The case ran after STARTTLS.
};

/** What the first connection of a run, made before any case, found. */
enum class startup
{
    ok,                ///< A greeting other than 554 (and STARTTLS when asked for): cases run.
    unreachable,       ///< No TCP connection could be made.
    no_greeting,       ///< Connected, but the server closed or stayed silent: no greeting.
    not_smtp,          ///< The first line holds no reply code, e.g. an SSH banner.
    /// Part of a greeting came (a line without its CRLF, or lines announcing
    /// one more), then the server stayed silent or closed (4.2, 2.3.8).
    unfinished_greeting,
    refuses_sessions,  ///< A 554 greeting (3.1 R-3.1-3): the server refuses sessions.
    no_starttls,       ///< --tls starttls, but the EHLO reply does not offer STARTTLS.
};

/** The outcome of a probe run. */
struct probe_report
{
    endpoint target;                   ///< The server probed.
    std::string profile;               ///< Name of the profile the grades follow.
    std::vector<case_result> results;  ///< One per case run, in run order.
    /// What the first connection found; anything but startup::ok stops the
    /// run there.
    startup stopped = startup::ok;
    /// Why the cases were not run when stopped is not startup::ok; empty
    /// otherwise. After a 554 greeting only the cases of 3.1 run and the
    /// others are left out of results; after any other stop every result is
    /// graded error with this reason.
    std::string not_run;

    /** @return how many results have grade g. */
    [[nodiscard]] std::size_t count(grade g) const noexcept;

    /** @return true when cases ran and none of them could connect. */
    [[nodiscard]] bool unreachable() const noexcept;

    /** @return true when cases ran and every one was graded error. */
    [[nodiscard]] bool all_errors() const noexcept;
};

/** Which grades make the exit status 1 (--fail-on). */
enum class fail_policy
{
    fail,   ///< A case graded fail (a MUST broken): the default.
    warn,   ///< A case graded fail or warn (a SHOULD broken too).
    never,  ///< No grade; only an unreachable server or a run of errors.
};

/** Exit statuses of a probe run. */
namespace exit_status
{
inline constexpr int ok = 0;           ///< Nothing the policy counts.
inline constexpr int findings = 1;     ///< A grade the policy counts.
inline constexpr int usage = 2;        ///< Bad arguments (set by the command).
inline constexpr int unreachable = 3;  ///< No case could connect.
/// Connected, but every case was graded error, or the server sent no SMTP
/// greeting (it closed, stayed silent, sent a line with no reply code, or
/// began a greeting and did not finish it).
inline constexpr int all_errors = 4;
inline constexpr int refuses_sessions = 5;  ///< The server greeted with 554 (3.1).
inline constexpr int no_starttls = 6;       ///< --tls starttls, but STARTTLS is not offered.
}  // namespace exit_status

/**
 * The process exit status for a report: 3 when the server could not be
 * reached, 4 when it sent no complete SMTP greeting or every case was graded
 * error, 5 when it greeted with 554, 6 when STARTTLS was demanded and not
 * offered, 1 when a case has a grade the policy counts, 0 otherwise.
 * @param r the report.
 * @param policy which grades count.
 * @return one of exit_status.
 */
int exit_code(const probe_report& r, fail_policy policy = fail_policy::fail) noexcept;

/**
 * Runs one case on a fresh connection: connects, (over TLS: greeting, EHLO,
 * STARTTLS and the handshake), runs the check within the case timeout,
 * sends a best-effort QUIT (ungraded) and closes.
 * @param config the run's configuration.
 * @param c the case.
 * @param over_tls run the case after STARTTLS (ignored for cases tagged
 *        "tls", which do their own STARTTLS).
 * @return the result; never throws for server behaviour.
 */
case_result run_case(const probe_config& config, const probe_case& c, bool over_tls = false);

/** What the first connection of a run found. */
struct reachability
{
    bool connected = false;  ///< The TCP connection was made.
    /// Why the cases cannot run; empty when they can.
    std::string problem;
    startup kind = startup::ok;  ///< What stops the run, or startup::ok.
};

/**
 * Tries the target once before the cases: connects and reads the greeting
 * within config.read_timeout; with tls_mode::starttls also sends EHLO and
 * looks for STARTTLS in the reply; then sends QUIT and closes. A first line
 * without a reply code (garbage, an SSH banner) is read no further. When
 * the greeting is cut off (a timeout or a close before its last CRLF), the
 * problem shows the octets that did come.
 * @return what it found.
 */
reachability check_reachable(const probe_config& config);

/** Called after each case, e.g. to show progress. */
using result_callback = std::function<void(const case_result&)>;

/**
 * Runs cases one after another, each on its own connection, no two
 * connections closer in time than config.min_interval; with
 * tls_mode::both each case runs in clear, then over TLS.
 * @param config the run's configuration.
 * @param cases the cases, e.g. from select_cases().
 * First check_reachable(): when it finds a problem, report.stopped and
 * report.not_run say it; after a 554 greeting only the cases of section 3.1
 * run (in clear), otherwise no case connects and each is graded error with
 * that reason.
 * With config.jobs above 1, that many threads run cases side by side; the
 * report and the calls of on_result keep the catalogue order all the same.
 * @param on_result optional; called after each case, in catalogue order,
 *                  never from two threads at once.
 * @return the report.
 */
probe_report run_probe(const probe_config& config, std::span<const probe_case* const> cases,
                       const result_callback& on_result = {});

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_RUNNER_HPP
