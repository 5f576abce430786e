// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_LINT_HPP
#define SMTPSPEC_LINT_LINT_HPP

#include "lint/script.hpp"
#include "model/profile.hpp"
#include "spec/ref.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::lint
{

/** Who a wire line came from, or who a finding blames. */
enum class side
{
    client,  ///< The SMTP client (sender-SMTP).
    server,  ///< The SMTP server (receiver-SMTP).
};

/** @return "client" or "server". */
const char* to_string(side s) noexcept;

/** How serious a finding is, from the keyword of the requirement it breaks. */
enum class level
{
    error,    ///< A MUST or MUST NOT (or an ABNF rule) is broken.
    warning,  ///< A SHOULD or SHOULD NOT is not followed.
    note,     ///< Worth knowing; nothing is broken.
};

/** @return "error", "warning" or "note" (the SARIF level names). */
const char* to_string(level l) noexcept;

/** One departure from the standard, tied to the requirement it breaks. */
struct finding
{
    std::string rule_id;            ///< A requirement id ("R-2.3.8-3"), else "rfcNNNN/SECTION".
    level severity = level::error;  ///< From the requirement's keyword.
    side actor = side::client;      ///< Who departs from the standard.
    std::string section;            ///< The section cited, e.g. "2.3.8" or "rfc3207/4".
    std::vector<int> wg_issues;     ///< EMAILCORE issues involved, possibly none.
    std::string fault;              ///< Known-fault id (tests/known-faults.md), or empty.
    std::string message;            ///< What happened, for people.
    std::size_t line = 0;           ///< 1-based line of the input the finding is about.

    friend bool operator==(const finding&, const finding&) = default;
};

/** One line on the wire, as the linter understood it. */
struct annotated_line
{
    side from = side::client;  ///< Who sent it.
    std::string octets;        ///< The octets, with their line ending when there is one.
    std::size_t line = 0;      ///< 1-based line of the input where the octets end.
    /// The grammar rule that matched ("mail", "Reply-line", "ehlo-line", "mail data",
    /// "end of data"), or the rule that failed followed by " (failed)".
    std::string rule;
    std::string state;  ///< The model phase: "ready", or "ready -> mail" for a reply.
    std::string why;    ///< The section and ids behind the model's verdict, e.g. "4.1.1.2 R-3.3-1".
};

/** What lint() may be told. */
struct options
{
    model::profile profile = model::rfc5321();  ///< The reading of the standard.
};

/** What lint() found. */
struct result
{
    std::vector<annotated_line> lines;  ///< Every wire line, in the order sent.
    std::vector<finding> findings;      ///< Departures, in the order found.
    /// Lines of the input: of the file for lint() (comments and blank lines
    /// included), of both streams for lint_streams(). One input line may carry
    /// several wire lines ("C: a\r\nb"), so this is not lines.size().
    std::size_t input_lines = 0;
    /// Set when the input is not a dialogue file; nothing else is then filled.
    std::optional<format_error> error;

    /** @return true when the input was read and nothing was found. */
    [[nodiscard]] bool clean() const noexcept { return !error && findings.empty(); }
};

/**
 * Lints a recorded dialogue written in the format of parse_script(): every
 * wire line is matched against the grammar (grammar::parse_command,
 * grammar::parse_reply_line, grammar::parse_ehlo_line, the extension parsers)
 * and stepped through the session model (model::step) with the profile, and
 * every departure becomes a finding that names the requirement it breaks.
 *
 * Pure: no I/O, no exceptions for bad input; any string is a valid argument
 * (this is the entry point of the linter's fuzz target).
 * @param transcript the file's text.
 * @param opts the profile.
 * @return the annotated lines and findings, or the format error; a text
 *         with no entry at all (empty, or only comments and blank lines) is
 *         a format error on line 1, since there is nothing to lint.
 * @see RFC 5321 2.3.8, 4.1, 4.2, 4.3; RFC 2920 3.1; RFC 3207 4
 */
result lint(std::string_view transcript, const options& opts);

/**
 * Lints a raw capture of one connection given as the two byte streams. The
 * order in which the two sides spoke is lost in such a capture, so the streams
 * are replayed in lock step: each client command is followed by the server's
 * next reply. Findings about pipelining and about octets sent before a reply
 * cannot be made. Line numbers count \<CRLF\>-ended lines of each stream.
 * @param client_octets everything the client sent.
 * @param server_octets everything the server sent.
 * @param opts the profile.
 * @return the annotated lines and findings.
 */
result lint_streams(std::string_view client_octets, std::string_view server_octets,
                    const options& opts);

}  // namespace smtpspec::lint

#endif  // SMTPSPEC_LINT_LINT_HPP
