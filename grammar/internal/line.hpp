// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_INTERNAL_LINE_HPP
#define SMTPSPEC_GRAMMAR_INTERNAL_LINE_HPP

// The framing every typed line parser checks before its grammar runs: the line
// is not over its 4.5.3.1 limit, it ends in CRLF, and its first word is the
// verb. Shared by parse.cpp (RFC 5321 commands, replies) and extension.cpp
// (the commands extensions add).

#include "grammar/command.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::grammar::internal
{

/// 4.2.2: a line that is not a command at all (unknown verb, no CRLF, too long).
inline constexpr int unrecognized_reply = 500;

/** @return true when @p a and @p b are equal, ignoring the case of ASCII letters. */
inline bool equal_ignoring_case(std::string_view a, std::string_view b)
{
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

/** @return true when @p line ends with CRLF. */
inline bool ends_with_crlf(std::string_view line)
{
    return line.size() >= 2 && line.substr(line.size() - 2) == "\r\n";
}

/** @return the first word of a command line: everything before SP, HTAB, CR or LF. */
inline std::string_view verb_of(std::string_view line)
{
    // A plain loop: find_first_of calls memchr once per octet of the line.
    std::size_t end = 0;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r'
           && line[end] != '\n') {
        ++end;
    }
    return line.substr(0, end);
}

/**
 * Checks the framing of one line: at most @p max_octets octets, CRLF included
 * (4.5.3.1.4 for commands, 4.5.3.1.5 for replies), and a final CRLF (2.3.8).
 * @param line the octets of the line.
 * @param max_octets the limit.
 * @param rule the rule to name when the line is too long ("command", "Reply-line").
 * @param section the subsection of 4.5.3.1 that sets the limit.
 * @param too_long_reply the reply code for a line over the limit.
 * @return nothing when the frame is right; otherwise the error.
 */
inline std::optional<syntax_error> check_line_frame(std::string_view line, std::size_t max_octets,
                                                    std::string_view rule, std::string_view section,
                                                    int too_long_reply)
{
    if (line.size() > max_octets) {
        return syntax_error{std::string(rule), max_octets,
                            "line is " + std::to_string(line.size()) +
                                " octets, over the limit of " + std::to_string(max_octets) +
                                " (RFC 5321 " + std::string(section) + ")",
                            too_long_reply};
    }
    // spec: 2.3.8 R-2.3.8-1 implementation (only CRLF ends a line)
    if (!ends_with_crlf(line)) {
        return syntax_error{"CRLF", line.size(), "the line does not end with CRLF (RFC 5321 2.3.8)",
                            unrecognized_reply};
    }
    return std::nullopt;
}

}  // namespace smtpspec::grammar::internal

#endif  // SMTPSPEC_GRAMMAR_INTERNAL_LINE_HPP
