// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_SCRIPT_HPP
#define SMTPSPEC_LINT_SCRIPT_HPP

// The text format of recorded dialogues and dialogue scripts (docs/lint.md):
// one entry per line of the file, "C: " for octets the client sent, "S: " for
// octets the server sent, "#" for comments, and a few directives.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::lint
{

/** What one line of a dialogue file stands for. */
enum class entry_kind
{
    client,        ///< "C: text": octets the client sent.
    server,        ///< "S: text": octets the server sent (a script: a reply line expected).
    expect_reply,  ///< "expect 250" or "expect 2xx": one complete reply with that code.
    expect_close,  ///< "expect close": the server closes the connection.
    starttls,      ///< "starttls": the TLS handshake happens here (RFC 3207 4).
    reconnect,     ///< "reconnect": the connection closes and a new one opens.
};

/** One entry of a dialogue file. */
struct entry
{
    entry_kind kind = entry_kind::client;  ///< What the line stands for.
    std::string octets;                    ///< client and server: the octets, escapes resolved.
    std::string code;                      ///< expect_reply: three characters, digits or "x".
    std::size_t line = 0;                  ///< 1-based line number in the file.

    friend bool operator==(const entry&, const entry&) = default;
};

/** Why a dialogue file cannot be read. */
struct format_error
{
    std::size_t line = 0;  ///< 1-based line number of the offending line.
    std::string message;   ///< What is wrong, for people.

    friend bool operator==(const format_error&, const format_error&) = default;
};

/**
 * Reads a dialogue file.
 *
 * Each line is one entry. "C: " and "S: " are followed by text in which
 * "\\r", "\\n", "\\t", "\\\\" and "\\xHH" stand for CR, LF, TAB, a backslash
 * and any octet. Unless the resolved text ends in CR or LF, the line's octets
 * are the text followed by \<CRLF\>; a text ending in an unescaped backslash
 * is sent without any line ending (it continues in the next entry of the same
 * side). Blank lines and lines starting with "\#" are comments. The directives
 * are "expect CODE" (CODE is three digits, or digits and "x"), "expect close",
 * "starttls" and "reconnect". A file with \<CRLF\> line endings reads the same.
 * @param text the whole file.
 * @return the entries in file order, or the first error with its line.
 */
std::variant<std::vector<entry>, format_error> parse_script(std::string_view text);

/**
 * Resolves the escapes of parse_script()'s text format, and only them:
 * "\\r", "\\n", "\\t", "\\\\" and "\\xHH" (two hexadecimal digits). Shared by
 * the linter and `smtpspec parse -e`, so that both accept the same texts.
 * @param text the text.
 * @param first_column 1-based column of text[0] in what the user wrote, for
 *        the message.
 * @return the octets, or a format_error with line 0 and why, e.g.
 *         "unknown escape \\q (column N); use ...", N being the column of the
 *         character after the backslash. A backslash at the very end is an
 *         error here (parse_script() reads it as "no line ending" first).
 */
std::variant<std::string, format_error> decode_escapes(std::string_view text,
                                                       std::size_t first_column);

/**
 * Escapes octets the way parse_script() reads them: printable ASCII as is,
 * CR, LF and TAB as "\\r", "\\n", "\\t", the backslash doubled, other octets
 * as "\\xHH". A final \<CRLF\> is left out when parse_script() would add it
 * back; octets with no line ending at all end in a single backslash.
 * @param octets raw octets.
 * @return the text to write after "C: " or "S: ".
 */
std::string escape_line(std::string_view octets);

}  // namespace smtpspec::lint

#endif  // SMTPSPEC_LINT_SCRIPT_HPP
