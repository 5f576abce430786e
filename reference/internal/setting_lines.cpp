// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/setting_lines.hpp"

#include "reference/whole_file.hpp"

#include <sstream>
#include <stdexcept>
#include <system_error>

namespace smtpspec::reference::internal
{

std::string read_settings_file(const std::filesystem::path& file, std::string_view what)
{
    const auto fail = [&](const std::string& why) {
        return std::runtime_error(file.string() + ": " + why);
    };
    std::string text;
    const std::error_code ec = read_whole_file(file, max_settings_octets, text);
    if (ec == std::errc::is_a_directory) {
        throw fail("is a folder, not " + std::string{what});
    }
    if (ec == std::errc::file_too_large) {
        throw fail(std::string{what} + " holds more than " + std::to_string(max_settings_octets)
                   + " octets; no settings file is that large");
    }
    if (ec) {
        throw fail("cannot read " + std::string{what} + ": " + ec.message());
    }
    return text;
}

std::vector<setting_line> read_setting_lines(const std::filesystem::path& file,
                                             std::string_view what)
{
    std::istringstream in{read_settings_file(file, what)};
    std::vector<setting_line> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.ends_with('\r')) {
            line.pop_back();
        }
        if (number == 1 && line.starts_with("\xEF\xBB\xBF")) {
            line.erase(0, 3);  // A UTF-8 byte order mark, as editors may write one.
        }
        const std::size_t start = line.find_first_not_of(" \t");
        if (start != std::string::npos && line[start] != '#') {
            out.push_back({number, line});
        }
    }
    return out;
}

}  // namespace smtpspec::reference::internal
