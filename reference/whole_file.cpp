// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/whole_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <utility>

namespace smtpspec::reference
{

namespace
{
/// The errno of the call that failed on @p fd, which it closes.
std::error_code closing(int fd)
{
    const std::error_code ec{errno, std::system_category()};
    ::close(fd);
    return ec;
}
}  // namespace

std::error_code read_whole_file(const std::filesystem::path& file, std::size_t max_octets,
                                std::string& content)
{
    // POSIX calls rather than a stream: their errno is the reason.
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return {errno, std::system_category()};
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        return closing(fd);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);  // A folder opens; its first read would fail with EISDIR.
        return std::make_error_code(std::errc::is_a_directory);
    }
    const bool regular = S_ISREG(st.st_mode);
    if (regular && static_cast<std::uintmax_t>(st.st_size) > max_octets) {
        ::close(fd);
        return std::make_error_code(std::errc::file_too_large);
    }
    std::string out;
    if (regular) {
        out.reserve(static_cast<std::size_t>(st.st_size));
    }
    // One octet past the bound at most: whatever does not end (a device, a
    // file that grows) is refused there.
    std::array<char, 64 * 1024> piece{};
    while (out.size() <= max_octets) {
        const std::size_t room = max_octets - out.size();  // No overflow at SIZE_MAX.
        const std::size_t want = room < piece.size() ? room + 1 : piece.size();
        const ssize_t n = ::read(fd, piece.data(), want);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return closing(fd);
        }
        if (n == 0) {
            break;
        }
        out.append(piece.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (out.size() > max_octets) {
        return std::make_error_code(std::errc::file_too_large);
    }
    content = std::move(out);
    return {};
}

}  // namespace smtpspec::reference
