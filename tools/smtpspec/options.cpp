// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/options.hpp"

#include <charconv>

namespace smtpspec::tools
{

reference::net::host_port host_port_argument(const std::string& text, const std::string& what)
{
    const auto parsed = reference::net::parse_host_port(text);
    if (!parsed) {
        throw CLI::ValidationError(what, "expected HOST:PORT or [IPv6]:PORT, got \"" + text + "\"");
    }
    return *parsed;
}

reference::trace_format trace_format_argument(const std::string& text)
{
    if (text == "text") {
        return reference::trace_format::text;
    }
    if (text == "json") {
        return reference::trace_format::json;
    }
    throw CLI::ValidationError("--trace", "expected text or json, got \"" + text + "\"");
}

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max)
{
    return CLI::Validator(
        [min, max](std::string& value) {
            std::uint64_t n = 0;
            const char* end = value.data() + value.size();
            const auto [stop, ec] = std::from_chars(value.data(), end, n);
            if (value.empty() || ec != std::errc{} || stop != end || n < min || n > max) {
                return "expected a whole number from " + std::to_string(min) + " to " +
                       std::to_string(max) + ", got \"" + value + "\"";
            }
            return std::string{};
        },
        "");
}

}  // namespace smtpspec::tools
