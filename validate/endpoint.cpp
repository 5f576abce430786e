// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/endpoint.hpp"

#include <asio/ip/address.hpp>

#include <charconv>
#include <system_error>

namespace smtpspec::validate
{

std::string endpoint::str() const
{
    const bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ':' + std::to_string(port);
}

std::optional<endpoint> parse_endpoint(std::string_view text)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == text.size()) {
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);

    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed) {
        host = host.substr(1, host.size() - 2);
    }
    std::error_code ec;
    const auto address = asio::ip::make_address(std::string{host}, ec);
    if (ec || address.is_v6() != bracketed) {
        return std::nullopt;
    }

    unsigned port = 0;
    const auto* last = port_text.data() + port_text.size();
    const auto [end, err] = std::from_chars(port_text.data(), last, port);
    if (err != std::errc{} || end != last || port == 0 || port > 65535) {
        return std::nullopt;
    }
    return endpoint{address.to_string(), static_cast<std::uint16_t>(port)};
}

}  // namespace smtpspec::validate
