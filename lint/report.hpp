// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_REPORT_HPP
#define SMTPSPEC_LINT_REPORT_HPP

#include "lint/lint.hpp"

#include <string>
#include <string_view>

namespace smtpspec::lint
{

/**
 * Renders a lint result for people: each wire line as "LINE C: text" (in the
 * input format, so the lines can be linted again) followed by its annotation
 * "[rule | state | section ids]", each finding under the line it is about,
 * and a summary: "NAME: N lines (M on the wire), F findings (...)", N
 * being r.input_lines and M the wire lines (an input line may hold several).
 * @param r the result; r.error must be empty.
 * @param file_name the name shown in the summary.
 * @return the text, ending in a newline.
 */
std::string to_text(const result& r, std::string_view file_name);

/**
 * Renders a lint result as a SARIF 2.1.0 log: one run of the tool
 * "smtpspec lint", one reporting rule per requirement id found (with the
 * catalogue's summary and section), one result per finding located by file
 * and line.
 * @param r the result; r.error must be empty.
 * @param file_uri the artifact's URI, e.g. the path given on the command line.
 * @return the JSON text, ending in a newline.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/
 */
std::string to_sarif(const result& r, std::string_view file_uri);

}  // namespace smtpspec::lint

#endif  // SMTPSPEC_LINT_REPORT_HPP
