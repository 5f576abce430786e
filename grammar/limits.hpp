// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_LIMITS_HPP
#define SMTPSPEC_GRAMMAR_LIMITS_HPP

// The size limits of RFC 5321 4.5.3.1. Every implementation must be able to
// receive objects of these sizes (4.5.3.1, R-4.5.3.1-1); the typed parsers of
// grammar/parse.hpp refuse anything larger. The pure rules of grammar/rules/
// do not count octets: the ABNF has no length limits.

#include <cstddef>

namespace smtpspec::grammar::limits
{

/// RFC 5321 4.5.3.1.1: the longest Local-part, in octets.
inline constexpr std::size_t local_part_octets = 64;

/// RFC 5321 4.5.3.1.2: the longest Domain or address-literal, in octets.
inline constexpr std::size_t domain_octets = 255;

/// RFC 5321 4.5.3.1.3: the longest Reverse-path or Forward-path, in octets,
/// counting "<", ">" and any source route.
inline constexpr std::size_t path_octets = 256;

/// RFC 5321 4.5.3.1.4: the longest command line, in octets, counting the verb
/// and the final CRLF.
inline constexpr std::size_t command_line_octets = 512;

/// RFC 5321 4.5.3.1.5: the longest reply line, in octets, counting the reply
/// code and the final CRLF.
inline constexpr std::size_t reply_line_octets = 512;

/// RFC 5321 4.5.3.1.6: the longest line of mail data, in octets, counting the
/// final CRLF but not a dot added for transparency (4.5.2).
inline constexpr std::size_t text_line_octets = 1000;

/**
 * RFC 5321 4.5.3.1.9: the reply to a line over command_line_octets.
 *
 * The section's own example for an over-long line is "500 Line too long"; the
 * line cannot be read as a command at all, so it is a 500, not a 501.
 */
inline constexpr int line_too_long_reply = 500;

/**
 * RFC 5321 4.5.3.1.9: the reply to a path, local part or domain over its limit.
 *
 * The section's example is "501 Path too long": the command was recognised and
 * only its argument is unacceptable, which is what 501 means (4.2.2). The
 * 452 of 4.5.3.1.10 is for too many recipients, which is not a syntax matter
 * and belongs to the session model, not to the grammar.
 */
inline constexpr int argument_too_long_reply = 501;

}  // namespace smtpspec::grammar::limits

#endif  // SMTPSPEC_GRAMMAR_LIMITS_HPP
