// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/setting_lines.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace smtpspec::reference::internal
{

std::vector<setting_line> read_setting_lines(const std::filesystem::path& file,
                                             std::string_view what)
{
    std::error_code folder;
    if (std::filesystem::is_directory(file, folder)) {
        throw std::runtime_error(file.string() + ": is a folder, not " + std::string{what});
    }
    std::ifstream in{file};
    if (!in) {
        throw std::runtime_error(file.string() + ": cannot read " + std::string{what} + ": "
                                 + std::strerror(errno));
    }
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
