// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_PARSE_HPP
#define SMTPSPEC_GRAMMAR_PARSE_HPP

#include "grammar/command.hpp"
#include "grammar/limits.hpp"
#include "grammar/print.hpp"
#include "grammar/reply.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::grammar
{

/** A parsed command, or the reason the line is not one. */
using command_result = std::variant<command, syntax_error>;

/**
 * Departures from the strict grammar that a parser may be asked to make.
 *
 * Every member defaults to the strict reading of RFC 5321.
 */
struct parse_options
{
    /**
     * Accept SP and HTAB between the last argument (or the verb) and the CRLF.
     *
     * 4.1.1 recommends that receivers tolerate such trailing white space
     * (R-4.1.1-1; EMAILCORE issue #105), although no command's ABNF allows it.
     */
    bool tolerate_trailing_space = false;

    /**
     * Parse with the SMTPUTF8 grammar of RFC 6531 3.3: UTF-8 in local parts,
     * domains (U-labels), quoted strings and parameter values, and VRFY/EXPN
     * with " SMTPUTF8". Set when the server offers SMTPUTF8 (RFC 6531 3.2).
     * Octets over 127 are then not refused up front (RFC 5321 2.4); they must
     * form UTF-8 where the extended grammar allows them.
     */
    bool smtputf8 = false;

    /**
     * The longest command line accepted, CRLF included. 4.5.3.1.4 sets 512 and
     * lets extensions raise it (RFC 1870 4, for instance, adds 26 octets to
     * MAIL for SIZE=); a server may also accept more (4.5.3.1).
     */
    std::size_t command_line_octets = limits::command_line_octets;
};

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
 * Parses one command line of 4.1.1 as parse_command(line) does, with the
 * departures from the strict grammar that @p options selects.
 * @param line the octets of one line, ending in CRLF.
 * @param options the leniencies to apply.
 * @return the command, or a syntax_error naming the rule and offset.
 * @see RFC 5321 4.1.1, 4.1.2, 4.5.3.1
 */
command_result parse_command(std::string_view line, const parse_options& options);

/**
 * @param text any octets.
 * @return true when the whole text is an Atom of 4.1.2 (1*atext, RFC 5322
 *         3.2.3: no dots, no spaces, no specials).
 */
bool is_atom(std::string_view text);

/**
 * Parses a Mailbox of 4.1.2 with nothing before or after it.
 * @param text e.g. "user@example.org".
 * @return the mailbox, or a syntax_error naming the rule and offset.
 */
std::variant<mailbox, syntax_error> parse_mailbox(std::string_view text);

/**
 * Parses one Reply-line of 4.2, including its final CRLF.
 *
 * Beyond the ABNF it accepts one form the prose asks for: a last line of
 * the code and a space with no text ("250 " CRLF, 4.2.1 R-4.2.1-3), marked
 * reply_line::space_without_text. The rule Reply-line itself stays exactly
 * the ABNF (`smtpspec parse Reply-line` rejects that line).
 * @param line e.g. "250-mx.example.org\r\n".
 * @return the line, or a syntax_error naming the rule and offset.
 * @see RFC 5321 4.2
 */
std::variant<reply_line, syntax_error> parse_reply_line(std::string_view line);

/** One keyword line of an EHLO reply (4.1.1.1): ehlo-keyword *( SP ehlo-param ). */
struct ehlo_keyword_line
{
    std::string keyword;              ///< As written (compare case-insensitively).
    std::vector<std::string> params;  ///< The ehlo-params, in order.

    friend bool operator==(const ehlo_keyword_line&, const ehlo_keyword_line&) = default;
};

/** The first line of a positive EHLO reply (4.1.1.1): Domain [ SP ehlo-greet ]. */
struct ehlo_greeting_line
{
    std::string domain;    ///< The server's Domain, as written.
    std::string greeting;  ///< The ehlo-greet after it; empty when there is none.

    friend bool operator==(const ehlo_greeting_line&, const ehlo_greeting_line&) = default;
};

/**
 * Parses the text of the first line of a 250 reply to EHLO, the part of
 * ehlo-ok-rsp after "250 " or "250-" (4.1.1.1): the server's Domain, then
 * optionally a space and any greeting text.
 * @param text the reply line's text, e.g. "mx.example.org Hello" from
 *        "250-mx.example.org Hello".
 * @return the Domain and greeting, or a syntax_error (reply_code 500,
 *         meaning the line is not valid; nothing is answered to a reply).
 * @see RFC 5321 4.1.1.1
 */
std::variant<ehlo_greeting_line, syntax_error> parse_ehlo_greeting_line(std::string_view text);

/**
 * Parses the text of an EHLO reply line after the first (4.1.1.1 ehlo-line).
 * @param text the reply line's text, e.g. "AUTH PLAIN LOGIN" from "250-AUTH PLAIN LOGIN".
 * @return the keyword and its parameters, or a syntax_error (reply_code 500,
 *         meaning the line is not valid; nothing is answered to a reply).
 * @see RFC 5321 4.1.1.1
 */
std::variant<ehlo_keyword_line, syntax_error> parse_ehlo_line(std::string_view text);

/**
 * Checks what the ABNF of an address-literal leaves to its comments (4.1.3):
 * every Snum is at most 255; an IPv6-comp has at most 6 groups besides "::",
 * an IPv6v4-comp at most 4; and a literal tagged "IPv6:" holds an IPv6-addr.
 * @param literal an address-literal, brackets included, that matches the rule.
 * @return nothing when the literal is acceptable, otherwise the error, with its
 *         offset counted from the "[".
 * @see RFC 5321 4.1.3
 */
std::optional<syntax_error> check_address_literal(std::string_view literal);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_PARSE_HPP
