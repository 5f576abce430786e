// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_COMMAND_HPP
#define SMTPSPEC_GRAMMAR_COMMAND_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace smtpspec::grammar
{

/**
 * A Mailbox of 4.1.2: Local-part "@" ( Domain / address-literal ).
 *
 * Both parts are kept exactly as written on the wire (a Quoted-string local
 * part keeps its quotes and backslashes), so that printing a mailbox gives
 * back a string that parses to the same value.
 * @see RFC 5321 4.1.2
 */
struct mailbox
{
    std::string local_part;  ///< Dot-string or Quoted-string, as written.
    std::string domain;      ///< Domain, or address-literal with its brackets.

    /** @return "local@domain". */
    [[nodiscard]] std::string str() const { return local_part + '@' + domain; }

    friend bool operator==(const mailbox&, const mailbox&) = default;
};

/**
 * A Path of 4.1.2: "<" [ A-d-l ":" ] Mailbox ">".
 * @see RFC 5321 4.1.2, and Appendix C for the source route.
 */
struct path
{
    std::string source_route;  ///< A-d-l without the ":", empty if absent.
    mailbox box;               ///< The mailbox.

    friend bool operator==(const path&, const path&) = default;
};

/**
 * Reverse-path of 4.1.2: a Path, or the null path "<>".
 * @see RFC 5321 4.1.1.2, 3.6.3
 */
struct reverse_path
{
    std::optional<path> value;  ///< Empty for the null reverse-path "<>".

    /** @return true for "<>". */
    [[nodiscard]] bool is_null() const noexcept { return !value.has_value(); }

    friend bool operator==(const reverse_path&, const reverse_path&) = default;
};

/**
 * Forward-path of 4.1.1.3: "<Postmaster@" Domain ">", "<Postmaster>", or a Path.
 * @see RFC 5321 4.1.1.3
 */
struct forward_path
{
    /// True for the domain-less form "<Postmaster>" (case-insensitive).
    bool bare_postmaster = false;
    /// The path; unset only when bare_postmaster is true.
    std::optional<path> value;

    friend bool operator==(const forward_path&, const forward_path&) = default;
};

/**
 * An esmtp-param of 4.1.2: esmtp-keyword [ "=" esmtp-value ].
 * @see RFC 5321 4.1.2
 */
struct esmtp_param
{
    std::string keyword;               ///< As written (compare case-insensitively).
    std::optional<std::string> value;  ///< Absent when there is no "=".

    friend bool operator==(const esmtp_param&, const esmtp_param&) = default;
};

/** EHLO of 4.1.1.1: the client's Domain or address-literal. */
struct ehlo_command
{
    std::string domain;        ///< Domain or address-literal (with brackets).
    bool is_literal = false;   ///< True for an address-literal.

    friend bool operator==(const ehlo_command&, const ehlo_command&) = default;
};

/** HELO of 4.1.1.1: the client's Domain. */
struct helo_command
{
    std::string domain;  ///< The Domain given.

    friend bool operator==(const helo_command&, const helo_command&) = default;
};

/** MAIL of 4.1.1.2. */
struct mail_command
{
    reverse_path from;                ///< The Reverse-path.
    std::vector<esmtp_param> params;  ///< Mail-parameters, in order.

    friend bool operator==(const mail_command&, const mail_command&) = default;
};

/** RCPT of 4.1.1.3. */
struct rcpt_command
{
    forward_path to;                  ///< The Forward-path.
    std::vector<esmtp_param> params;  ///< Rcpt-parameters, in order.

    friend bool operator==(const rcpt_command&, const rcpt_command&) = default;
};

/** DATA of 4.1.1.4. */
struct data_command
{
    friend bool operator==(const data_command&, const data_command&) = default;
};

/** RSET of 4.1.1.5. */
struct rset_command
{
    friend bool operator==(const rset_command&, const rset_command&) = default;
};

/** VRFY of 4.1.1.6: a String (a user name or mailbox). */
struct vrfy_command
{
    std::string argument;   ///< The String, as written.
    bool smtputf8 = false;  ///< RFC 6531 3.7.4.2: " SMTPUTF8" followed the String.

    friend bool operator==(const vrfy_command&, const vrfy_command&) = default;
};

/** EXPN of 4.1.1.7: a String (a list name). */
struct expn_command
{
    std::string argument;   ///< The String, as written.
    bool smtputf8 = false;  ///< RFC 6531 3.7.4.2: " SMTPUTF8" followed the String.

    friend bool operator==(const expn_command&, const expn_command&) = default;
};

/** HELP of 4.1.1.8, with an optional topic. */
struct help_command
{
    std::optional<std::string> topic;  ///< The String, if any.

    friend bool operator==(const help_command&, const help_command&) = default;
};

/** NOOP of 4.1.1.9, with an optional String that is ignored. */
struct noop_command
{
    std::optional<std::string> argument;  ///< The String, if any.

    friend bool operator==(const noop_command&, const noop_command&) = default;
};

/** QUIT of 4.1.1.10. */
struct quit_command
{
    friend bool operator==(const quit_command&, const quit_command&) = default;
};

/** Any command of 4.1.1 that the grammar knows. */
using command = std::variant<ehlo_command, helo_command, mail_command, rcpt_command,
                             data_command, rset_command, vrfy_command, expn_command,
                             help_command, noop_command, quit_command>;

/**
 * Why a line is not a valid command.
 *
 * A line whose verb is unknown is a 500 (command unrecognized); a known verb
 * with bad arguments is a 501 (4.2.2, 4.3.2).
 */
struct syntax_error
{
    std::string rule;     ///< ABNF rule that failed, e.g. "Reverse-path".
    std::size_t offset;   ///< Byte offset in the line where it failed.
    std::string message;  ///< What was expected there, for people.
    int reply_code;       ///< 500 (unknown verb or no CRLF) or 501 (bad arguments).

    friend bool operator==(const syntax_error&, const syntax_error&) = default;
};

/** @return the command's verb in upper case ("EHLO", "MAIL", ...). */
const char* verb(const command& c) noexcept;

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_COMMAND_HPP
