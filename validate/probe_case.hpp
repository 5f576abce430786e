// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_PROBE_CASE_HPP
#define SMTPSPEC_VALIDATE_PROBE_CASE_HPP

#include "spec/ref.hpp"
#include "validate/grade.hpp"
#include "validate/probe_session.hpp"

#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace smtpspec::validate
{

/**
 * One conformance check run against a server over a fresh connection.
 *
 * The id is built from the document and section the case tests and a
 * number within it ("rfc5321/4.1.1.3/1", "rfc3030/2/1"), so that a run can
 * be narrowed by prefix. The level is that of the requirement the case
 * checks; it turns a violation into fail, warn or info (grade_for). A case
 * graded lenient names the deviation of spec/data/deviations.toml it saw.
 */
struct probe_case
{
    std::string_view id;          ///< "rfc5321/<section>/<n>" or "rfcNNNN/<section>/<n>".
    std::string_view title;       ///< What is checked, one line.
    level checks = level::must;   ///< Level of the requirement checked.
    std::vector<spec::ref> refs;  ///< Sections, requirement ids and WG issues checked.
    std::function<finding(probe_session&)> run;  ///< The check; it owns the connection.
    /// Rows of tests/known-faults.md the case covers ("B01"), possibly none.
    std::vector<std::string_view> faults = {};
    /// Deviations (spec/data/deviations.toml) a lenient grade of this case names.
    std::vector<spec::deviation_id> deviations = {};
    /// Tags for --tag: "slow" (waits minutes; run only when asked), "tls",
    /// "extension", "smuggling", "delivery" (leaves a message), ...
    std::vector<std::string_view> tags = {};

    /** @return true when the case carries the tag. */
    [[nodiscard]] bool has_tag(std::string_view tag) const noexcept;
};

/**
 * Tells whether a case id falls under a selection prefix. The prefix must
 * end at a boundary of the id: "rfc5321/4.1.1" selects "rfc5321/4.1.1.1/1"
 * and "rfc5321/4.1.1/2", while "rfc5321/4.1.1.1" does not select
 * "rfc5321/4.1.1.10/1".
 * @param id a case id.
 * @param prefix the selection; empty selects everything.
 * @return true when the case is selected.
 */
bool id_matches(std::string_view id, std::string_view prefix) noexcept;

/**
 * Selects cases by a comma-separated list of id prefixes.
 * @param all the catalogue.
 * @param prefixes e.g. "rfc5321/4.1.1,rfc5321/3.3"; empty selects every case.
 * @return the selected cases, in catalogue order.
 */
std::vector<const probe_case*> select_cases(std::span<const probe_case> all,
                                            std::string_view prefixes);

/**
 * Narrows a selection by tags. A case is kept when it has one of the wanted
 * tags (or none are wanted) and, unless a wanted tag or an exact id asks for
 * it, when it is not tagged "slow".
 * @param cases a selection, e.g. from select_cases().
 * @param tags comma-separated tags; empty keeps every case that is not slow.
 * @param prefixes the id prefixes the selection was made with: a slow case
 *        named by its full id is kept.
 * @return the kept cases, in the same order.
 */
std::vector<const probe_case*> filter_by_tags(std::span<const probe_case* const> cases,
                                              std::string_view tags,
                                              std::string_view prefixes = {});

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_PROBE_CASE_HPP
