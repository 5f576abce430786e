// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_WHOLE_FILE_HPP
#define SMTPSPEC_REFERENCE_WHOLE_FILE_HPP

#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>

namespace smtpspec::reference
{

/**
 * Reads a whole file, at most @p max_octets of it: a file that holds more,
 * or a device that never ends (/dev/zero, /dev/urandom), is refused after
 * max_octets + 1 octets at most, never read into memory without end.
 *
 * The one reader of whole files: settings (the configuration file,
 * scripts, credentials), the command line's inputs (messages, transcripts)
 * and the client's queue entries; each caller words the error for its own
 * file.
 * @param file the file (not "-": standard input is the caller's).
 * @param max_octets the most octets the file may hold.
 * @param[out] content its octets, when it was read whole; else left as it was.
 * @return no error when read; std::errc::is_a_directory for a folder;
 *         std::errc::file_too_large when it holds more than @p max_octets;
 *         else the system's error (errno) of the call that failed, e.g.
 *         std::errc::no_such_file_or_directory.
 */
std::error_code read_whole_file(const std::filesystem::path& file, std::size_t max_octets,
                                std::string& content);

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_WHOLE_FILE_HPP
