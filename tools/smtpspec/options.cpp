// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/options.hpp"

#include "reference/whole_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

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

bool is_whole_number(std::string_view value, std::uint64_t min, std::uint64_t max) noexcept
{
    std::uint64_t n = 0;
    const char* end = value.data() + value.size();
    const auto [stop, ec] = std::from_chars(value.data(), end, n);
    return !value.empty() && ec == std::errc{} && stop == end && n >= min && n <= max;
}

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max)
{
    return CLI::Validator(
        [min, max](std::string& value) {
            if (!is_whole_number(value, min, max)) {
                return "expected a whole number from " + std::to_string(min) + " to " +
                       std::to_string(max) + ", got \"" + value + "\"";
            }
            return std::string{};
        },
        "");
}

namespace
{
/// "cannot VERB PATH: REASON" for the errno of the call that failed.
std::string io_error(const char* verb, const std::string& path, int error)
{
    return std::string{"cannot "} + verb + " " + path + ": " + std::strerror(error);
}

/// io_error() for the errno of the failed call on @p fd, which it closes.
std::string closing(int fd, const char* verb, const std::string& path)
{
    const int error = errno;
    ::close(fd);
    return io_error(verb, path, error);
}
}  // namespace

std::string read_file(const std::string& path, std::string& content)
{
    const std::error_code ec = reference::read_whole_file(path, max_input_octets, content);
    if (ec == std::errc::file_too_large) {
        return "cannot read " + path + ": it holds more than " + std::to_string(max_input_octets)
            + " octets (" + std::to_string(max_input_octets >> 20)
            + " MiB), the most smtpspec reads from one file";
    }
    if (ec) {
        return io_error("read", path, ec.value());
    }
    return {};
}

std::string write_file(const std::string& path, const std::string& text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        return io_error("write", path, errno);
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno != EINTR) {
            return closing(fd, "write", path);
        }
        done += n < 0 ? 0 : static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        return io_error("write", path, errno);  // NFS and full disks report here.
    }
    return {};
}

}  // namespace smtpspec::tools
