// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_SERVER_REPLY_HPP
#define SMTPSPEC_VALIDATE_SERVER_REPLY_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::validate
{

/**
 * One reply line as the prober saw it: its raw octets, the code and
 * continuation mark found by position (so that a reply can be framed even
 * when its syntax is wrong), and what the grammar said about it.
 */
struct observed_line
{
    std::string octets;      ///< Raw octets, including the line ending.
    int code = 0;            ///< First three octets as a number; 0 when not three digits.
    bool last = true;        ///< False when the fourth octet is "-".
    std::string text;        ///< Octets after the fourth, without the line ending.
    std::string syntax_error;  ///< Empty when grammar::parse_reply_line accepted the line.
};

/**
 * Examines one reply line: frames it by position and checks it against the
 * Reply-line rule of 4.2 with grammar::parse_reply_line.
 * @param octets one line including its line ending.
 * @return the observation; syntax_error names the rule and offset on refusal.
 * @see RFC 5321 4.2, 4.2.1
 */
observed_line observe_reply_line(std::string_view octets);

/**
 * A complete reply as received: one or more lines, the last one without "-"
 * after the code. Nothing is repaired: lines with bad syntax or a code that
 * differs from the first line's are kept and reported.
 * @see RFC 5321 4.2, 4.2.1
 */
struct server_reply
{
    std::vector<observed_line> lines;  ///< The lines, in order; never empty once read.
    /// Octets after the last complete line when the read stopped (a
    /// timeout or a close) before the next line ended; empty otherwise.
    std::string unterminated;

    /**
     * @return true when the read stopped inside the reply: a line without
     *         its end, or complete lines whose last one announced more (4.2.1).
     */
    [[nodiscard]] bool unfinished() const noexcept
    {
        return !unterminated.empty() || (!lines.empty() && !lines.back().last);
    }

    /**
     * @return every octet received of an unfinished reply, complete lines
     *         and the unterminated rest, described for people by
     *         reference::unfinished_reply(); empty when unfinished() is false.
     */
    [[nodiscard]] std::string unfinished_summary() const;

    /** @return the code of the first line (0 when it had none). */
    [[nodiscard]] int code() const noexcept { return lines.empty() ? 0 : lines.front().code; }

    /** @return the first digit of the code: 2, 3, 4 or 5 for valid codes. */
    [[nodiscard]] int kind() const noexcept { return code() / 100; }

    /** @return true when every line passed the Reply-line rule of 4.2. */
    [[nodiscard]] bool valid_syntax() const noexcept;

    /** @return true when every line carries the first line's code (4.2.1, R-4.2.1-5). */
    [[nodiscard]] bool consistent_codes() const noexcept;

    /** @return the syntax errors, "line N: ..." each, joined by "; ". */
    [[nodiscard]] std::string syntax_errors() const;

    /** @return the first line without its line ending, for messages. */
    [[nodiscard]] std::string summary() const;

    /**
     * Reads this reply as the answer to EHLO (4.1.1.1).
     * @param keyword an EHLO keyword, compared without case.
     * @return the parameters of the line that offers it ("" when it has
     *         none), or nothing when no line after the first offers it.
     */
    [[nodiscard]] std::optional<std::string> ehlo_offer(std::string_view keyword) const;
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_SERVER_REPLY_HPP
