// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smtpspec::reference
{

namespace
{
/// Closes a file descriptor when it goes out of scope.
class fd_guard
{
public:
    explicit fd_guard(int fd) : fd_(fd) {}
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    ~fd_guard()
    {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

std::string errno_text(const char* what, const std::filesystem::path& p)
{
    return std::string{what} + " " + p.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool fsync_dir(const std::filesystem::path& dir)
{
    fd_guard fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

std::string host_name()
{
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') {
        return "localhost";
    }
    // Maildir names must not contain '/' or ':'.
    std::string name{buf};
    for (char& c : name) {
        if (c == '/' || c == ':') {
            c = '_';
        }
    }
    return name;
}
}  // namespace

maildir_store::maildir_store(std::filesystem::path root)
    : root_(std::move(root))
    , host_(host_name())
{
    for (const char* sub : {"tmp", "new", "cur"}) {
        std::filesystem::create_directories(root_ / sub);
    }
}

std::string maildir_store::unique_name(long long unix_time)
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now).count() % 1000000;
    return std::to_string(unix_time) + ".M" + std::to_string(usec) + "P"
        + std::to_string(::getpid()) + "Q" + std::to_string(++sequence_) + "." + host_;
}

store_result maildir_store::store(const envelope& env, std::string_view data,
                                  std::string_view server_name)
{
    staged one = stage(env, data, server_name);
    publish(std::span<staged>{&one, 1});
    return std::move(one.result);
}

maildir_store::staged maildir_store::stage(const envelope& env, std::string_view data,
                                           std::string_view server_name)
{
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    staged out{unique_name(now), {}};
    const auto tmp = root_ / "tmp" / out.name;
    fd_guard fd{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (fd.get() < 0) {
        out.result = {false, errno_text("cannot create", tmp)};
        return out;
    }
    // fdatasync flushes the octets and the size (the metadata needed to read
    // them back); the rename and the sync of new/ make the name durable.
    const std::string header = trace_header(env, server_name, out.name, now);
    if (!write_all(fd.get(), header) || !write_all(fd.get(), data) || ::fdatasync(fd.get()) != 0
        || ::close(fd.release()) != 0) {
        out.result = {false, errno_text("cannot write", tmp)};
        ::unlink(tmp.c_str());
        return out;
    }
    out.result = {true, out.name};
    return out;
}

void maildir_store::publish(std::span<staged> group)
{
    bool moved = false;
    for (staged& s : group) {
        if (!s.result.ok) {
            continue;
        }
        const auto tmp = root_ / "tmp" / s.name;
        const auto dest = root_ / "new" / s.name;
        if (::rename(tmp.c_str(), dest.c_str()) != 0) {
            s.result = {false, errno_text("cannot move into new/", tmp)};
            ::unlink(tmp.c_str());
            continue;
        }
        moved = true;
    }
    if (moved && !fsync_dir(root_ / "new")) {
        // The files are in new/ but their directory entries may not be on
        // disk; no transaction of the group may be acknowledged as durable.
        const std::string why = errno_text("cannot fsync", root_ / "new");
        for (staged& s : group) {
            if (s.result.ok) {
                s.result = {false, why};
            }
        }
    }
}

}  // namespace smtpspec::reference
