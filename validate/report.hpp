// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_REPORT_HPP
#define SMTPSPEC_VALIDATE_REPORT_HPP

#include "validate/probe_case.hpp"
#include "validate/runner.hpp"

#include <ostream>
#include <span>
#include <string>

namespace smtpspec::validate
{

/**
 * Formats one result for a terminal: grade, id, title and refs on one line.
 * @param r the result.
 * @return the line, without a line ending.
 */
std::string format_result_line(const case_result& r);

/**
 * Formats the summary: the number of cases, then the count of each grade.
 * @param r the report.
 * @return e.g. "19 cases: 17 pass, 1 fail, 0 warn, 1 lenient, 0 info, 0 unimplemented, 0 error".
 */
std::string format_summary(const probe_report& r);

/**
 * Writes the terminal report: one line per case, then the summary line.
 * @param out the stream.
 * @param r the report.
 * @param details when true, each case not graded pass is followed by its
 *        finding and transcript, indented.
 */
void write_text_report(std::ostream& out, const probe_report& r, bool details = false);

/**
 * Writes the case catalogue for --list: id, level, title and refs, one line each.
 * @param out the stream.
 * @param cases the cases.
 */
void write_case_list(std::ostream& out, std::span<const probe_case* const> cases);

/**
 * The report as JSON: target, summary counts, and per case its id, title,
 * level, grade, detail, refs (section, requirement ids, WG issues), time
 * and transcript (octets escaped as by escape_octets).
 * @param r the report.
 * @return a JSON document.
 */
std::string to_json(const probe_report& r);

/**
 * The report as JUnit XML: one testsuite, one testcase per case; a grade
 * of fail gives a failure element, error an error element, unimplemented a
 * skipped element; the detail and transcript go into system-out.
 * @param r the report.
 * @return an XML document.
 */
std::string to_junit(const probe_report& r);

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_REPORT_HPP
