// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_INTERNAL_FINDINGS_HPP
#define SMTPSPEC_LINT_INTERNAL_FINDINGS_HPP

// Helpers of the linter that turn a spec::ref into a finding, and the checks
// of single lines that need no session state.

#include "grammar/command.hpp"
#include "lint/lint.hpp"
#include "spec/ref.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace smtpspec::lint::internal
{

/**
 * Builds a finding from the ref that justifies it.
 * @param why the section and requirements broken; the first requirement id
 *        becomes the rule id, else the section ("rfc5321/4.1.2", "rfc3207/4").
 * @param actor who departs from the standard.
 * @param line the input line.
 * @param message what happened.
 * @param fault a known-fault id, or empty.
 * @return the finding, its level taken from the requirement's keyword.
 */
finding make_finding(const spec::ref& why, side actor, std::size_t line, std::string message,
                     std::string_view fault = {});

/** @return the section and requirement ids of a ref, e.g. "4.1.1.2 R-3.3-1 WG#101". */
std::string describe(const spec::ref& why);

/** @return the ABNF rule name of a command of 4.1.1 ("ehlo", "mail", ...). */
const char* rule_name(const grammar::command& c) noexcept;

/**
 * The finding for a command line the grammar refused.
 * @param line the command line, with its CRLF.
 * @param error the grammar's verdict.
 * @param at the input line.
 * @return a finding naming the requirement the line breaks (or its section).
 */
finding syntax_finding(std::string_view line, const grammar::syntax_error& error, std::size_t at);

/**
 * The finding for a reply line the grammar refused (4.2).
 * @param line the reply line, with its CRLF.
 * @param error the grammar's verdict.
 * @param at the input line.
 * @return the finding: a first digit outside 2..5 breaks R-4.2-12, a second
 *         digit outside 0..5 R-4.2-3 (known fault B37), a code not followed by
 *         SP, "-" or CRLF ("2500 text") R-4.3.2-3, anything else (the text) 4.2.
 */
finding reply_syntax_finding(std::string_view line, const grammar::syntax_error& error,
                             std::size_t at);

/**
 * Names the end-of-data look-alike a data line holds, if any: a bare LF or CR
 * next to a lone "." that a lax server takes for the end of the data.
 * @param line a mail-data line, with its CRLF.
 * @return the known-fault id (B01, B02, B03) and the sequence, or nothing.
 */
std::optional<std::pair<std::string, std::string>> smuggling_form(std::string_view line);

/** @return true when the octets hold a CR or LF that is not part of a CRLF. */
bool has_bare_cr_or_lf(std::string_view body) noexcept;

}  // namespace smtpspec::lint::internal

#endif  // SMTPSPEC_LINT_INTERNAL_FINDINGS_HPP
