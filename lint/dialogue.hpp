// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_DIALOGUE_HPP
#define SMTPSPEC_LINT_DIALOGUE_HPP

// Dialogue scripts: the format of lint/script.hpp read as a test against a
// live server. This header holds the pure part, the matching of what the
// server sent against what the script expects; `smtpspec dialogue run` does
// the I/O.

#include "lint/script.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::lint
{

/**
 * Matches one reply line against an "S:" line of a script.
 * @param pattern the octets of the "S:" entry; "*" matches any run of octets
 *        (possibly empty) other than CR and LF, "\\x2A" a literal star.
 * @param line the line the server sent, with its line ending.
 * @return true when the line matches.
 */
bool matches_line(std::string_view pattern, std::string_view line);

/**
 * Matches a reply code against an "expect" pattern.
 * @param pattern three characters, each a digit or "x" (any digit).
 * @param code the code of the reply.
 * @return true when the code matches.
 */
bool matches_code(std::string_view pattern, int code) noexcept;

/**
 * A script step that needs the network: what the runner does, in order.
 * Consecutive "C:" entries are joined into one send, so that a pipelined
 * group goes out in one write (RFC 2920 3.1).
 */
struct step
{
    entry_kind kind = entry_kind::client;  ///< client: send; others as in entry.
    std::string octets;                    ///< client: what to send; server: the pattern.
    std::string code;                      ///< expect_reply: the code pattern.
    std::size_t line = 0;                  ///< Line of the script (the first, for a send).
};

/**
 * Turns the entries of a script into the steps a runner performs.
 * @param entries what parse_script() returned.
 * @return the steps.
 */
std::vector<step> plan(const std::vector<entry>& entries);

}  // namespace smtpspec::lint

#endif  // SMTPSPEC_LINT_DIALOGUE_HPP
