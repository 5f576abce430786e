// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
//
// What maildir_store::flush() and publish() leave in the disk's volatile
// cache, read from the kernel's block-layer trace. SIGKILL tests cannot see
// it: a killed process loses nothing the kernel holds; only a power cut
// loses what the disk has not made durable. Each test records every block
// request while one step runs and checks that each write this thread issued
// had completed before a disk flush was sent, and that flush ended, all
// before the step returned (for flush(): before publish() can rename
// anything into new/; for publish(): before the 250).
//
// It needs Linux, root and tracefs (mounted at its usual place when absent,
// as systemd does at boot, and left mounted: tests running beside it may be
// using it), and the Maildir on a block device; elsewhere it is skipped with
// the reason. Each test uses a trace instance of its own, so it leaves the
// system's trace buffer and any other tracer alone.

#include "reference/maildir.hpp"

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace
{
namespace fs = std::filesystem;
namespace grammar = smtpspec::grammar;
using smtpspec::reference::envelope;
using smtpspec::reference::group_flush;
using smtpspec::reference::maildir_store;

const fs::path tracefs = "/sys/kernel/tracing";

bool write_text(const fs::path& file, const std::string& text)
{
    std::ofstream out{file};
    out << text;
    out.flush();
    return static_cast<bool>(out);
}

/// A trace instance (its own buffer and events), removed when it goes.
class trace_instance
{
public:
    /// @return the reason it could not be made, or empty when it was.
    std::string open(const std::string& name)
    {
        if (!fs::exists(tracefs / "instances")) {
            if (::mount("nodev", tracefs.c_str(), "tracefs", 0, nullptr) != 0
                && !fs::exists(tracefs / "instances")) {
                return "tracefs is not mounted and cannot be: " + std::string{std::strerror(errno)};
            }
        }
        dir_ = tracefs / "instances" / name;
        std::error_code ec;
        fs::create_directory(dir_, ec);
        if (ec) {
            dir_.clear();
            return "cannot make a trace instance: " + ec.message();
        }
        for (const char* e : {"block/block_rq_issue", "block/block_rq_complete"}) {
            if (!write_text(dir_ / "events" / e / "enable", "1")) {
                return std::string{"cannot enable the trace event "} + e;
            }
        }
        write_text(dir_ / "buffer_size_kb", "4096");
        return {};
    }

    void mark(const std::string& text) const { write_text(dir_ / "trace_marker", text); }

    [[nodiscard]] std::string text() const
    {
        write_text(dir_ / "tracing_on", "0");
        std::ifstream in{dir_ / "trace"};
        std::ostringstream all;
        all << in.rdbuf();
        return all.str();
    }

    ~trace_instance()
    {
        if (!dir_.empty()) {
            write_text(dir_ / "tracing_on", "0");
            for (const char* e : {"block/block_rq_issue", "block/block_rq_complete"}) {
                write_text(dir_ / "events" / e / "enable", "0");
            }
            ::rmdir(dir_.c_str());
        }
    }

private:
    fs::path dir_;
};

/// One block request event of the trace.
struct block_event
{
    bool issue = false;      ///< block_rq_issue, else block_rq_complete.
    long pid = 0;            ///< Task that was running.
    std::string device;      ///< "MAJOR,MINOR" of the disk.
    std::string rwbs;        ///< Request kind: F preflush, W write, M metadata...
    std::string where;       ///< "SECTOR + COUNT".
    std::size_t line = 0;    ///< Order in the trace.
};

/// The disk holding path, as the block trace names it ("MAJOR,MINOR"):
/// the whole disk for a partition. Empty when it is no block device.
std::string disk_of(const fs::path& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
        return {};
    }
    const std::string dev
        = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
    fs::path sys = fs::path{"/sys/dev/block"} / dev;
    if (!fs::exists(sys)) {
        return {};  // tmpfs, overlay and the like.
    }
    if (fs::exists(sys / "partition")) {
        sys = fs::canonical(sys).parent_path();
    }
    std::ifstream in{sys / "dev"};
    std::string whole;
    in >> whole;
    if (const auto colon = whole.find(':'); colon != std::string::npos) {
        whole[colon] = ',';
    }
    return whole;
}

struct parsed_trace
{
    std::vector<block_event> events;
    std::optional<std::size_t> start, end;  ///< Lines of the two markers.
};

