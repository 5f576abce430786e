// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/endpoint.hpp"

#include <asio/ip/address.hpp>

#include <system_error>

namespace smtpspec::validate
{

std::optional<endpoint> parse_endpoint(std::string_view text)
{
    auto parsed = reference::net::parse_host_port(text);
    if (!parsed || parsed->port == 0) {
        return std::nullopt;
    }
    std::error_code ec;
    const auto address = asio::ip::make_address(parsed->host, ec);
    if (ec || address.is_v6() != text.starts_with('[')) {
        return std::nullopt;
    }
    parsed->host = address.to_string();
    return parsed;
}

}  // namespace smtpspec::validate
