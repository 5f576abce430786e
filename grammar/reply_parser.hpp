// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_REPLY_PARSER_HPP
#define SMTPSPEC_GRAMMAR_REPLY_PARSER_HPP

// The typed parser of whole replies (4.2, 4.2.1): lines in, one reply out, or
// the line and the octet where the reply breaks the grammar or the rules the
// prose adds to it (one code on every line, 512 octets a line, an enhanced
// status code that agrees with the reply code).

#include "grammar/command.hpp"
#include "grammar/extension.hpp"
#include "grammar/reply.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::grammar
{

/** What a reply parser checks beyond the ABNF of 4.2. */
struct reply_options
{
    /**
     * The server offered ENHANCEDSTATUSCODES: a status code at the start of the
     * first line's text is read, and when there is one it must agree with the
     * reply code and start every line of the reply (RFC 2034 4).
     */
    bool enhanced_status_codes = false;
};

/** A complete reply as read from the wire. */
struct parsed_reply
{
    int code = 0;                           ///< The code every line carries.
    std::optional<enhanced_status> status;  ///< From the first line, when asked for and present.
    std::vector<std::string> lines;         ///< The text of each line as sent, status included.

    /** @return the reply without its status code, as format_reply() writes it. */
    [[nodiscard]] reply plain() const { return reply{code, lines}; }

    friend bool operator==(const parsed_reply&, const parsed_reply&) = default;
};

/** Why a reply is not valid, and where. */
struct reply_error
{
    std::size_t line = 0;  ///< The line at fault, counted from 0.
    /// The rule that failed, the offset within that line, and the message;
    /// reply_code is 500 ("not a valid reply", nothing is answered to a reply).
    syntax_error error;

    friend bool operator==(const reply_error&, const reply_error&) = default;
};

/** A reply, or the reason the lines are not one. */
using reply_result = std::variant<parsed_reply, reply_error>;

/**
 * Builds replies line by line, as a client reads them from the wire.
 *
 * Each line must be a Reply-line of 4.2 on its own (Reply-code, "-" or SP or
 * nothing, text, CRLF) and at most 512 octets with its CRLF (4.5.3.1.5); the
 * reply ends at the first line without "-"; every line carries the code of
 * the first (4.2.1). After a complete reply or an error the assembler is
 * empty and the next line starts a new reply.
 */
class reply_assembler
{
public:
    /** @param options what to check beyond the ABNF. */
    explicit reply_assembler(reply_options options = {}) : options_(options) {}

    /**
     * Adds one line.
     * @param line the octets of one line, ending in CRLF.
     * @return nothing when the reply goes on; otherwise the reply, or the error.
     * @see RFC 5321 4.2, 4.2.1, 4.5.3.1.5
     */
    std::optional<reply_result> add(std::string_view line);

    /** @return true after a line with "-": a reply is begun and not finished. */
    [[nodiscard]] bool in_reply() const noexcept { return !lines_.empty(); }

    /** Forgets a begun reply (the connection was closed, for instance). */
    void reset() noexcept { lines_.clear(); }

private:
    reply_options options_;
    int code_ = 0;
    std::vector<std::string> lines_;
};

/**
 * Parses one whole reply: one or more lines, each ending in CRLF, and
 * nothing after the last line (the one without "-").
 * @param text e.g. "250-mx.example.org\r\n250 SIZE 1000\r\n".
 * @param options what to check beyond the ABNF.
 * @return the reply, or the line and offset where it breaks 4.2, 4.2.1 or
 *         4.5.3.1.5; the error's line counts from 0, its offset from the start
 *         of that line. A reply that stops after a line with "-" is an error
 *         at the end of the input.
 */
reply_result parse_reply(std::string_view text, reply_options options = {});

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_REPLY_PARSER_HPP
