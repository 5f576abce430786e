// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_EXTENSION_HPP
#define SMTPSPEC_GRAMMAR_EXTENSION_HPP

// Typed parsing for the service extensions whose grammar is in
// grammar/rules/extensions/: the commands they add (BDAT, STARTTLS, AUTH) and
// the values of the MAIL and RCPT parameters they define.

#include "grammar/command.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace smtpspec::grammar
{

/** BDAT of RFC 3030 2: a chunk of message data of a given size. */
struct bdat_command
{
    std::uint64_t chunk_size = 0;  ///< Octets of data that follow the command line.
    bool last = false;             ///< True when "LAST" ends the message.

    friend bool operator==(const bdat_command&, const bdat_command&) = default;
};

/** STARTTLS of RFC 3207 4. */
struct starttls_command
{
    friend bool operator==(const starttls_command&, const starttls_command&) = default;
};

/** The first line of AUTH of RFC 4954 4. */
struct auth_command
{
    std::string mechanism;                        ///< sasl-mech, as written.
    std::optional<std::string> initial_response;  ///< base64 or "=", if given.

    friend bool operator==(const auth_command&, const auth_command&) = default;
};

/** An enhanced status code of RFC 3463: class "." subject "." detail. */
struct enhanced_status
{
    int status_class = 0;  ///< 2, 4 or 5 ("class" in RFC 3463).
    int subject = 0;       ///< 0..999.
    int detail = 0;        ///< 0..999.

    friend bool operator==(const enhanced_status&, const enhanced_status&) = default;
};

/**
 * Reads the status-code that starts a reply text under ENHANCEDSTATUSCODES
 * (RFC 2034 4), e.g. "2.1.0 Sender OK".
 * @param text the text of a reply line, after the code and separator.
 * @return the status code when the text starts with one followed by SP or the
 *         end of the text; nothing otherwise.
 * @see RFC 3463 2, RFC 2034 4
 */
std::optional<enhanced_status> parse_enhanced_status(std::string_view text);

/** A command added by a service extension. */
using extension_command = std::variant<bdat_command, starttls_command, auth_command>;

/**
 * Parses a command line of BDAT (RFC 3030), STARTTLS (RFC 3207) or AUTH
 * (RFC 4954), including its final CRLF.
 *
 * Any other verb gives a 500 error naming the rule "command"; a known verb
 * with bad arguments a 501 naming the failed rule and offset, as for
 * parse_command().
 * @param line the octets of one line, ending in CRLF.
 * @return the command, or the syntax error.
 */
std::variant<extension_command, syntax_error> parse_extension_command(std::string_view line);

/**
 * Decodes xtext (RFC 3461 4; RFC 4954 8 also allows lower-case hex digits).
 * @param text the encoded value.
 * @param lower_case_hex true to accept "+2b" as well as "+2B" (RFC 4954).
 * @return the decoded octets, or nothing when @p text is not xtext.
 */
std::optional<std::string> decode_xtext(std::string_view text, bool lower_case_hex = false);

/**
 * Encodes octets as xtext (RFC 3461 4): "!" to "~" stay as they are, except
 * "+" and "=", which become "+2B" and "+3D" like every other octet ("+" and
 * two upper-case hex digits).
 * @param text the octets.
 * @return xtext that decode_xtext() turns back into @p text.
 */
std::string encode_xtext(std::string_view text);

/**
 * Checks the value of a MAIL parameter defined by an extension: SIZE
 * (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET and ENVID
 * (RFC 3461), AUTH (RFC 4954) and MT-PRIORITY (RFC 6710). Other keywords are
 * not checked: whether they are offered is for the session to decide (555).
 * @param p a parameter from mail_command::params.
 * @return nothing when acceptable; otherwise a 501 error whose offset counts
 *         from the start of the keyword.
 */
std::optional<syntax_error> check_mail_parameter(const esmtp_param& p);

/**
 * Checks the value of an RCPT parameter defined by an extension: NOTIFY and
 * ORCPT (RFC 3461). Other keywords are not checked.
 * @param p a parameter from rcpt_command::params.
 * @return nothing when acceptable; otherwise a 501 error as for check_mail_parameter().
 */
std::optional<syntax_error> check_rcpt_parameter(const esmtp_param& p);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_EXTENSION_HPP
