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

/** The outcome of a probe run. */
struct probe_report
{
    endpoint target;                   ///< The server probed.
    std::string profile;               ///< Name of the profile the grades follow.
    std::vector<case_result> results;  ///< One per case run, in run order.
    /// Why no case was tried, when the first connection (made before any
    /// case) failed or got no greeting; empty otherwise. Every result is
    /// then graded error with this reason.
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
inline constexpr int all_errors = 4;   ///< Connected, but every case was graded error.
}  // namespace exit_status

/**
 * The process exit status for a report: 3 when the server could not be
 * reached, 4 when every case was graded error, 1 when a case has a grade
 * the policy counts, 0 otherwise.
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
    /// Why the cases cannot run (no connection, or no greeting); empty when
    /// a greeting came, whatever its code.
    std::string problem;
};

/**
 * Tries the target once before the cases: connects and reads the greeting
 * within config.read_timeout, then sends QUIT and closes.
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
 * First check_reachable(): when it fails, no case connects; each is graded
 * error with that reason, and report.not_run says it.
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