parsed_trace parse(const std::string& text)
{
    // "  comm-PID  [CPU] flags  TIME: event: rest"; the comm may hold '-'.
    static const std::regex line_re{R"(^\s*.*-(\d+)\s+\[\d+\]\s+\S+\s+[\d.]+: (\w+): (.*)$)"};
    static const std::regex issue_re{R"(^(\d+,\d+) (\S+) \d+ \(.*?\) (\d+ \+ \d+))"};
    static const std::regex complete_re{R"(^(\d+,\d+) (\S+) \(.*?\) (\d+ \+ \d+))"};
    parsed_trace out;
    std::istringstream in{text};
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::smatch m;
        if (!std::regex_match(line, m, line_re)) {
            continue;
        }
        const std::string event = m[2];
        const std::string rest = m[3];
        if (event == "tracing_mark_write") {
            (rest.starts_with("flush-start") ? out.start : out.end) = n;
            continue;
        }
        std::smatch r;
        const bool issue = event == "block_rq_issue";
        if (!(issue || event == "block_rq_complete")
            || !std::regex_search(rest, r, issue ? issue_re : complete_re)) {
            continue;
        }
        out.events.push_back({issue, std::stol(m[1]), r[1], r[2], r[3], n});
    }
    return out;
}

envelope sample()
{
    envelope env;
    env.client_name = "client.example.net";
    env.from = grammar::reverse_path{grammar::path{{}, {"a", "example.net"}}};
    env.recipients.push_back(grammar::forward_path{false, grammar::path{{}, {"b", "example.org"}}});
    return env;
}

/// Which step of a group commit the trace covers.
enum class step
{
    flush,    ///< maildir_store::flush()
    publish,  ///< maildir_store::publish() of a flushed group
};

/// Runs a group of three messages through a Maildir under the build
/// folder, tracing the block requests of one step, and checks that every
/// write this thread issued during the step completed and was followed by
/// a disk flush that ended, all within the step.
void check_step(group_flush how, step traced)
{
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root for the kernel's block trace";
    }
    // Under the build folder, which is on a disk, unlike a tmpfs /tmp.
    const fs::path root = fs::current_path() / ("flush-order-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const std::string disk = disk_of(fs::current_path());
    if (disk.empty()) {
        GTEST_SKIP() << fs::current_path() << " is on no block device: no block trace to read";
    }
    trace_instance trace;
    if (const std::string why = trace.open("smtpspec-" + std::to_string(::getpid())); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const long self = ::gettid();
    {
        maildir_store store{root, how};
        std::vector<maildir_store::staged> group;
        for (int i = 0; i < 3; ++i) {
            group.push_back(store.stage(sample(), std::string(2048, 'a' + i) + "\r\n", "mx.example"));
        }
        if (traced == step::publish) {
            store.flush(group);
        }
        trace.mark("flush-start");
        (traced == step::flush) ? store.flush(group) : store.publish(group);
        trace.mark("flush-end");
        for (const auto& s : group) {
            ASSERT_TRUE(s.result.ok) << s.result.id;
        }
    }
    const parsed_trace t = parse(trace.text());
    fs::remove_all(root);
    ASSERT_TRUE(t.start && t.end) << "the trace lost its markers (buffer too small?)";

    // The first disk flush sent after `after` and done before the step
    // ended, if any: it carries every write completed before it was sent
    // past the disk's cache.
    const auto flushed_after = [&](std::size_t after) {
        for (const block_event& f : t.events) {
            if (f.issue && f.device == disk && f.rwbs.starts_with('F') && f.line > after) {
                for (const block_event& g : t.events) {
                    if (!g.issue && g.device == disk && g.rwbs.starts_with('F') && g.line > f.line) {
                        return g.line < *t.end;
                    }
                }
            }
        }
        return false;
    };
    std::size_t own_writes = 0;
    for (const block_event& w : t.events) {
        const bool write = w.rwbs.find('W') != std::string::npos && w.where != "0 + 0";
        if (!w.issue || !write || w.pid != self || w.device != disk || w.line < *t.start
            || w.line > *t.end) {
            continue;
        }
        ++own_writes;
        // A write with FUA (F after the W) is durable when it completes.
        if (w.rwbs.find('F', w.rwbs.find('W')) != std::string::npos) {
            continue;
        }
        std::optional<std::size_t> completed;
        for (const block_event& c : t.events) {
            if (!c.issue && c.line > w.line && c.device == w.device && c.where == w.where) {
                completed = c.line;
                break;
            }
        }
        ASSERT_TRUE(completed && *completed < *t.end)
            << "write " << w.rwbs << " at " << w.where << " did not complete within the step";
        EXPECT_TRUE(flushed_after(*completed))
            << "write " << w.rwbs << " at " << w.where
            << " completed after the last disk flush of the step: "
               "it may still be in the disk's volatile cache";
    }
    if (own_writes == 0) {
        GTEST_SKIP() << "this thread issued no block write during the step: the file system "
                        "writes its metadata elsewhere (a journal thread?), nothing to check here";
    }
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST(maildir_flush_order, a_group_flushed_with_syncfs_is_past_the_disk_cache_before_flush_returns)
{
    check_step(group_flush::file_system, step::flush);
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST(maildir_flush_order, a_group_flushed_file_by_file_is_past_the_disk_cache_before_flush_returns)
{
    check_step(group_flush::per_file, step::flush);
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST(maildir_flush_order, the_names_in_new_are_past_the_disk_cache_before_publish_returns)
{
    check_step(group_flush::file_system, step::publish);
}

}  // namespace
