// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::internal
{

/** One line of a settings file that holds something. */
struct setting_line
{
    int number = 0;    ///< Its line number, from 1.
    std::string text;  ///< The line without its line ending.
};

/// The most octets a settings file may hold (1 MiB): more is no settings
/// file (a device such as /dev/zero, or a wrong path), and is refused
/// before it fills memory.
inline constexpr std::size_t max_settings_octets = std::size_t{1} << 20;

/**
 * Reads a whole settings file (a configuration file, a script, a
 * credentials file), at most max_settings_octets of it (read_whole_file).
 * @param file the file.
 * @param what what the file is, for the errors ("the script").
 * @return its octets.
 * @throws std::runtime_error naming the file when it is a folder, cannot be
 *         read (with the system's reason), or holds more than
 *         max_settings_octets.
 */
std::string read_settings_file(const std::filesystem::path& file, std::string_view what);

/**
 * Reads a small line-based settings file (a client-testing script, a
 * credentials file): a CR before the LF is dropped, a UTF-8 byte order mark
 * at the start is skipped, and blank lines and comments ('#' after optional
 * spaces or tabs) are left out.
 * @param file the file.
 * @param what what the file is, for the errors ("the script").
 * @return the other lines, in order.
 * @throws std::runtime_error as read_settings_file() does.
 */
std::vector<setting_line> read_setting_lines(const std::filesystem::path& file,
                                             std::string_view what);

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP
