// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP

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

/**
 * Reads a small line-based settings file (a client-testing script, a
 * credentials file): a CR before the LF is dropped, a UTF-8 byte order mark
 * at the start is skipped, and blank lines and comments ('#' after optional
 * spaces or tabs) are left out.
 * @param file the file.
 * @param what what the file is, for the errors ("the script").
 * @return the other lines, in order.
 * @throws std::runtime_error naming the file when it is a folder (a folder
 *         opens as a stream that reads nothing) or cannot be read.
 */
std::vector<setting_line> read_setting_lines(const std::filesystem::path& file,
                                             std::string_view what);

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_SETTING_LINES_HPP
