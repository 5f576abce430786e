// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_REPORT_HPP
#define SMTPSPEC_VALIDATE_REPORT_HPP

#include "validate/probe_case.hpp"
#include "validate/runner.hpp"

#include <cstddef>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace smtpspec::validate
{

/** One transcript entry as a report shows it. */
struct annotated_line
{
    std::string from;      ///< "C", "S" or "#".
    std::string text;      ///< The octets, shown by reference::printable.
    std::string note;      ///< What it is: the command's section, the reply's meaning.
    bool evidence = false; ///< The line the verdict rests on.
};

/**
 * Annotates a result's transcript: each command with the section that
 * defines its verb, each reply line with the meaning of its code from the
 * reply-code catalogue (and its syntax error, if any), and the line the
 * verdict rests on with the grade.
 * @param r the result.
 * @param context lines kept before the evidence line (and two after it);
 *        0 keeps the whole transcript.
 * @return the lines of the excerpt, in order.
 */
std::vector<annotated_line> annotated_excerpt(const case_result& r, std::size_t context = 8);

/**
 * Formats one result for a terminal: grade, id, title and refs on one line.
 * @param r the result.
 * @param colour colour the grade with ANSI escapes (for a TTY).
 * @return the line, without a line ending.
 */
std::string format_result_line(const case_result& r, bool colour = false);

/**
 * Formats the summary: the number of cases (of runs, when some ran over TLS
 * as well as in clear), then the count of each grade.
 * @param r the report.
 * @return e.g. "19 cases: 17 pass, 1 fail, 0 warn, 1 lenient, 0 info, 0 unimplemented, 0 error".
 */
std::string format_summary(const probe_report& r);

/**
 * Formats a result's finding for a terminal: the detail, the deviation
 * (lenient), the known faults, then the annotated transcript excerpt, all
 * indented.
 * @param r the result.
 * @return lines ending in LF.
 */
std::string format_finding(const case_result& r);

/**
 * Writes the terminal report: one line per case, then the summary line.
 * @param out the stream.
 * @param r the report.
 * @param details when true, each case not graded pass is followed by its
 *        finding (format_finding).
 * @param colour colour the grades (for a TTY).
 */
void write_text_report(std::ostream& out, const probe_report& r, bool details = false,
                       bool colour = false);

/**
 * Writes the case catalogue for --list: id, level, title and refs, one line each.
 * @param out the stream.
 * @param cases the cases.
 */
void write_case_list(std::ostream& out, std::span<const probe_case* const> cases);

/**
 * The report as JSON: target, profile, exit code, why the run stopped at its
 * first connection (not_run, empty when it did not), summary counts, and per
 * case its id,
 * title, level, grade, detail, deviation, known faults, tags, refs (section,
 * requirement ids, WG issues), time, whether it ran over TLS, and the
 * annotated transcript (octets shown by reference::printable).
 * @param r the report.
 * @return a JSON document.
 */
std::string to_json(const probe_report& r);

/**
 * The report as JUnit XML: one testsuite, one testcase per case; a grade
 * of fail gives a failure element, error an error element, unimplemented a
 * skipped element; the detail and the annotated transcript go into
 * system-out. Text is escaped for XML exactly once.
 * @param r the report.
 * @return an XML document.
 */
std::string to_junit(const probe_report& r);

/**
 * The report as one self-contained HTML page (inline style, no script, no
 * external asset): summary counts, then one section per case with its grade,
 * refs, finding and annotated transcript excerpt.
 * @param r the report.
 * @return an HTML document.
 */
std::string to_html(const probe_report& r);

/**
 * Escapes text for HTML and XML: the five markup characters become
 * entities, and octets that XML 1.0 forbids (controls other than TAB, LF
 * and CR) are shown by reference::printable.
 * @param raw the text.
 * @return the escaped text.
 */
std::string markup_escape(std::string_view raw);

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_REPORT_HPP
