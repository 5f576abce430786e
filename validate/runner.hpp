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
};

/** The outcome of a probe run. */
struct probe_report
{
    endpoint target;                   ///< The server probed.
    std::vector<case_result> results;  ///< One per case run, in run order.

    /** @return how many results have grade g. */
    [[nodiscard]] std::size_t count(grade g) const noexcept;

    /** @return true when cases ran and none of them could connect. */
    [[nodiscard]] bool unreachable() const noexcept;
};

/**
 * The process exit status for a report: 2 when the server could not be
 * reached, 1 when any case was graded fail, 0 otherwise.
 * @param r the report.
 * @return 0, 1 or 2.
 */
int exit_code(const probe_report& r) noexcept;

/**
 * Runs one case on a fresh connection: connects, runs the check within the
 * case timeout, sends a best-effort QUIT (ungraded) and closes.
 * @param config the run's configuration.
 * @param c the case.
 * @return the result; never throws for server behaviour.
 */
case_result run_case(const probe_config& config, const probe_case& c);

/** Called after each case, e.g. to show progress. */
using result_callback = std::function<void(const case_result&)>;

/**
 * Runs cases one after another, each on its own connection.
 * @param config the run's configuration.
 * @param cases the cases, e.g. from select_cases().
 * @param on_result optional; called after each case.
 * @return the report.
 */
probe_report run_probe(const probe_config& config, std::span<const probe_case* const> cases,
                       const result_callback& on_result = {});

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_RUNNER_HPP
