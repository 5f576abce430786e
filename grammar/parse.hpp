// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_PARSE_HPP
#define SMTPSPEC_GRAMMAR_PARSE_HPP

#include "grammar/command.hpp"
#include "grammar/reply.hpp"

#include <string_view>
#include <variant>

namespace smtpspec::grammar
{

/** Tolerances a server may apply when parsing commands. */
struct parse_options
{
    /// WG #105, 4.1.1 R-4.1.1-1: accept white space before the final CRLF.
    bool tolerate_trailing_space = false;
};

/** A parsed command, or the reason the line is not one. */
using command_result = std::variant<command, syntax_error>;

/**
 * Parses one command line of 4.1.1, including its final CRLF.
 *
 * The verb is matched case-insensitively (2.4). The whole line must match
 * the command's ABNF; nothing is repaired or guessed.
 * @param line the octets of one line, ending in CRLF.
 * @return the command, or a syntax_error naming the rule and offset.
 * @see RFC 5321 4.1.1, 4.1.2
 */
command_result parse_command(std::string_view line);

/**
 * Parses one command line with the given tolerances.
 * @param line the octets of one line, ending in CRLF.
 * @param options the tolerances to apply.
 * @return the command, or a syntax_error naming the rule and offset.
 */
command_result parse_command(std::string_view line, const parse_options& options);

/**
 * Parses a Mailbox of 4.1.2 with nothing before or after it.
 * @param text e.g. "user@example.org".
 * @return the mailbox, or a syntax_error naming the rule and offset.
 */
std::variant<mailbox, syntax_error> parse_mailbox(std::string_view text);

/**
 * Parses one Reply-line of 4.2, including its final CRLF.
 * @param line e.g. "250-mx.example.org\r\n".
 * @return the line, or a syntax_error naming the rule and offset.
 * @see RFC 5321 4.2
 */
std::variant<reply_line, syntax_error> parse_reply_line(std::string_view line);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_PARSE_HPP
