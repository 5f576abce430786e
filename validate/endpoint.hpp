// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_ENDPOINT_HPP
#define SMTPSPEC_VALIDATE_ENDPOINT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::validate
{

/**
 * The one address a probe talks to: a numeric IPv4 or IPv6 address and a TCP
 * port. Host names are not accepted, so a probe never asks DNS and never
 * reaches any address but the one it was given.
 */
struct endpoint
{
    std::string address;     ///< Numeric address without brackets, e.g. "::1".
    std::uint16_t port = 0;  ///< TCP port, 1..65535.

    /** @return "127.0.0.1:25" or "[::1]:25". */
    [[nodiscard]] std::string str() const;

    friend bool operator==(const endpoint&, const endpoint&) = default;
};

/**
 * Parses "ADDR:PORT" where ADDR is a numeric IPv4 address or a bracketed
 * IPv6 address ("[::1]:2525").
 * @param text the command-line argument.
 * @return the endpoint, or nothing when the text is not of that form.
 */
std::optional<endpoint> parse_endpoint(std::string_view text);

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_ENDPOINT_HPP
