// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP

#include "reference/net/endpoint.hpp"
#include "reference/trace.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace smtpspec::tools
{

/**
 * Parses a HOST:PORT argument.
 * @param text the argument.
 * @param what the option's name, for the error.
 * @return the host and port.
 * @throws CLI::ValidationError naming the option when it has another shape.
 */
reference::net::host_port host_port_argument(const std::string& text, const std::string& what);

/**
 * @param text "text" or "json".
 * @return the trace format.
 * @throws CLI::ValidationError for anything else.
 */
reference::trace_format trace_format_argument(const std::string& text);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP
