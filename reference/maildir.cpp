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

/// A failed store_result for what, at p, with errno's reason.
store_result failure(const char* what, const std::filesystem::path& p)
{
    const std::string reason = std::strerror(errno);
    return {false, std::string{what} + " " + p.string() + ": " + reason, p.string(), reason};
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

#ifdef __linux__
constexpr bool have_syncfs = true;
bool sync_file_system(int fd)
{
    return ::syncfs(fd) == 0;
}
#else
constexpr bool have_syncfs = false;  // Elsewhere every file is flushed on its own.
bool sync_file_system(int)
{
    return false;
}
#endif

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

maildir_store::maildir_store(std::filesystem::path root, group_flush flush)
    : root_(std::move(root))
    , host_(host_name())
    , flush_(flush)
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

maildir_store::staged::staged(staged&& other) noexcept
    : name(std::move(other.name))
    , result(std::move(other.result))
    , fd(std::exchange(other.fd, -1))
{
}

maildir_store::staged& maildir_store::staged::operator=(staged&& other) noexcept
{
    if (this != &other) {
        if (fd >= 0) {
            ::close(fd);
        }
        name = std::move(other.name);
        result = std::move(other.result);
        fd = std::exchange(other.fd, -1);
    }
    return *this;
}

maildir_store::staged::~staged()
{
    if (fd >= 0) {
        ::close(fd);
    }
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
        out.result = failure("cannot create", tmp);
        return out;
    }
    const std::string header = trace_header(env, server_name, out.name, now);
    if (!write_all(fd.get(), header) || !write_all(fd.get(), data)) {
        out.result = failure("cannot write", tmp);
        ::unlink(tmp.c_str());
        return out;
    }
    out.fd = fd.release();
    out.result = {true, out.name};
    return out;
}

void maildir_store::flush(std::span<staged> group)
{
    std::size_t open_files = 0;
    int any = -1;
    for (const staged& s : group) {
        if (s.fd >= 0) {
            ++open_files;
            any = s.fd;
        }
    }
    int group_error = 0;
    // One disk flush for the whole group: syncfs writes back every dirty
    // file of the file system (these among them) and flushes the disk,
    // where fdatasync on each file flushes the disk once per file.
    //
    // syncfs alone is not enough. On ext4 without a journal (block traces
    // of this server, README "The Maildir") it writes the inode blocks that
    // changed while the data was being written (the file's extents marked
    // written, with dioread_nolock) only after its disk flush, so they may
    // still sit in the disk's volatile cache when it returns. The renames
    // that follow would then reach that cache too, and a power cut could
    // keep a name in new/ and lose the inode behind it: a file of zeros
    // there. fdatasync of a file that is now clean writes nothing and
    // flushes the disk once more, after those inode blocks; on a file
    // system that left nothing behind it is one cheap flush.
    const bool whole_file_system
        = have_syncfs && flush_ == group_flush::file_system && open_files > 1;
    if (whole_file_system && (!sync_file_system(any) || ::fdatasync(any) != 0)) {
        group_error = errno;
    }
    for (staged& s : group) {
        if (s.fd < 0) {
            continue;
        }
        const int fd = std::exchange(s.fd, -1);
        int error = group_error;
        if (!whole_file_system && ::fdatasync(fd) != 0) {
            error = errno;
        }
        if (::close(fd) != 0 && error == 0) {
            error = errno;
        }
        if (error != 0) {
            const auto tmp = root_ / "tmp" / s.name;
            errno = error;
            s.result = failure("cannot flush", tmp);
            ::unlink(tmp.c_str());
        }
    }
}

void maildir_store::publish(std::span<staged> group)
{
    // The octets and sizes first (the metadata needed to read them back);
    // only then is a file renamed, so new/ never names a file whose octets
    // could be lost. The sync of new/ makes the names durable.
    flush(group);
    bool moved = false;
    for (staged& s : group) {
        if (!s.result.ok) {
            continue;
        }
        const auto tmp = root_ / "tmp" / s.name;
        const auto dest = root_ / "new" / s.name;
        if (::rename(tmp.c_str(), dest.c_str()) != 0) {
            s.result = failure("cannot move into", dest);
            ::unlink(tmp.c_str());
            continue;
        }
        moved = true;
    }
    if (moved && !fsync_dir(root_ / "new")) {
        // The files are in new/ but their directory entries may not be on
        // disk; no transaction of the group may be acknowledged as durable.
        const store_result why = failure("cannot fsync", root_ / "new");
        for (staged& s : group) {
            if (s.result.ok) {
                s.result = why;
            }
        }
    }
}

}  // namespace smtpspec::reference
