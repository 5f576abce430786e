// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP

#include "reference/net/endpoint.hpp"
#include "reference/trace.hpp"

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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

/**
 * Reads a whole number: decimal digits only (no sign, so "-1" is not
 * wrapped around to 2^64-1), from @p min to @p max.
 * @param value the text.
 * @param min the smallest value accepted.
 * @param max the largest value accepted.
 * @return true when the whole text is such a number.
 */
bool is_whole_number(std::string_view value, std::uint64_t min, std::uint64_t max) noexcept;

/**
 * A check of an integer option: decimal digits only (no sign, so "-1" is not
 * wrapped around to 2^64-1) and a value from @p min to @p max.
 * @param min the smallest value accepted.
 * @param max the largest value accepted.
 * @return the validator; its message is "expected a whole number from MIN to
 *         MAX, got \"VALUE\"", which CLI11 prefixes with the option's name.
 */
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max);

/// The most octets a command reads from one input file (a message, a
/// transcript): generous (four times the server's default --max-size), and a
/// bound all the same, so that /dev/zero is refused instead of filling memory.
inline constexpr std::size_t max_input_octets = std::size_t{128} << 20;

/**
 * Reads a whole file (not "-": stdin is the caller's), at most
 * max_input_octets of it (reference::read_whole_file).
 * @param path the file.
 * @param[out] content its octets, when it could be read.
 * @return empty when read, else "cannot read PATH: REASON" with the system's
 *         reason (strerror), e.g. "Is a directory" or "No such file or
 *         directory", or, for a larger file, "it holds more than N octets
 *         (M MiB), the most smtpspec reads from one file".
 */
std::string read_file(const std::string& path, std::string& content);

/**
 * Writes a whole file, created or truncated.
 * @param path the file.
 * @param text what it is to hold.
 * @return empty when written and closed, else "cannot write PATH: REASON"
 *         with the system's reason (strerror).
 */
std::string write_file(const std::string& path, const std::string& text);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_OPTIONS_HPP
