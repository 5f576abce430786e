// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_TRACE_HPP
#define SMTPSPEC_REFERENCE_TRACE_HPP

#include "spec/ref.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::reference
{

/** Who a trace line is about. */
enum class trace_source
{
    client,  ///< A line the client sent ("C:").
    server,  ///< A line the server sent ("S:").
    note,    ///< An observation: mail data summary, a deviation, a delivery.
};

/**
 * One annotated line of a session: what was said, and the sections,
 * requirements and WG issues behind it.
 */
struct trace_event
{
    std::uint64_t session = 0;      ///< Connection number, from 1.
    trace_source source = trace_source::note;  ///< Who said it.
    std::string text;               ///< The line without CRLF, or the note.
    std::optional<spec::ref> why;   ///< The standard behind it, when known.
};

/**
 * Formats an event for people: "C: MAIL FROM:<a@example.org>   [4.1.1.2 R-3.3-1]".
 * The text is shown by printable(): control characters as \\r, \\n or \\xHH,
 * valid UTF-8 as it is.
 * @param e the event.
 * @return one line, without a line ending.
 */
std::string format_text(const trace_event& e);

/**
 * Formats an event as one JSON object (JSON Lines): session, source ("C",
 * "S" or "note"), line, section, requirements and wg.
 * @param e the event.
 * @return one line of JSON, without a line ending.
 */
std::string format_json(const trace_event& e);

/** Output format of a trace. */
enum class trace_format
{
    text,  ///< format_text
    json,  ///< format_json
};

/**
 * @param e the event.
 * @param f the format.
 * @return the event in that format.
 */
std::string format(const trace_event& e, trace_format f);

/**
 * Shows octets for a log or a terminal: printable ASCII and valid UTF-8
 * (RFC 3629 4; a reply in an SMTPUTF8 session may hold it, RFC 6531 3.7.4)
 * as they are; CR, LF, TAB and the backslash as "\\r", "\\n", "\\t",
 * "\\\\"; every other octet as "\\xHH": the other controls, DEL, each
 * octet that is not part of a valid UTF-8 character, and each octet of the
 * characters that would change the layout of the line (the C1 controls, the
 * Unicode line and paragraph separators and the bidirectional controls).
 * The result is valid UTF-8 on one line, and reads back unambiguously.
 * @param bytes raw octets.
 * @return a printable string.
 */
std::string printable(std::string_view bytes);

/**
 * Quotes a value for a key=value log line: printable() with '"' escaped
 * too, between double quotes, so the value can hold spaces and never ends
 * the line or the field.
 * @param value raw octets (a path, a reason).
 * @return the escaped value between double quotes.
 */
std::string log_quoted(std::string_view value);

/**
 * Describes a reply the peer began and did not finish before a timeout or a
 * close, for people: the octets received (log_quoted(), at most limit of
 * them, then "..." and the total), and what was missing: the CRLF that ends
 * every reply line (2.3.8 R-2.3.8-1, 4.2), or, when every line received was
 * complete, the last line of a multi-line reply (4.2.1).
 * @param received the octets of the unfinished reply, its complete lines
 *        included; not empty.
 * @param limit the most octets shown.
 * @return e.g. "\"220 hi\" without the CRLF that ends a reply line (RFC 5321
 *         4.2, 2.3.8 R-2.3.8-1)".
 */
std::string unfinished_reply(std::string_view received, std::size_t limit = 120);

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_TRACE_HPP
