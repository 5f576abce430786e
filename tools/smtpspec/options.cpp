// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/options.hpp"

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

}  // namespace smtpspec::tools
