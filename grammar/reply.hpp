// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_REPLY_HPP
#define SMTPSPEC_GRAMMAR_REPLY_HPP

#include <string>
#include <vector>

namespace smtpspec::grammar
{

/**
 * One line of a reply (4.2): Reply-code, then "-" on every line but the last,
 * then the text.
 * @see RFC 5321 4.2
 */
struct reply_line
{
    int code = 0;       ///< The Reply-code, 200..599 when valid.
    bool last = true;   ///< False when the code is followed by "-".
    std::string text;   ///< textstring after the separator; may be empty.
    /**
     * The last line was the code, a space and nothing else ("250 " CRLF).
     * The ABNF of 4.2 has no such line (a space must be followed by a
     * textstring), but the prose of 4.2.1 (R-4.2.1-3) asks a server that sends
     * no text to send the space all the same, so parse_reply_line() accepts
     * it and says so here; see docs/grammar-choices.md.
     */
    bool space_without_text = false;

    friend bool operator==(const reply_line&, const reply_line&) = default;
};

/** A complete reply: one or more lines with the same code (4.2.1). */
struct reply
{
    int code = 0;                     ///< The code all lines share.
    std::vector<std::string> lines;   ///< Text of each line, in order.

    /** @return the first digit: 2 positive, 3 intermediate, 4 or 5 negative. */
    [[nodiscard]] int kind() const noexcept { return code / 100; }

    friend bool operator==(const reply&, const reply&) = default;
};

/**
 * Formats a reply for the wire: "250-a\r\n250 b\r\n"; a line with empty text
 * is written as the bare code, e.g. "250\r\n".
 * @param r the reply; it must have at least one line.
 * @return the octets to send.
 */
std::string format_reply(const reply& r);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_REPLY_HPP
