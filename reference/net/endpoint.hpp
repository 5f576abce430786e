// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_ENDPOINT_HPP
#define SMTPSPEC_REFERENCE_NET_ENDPOINT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::reference::net
{

/** A host and port as written on a command line. */
struct host_port
{
    std::string host;        ///< "127.0.0.1", "::1" (without brackets) or a name.
    std::uint16_t port = 0;  ///< 0 lets the system choose when listening.

    /** @return "127.0.0.1:25" or "[::1]:25". */
    [[nodiscard]] std::string str() const;
};

/**
 * Parses "HOST:PORT" or "[IPv6]:PORT".
 * @param text the argument.
 * @return the host and port, or nothing when the text has another shape.
 */
std::optional<host_port> parse_host_port(std::string_view text);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_ENDPOINT_HPP
