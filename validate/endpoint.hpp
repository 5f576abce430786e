// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_ENDPOINT_HPP
#define SMTPSPEC_VALIDATE_ENDPOINT_HPP

#include "reference/net/endpoint.hpp"

#include <optional>
#include <string_view>

namespace smtpspec::validate
{

/**
 * The one address a probe talks to: a numeric IPv4 or IPv6 address (in
 * host, without brackets) and a TCP port. It is the reference network
 * shell's host_port; parse_endpoint() admits only numeric addresses, so a
 * probe never asks DNS and never reaches any address but the one it was given.
 */
using endpoint = reference::net::host_port;

/**
 * Parses "ADDR:PORT" where ADDR is a numeric IPv4 address or a bracketed
 * IPv6 address ("[::1]:2525"), with reference::net::parse_host_port, and
 * refuses names, port 0 and brackets around IPv4.
 * @param text the command-line argument.
 * @return the endpoint (address in its canonical form), or nothing when the
 *         text is not of that form.
 */
std::optional<endpoint> parse_endpoint(std::string_view text);

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_ENDPOINT_HPP
