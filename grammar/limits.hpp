// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_LIMITS_HPP
#define SMTPSPEC_GRAMMAR_LIMITS_HPP

#include <cstddef>

/// The minimum sizes of 4.5.3.1 that every implementation must accept.
namespace smtpspec::grammar::limits
{

/// 4.5.3.1.1: octets of a Local-part.
inline constexpr std::size_t local_part = 64;
/// 4.5.3.1.2: octets of a domain name or number.
inline constexpr std::size_t domain = 255;
/// 4.5.3.1.3: octets of a reverse- or forward-path, brackets included.
inline constexpr std::size_t path = 256;
/// 4.5.3.1.4: octets of a command line, verb to CRLF inclusive.
inline constexpr std::size_t command_line = 512;
/// 4.5.3.1.5: octets of a reply line, code to CRLF inclusive.
inline constexpr std::size_t reply_line = 512;
/// 4.5.3.1.6: octets of a text line of mail data, CRLF included, stuffing dot not.
inline constexpr std::size_t text_line = 1000;
/// 4.5.3.1.8: recipients a server must be able to buffer per transaction.
inline constexpr std::size_t recipients = 100;

}  // namespace smtpspec::grammar::limits

#endif  // SMTPSPEC_GRAMMAR_LIMITS_HPP
