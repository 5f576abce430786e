// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/client_queue.hpp"

#include "grammar/extension.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "reference/dsn.hpp"
#include "reference/message_store.hpp"
#include "reference/whole_file.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <variant>

#include <fcntl.h>
#include <unistd.h>

namespace smtpspec::reference::net
{

namespace
{
namespace fs = std::filesystem;

[[noreturn]] void io_failure(const std::string& what, const fs::path& file)
{
    throw std::runtime_error(what + " " + file.string() + ": " + std::strerror(errno));
}

/// Writes @p content to @p file through a temporary name, fsync and rename,
/// then flushes the folder, so the file is either whole or absent.
void write_durably(const fs::path& file, const std::string& content)
{
    const fs::path temporary = file.string() + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        io_failure("cannot create", temporary);
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ::close(fd);
            io_failure("cannot write", temporary);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        io_failure("cannot flush", temporary);
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        io_failure("cannot rename", temporary);
    }
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

/// The content of @p file, or std::nullopt with @p why set.
std::optional<std::string> read_file(const fs::path& file, std::string& why)
{
    // Only a regular file is an entry: a folder would read as empty, and a
    // FIFO would block the whole queue run.
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (fs::is_directory(status)) {
        why = "is a directory, not a queue entry file";
        return std::nullopt;
    }
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        why = "is not a regular file (a FIFO, socket or device), not a queue entry file";
        return std::nullopt;
    }
    // A regular file, written by the queue itself: no bound but its size.
    constexpr std::size_t no_bound = std::numeric_limits<std::size_t>::max();
    std::string content;
    if (const std::error_code read = read_whole_file(file, no_bound, content)) {
        why = "cannot read: " + read.message();
        return std::nullopt;
    }
    return content;
}

/// What is wrong with one line of an envelope file.
struct line_fault
{
    std::size_t line = 0;
    std::string message;
};

/// Reads a path back with the command grammar (SMTPUTF8 allowed), so that
/// what the queue stores is exactly what the client will send (known fault
/// B14: quoting survives the round trip).
grammar::command parse_path_line(const std::string& line, std::size_t number)
{
    grammar::parse_options options;
    options.smtputf8 = true;
    auto parsed = grammar::parse_command(line + "\r\n", options);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        throw line_fault{number, "not a path (" + e->message + ", rule " + e->rule + ")"};
    }
    return std::get<grammar::command>(parsed);
}

/// A whole decimal number, or a line_fault naming the key.
template <typename Number>
Number number_value(const std::string& key, const std::string& value, std::size_t number)
{
    Number n{};
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
        throw line_fault{number, "bad value for " + key + ": \"" + value + "\" is not a number"};
    }
    return n;
}

/// Reads one entry: ID.env, then ID.msg. Every fault is a damaged_entry
/// naming the file and, where there is one, the line.
std::variant<queue_entry, damaged_entry> read_entry(const fs::path& file)
{
    queue_entry entry;
    entry.id = file.stem().string();
    std::string why;
    const auto text = read_file(file, why);
    if (!text) {
        return damaged_entry{entry.id, file, 0, why};
    }
    std::istringstream in{*text};
    std::string line;
    std::size_t number = 0;
    std::vector<std::string> seen;
    try {
        while (std::getline(in, line)) {
            ++number;
            const auto space = line.find(' ');
            const std::string key = line.substr(0, space);
            const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
            seen.push_back(key);
            if (key == "from") {
                entry.job.from =
                    std::get<grammar::mail_command>(parse_path_line("MAIL FROM:" + value, number))
                        .from;
            } else if (key == "to") {
                entry.job.to.push_back(
                    std::get<grammar::rcpt_command>(parse_path_line("RCPT TO:" + value, number))
                        .to);
            } else if (key == "server") {
                entry.server = value;
            } else if (key == "notify") {
                entry.dsn.notify = value;
            } else if (key == "ret") {
                entry.dsn.ret = value;
            } else if (key == "envid") {
                auto envid = grammar::decode_xtext(value);
                if (!envid) {
                    throw line_fault{number, "bad value for envid: not xtext (RFC 3461 4)"};
                }
                entry.dsn.envid = std::move(*envid);
            } else if (key == "orcpt") {
                entry.dsn.orcpt = value == "1";
            } else if (key == "created") {
                entry.created = number_value<std::int64_t>(key, value, number);
            } else if (key == "next") {
                entry.next_attempt = number_value<std::int64_t>(key, value, number);
            } else if (key == "attempts") {
                entry.attempts = number_value<unsigned>(key, value, number);
            } else if (key == "error") {
                entry.last_error = value;
            } else {
                throw line_fault{number, "unknown key \"" + key + "\""};
            }
        }
    } catch (const line_fault& f) {
        return damaged_entry{entry.id, file, f.line, f.message};
    }
    // write_envelope() writes these lines always: without one, the entry
    // would be sent from the wrong sender, to nobody, or at once.
    for (const char* key : {"from", "to", "created", "next", "attempts"}) {
        if (std::ranges::find(seen, key) == seen.end()) {
            return damaged_entry{entry.id, file, 0, std::string{"no \""} + key + "\" line"};
        }
    }
    const fs::path message = file.parent_path() / (entry.id + ".msg");
    auto content = read_file(message, why);
    if (!content) {
        return damaged_entry{entry.id, message, 0, why};
    }
    entry.job.message = std::move(*content);
    return entry;
}

/// The reply that decided a recipient, one string a line with its code, as
/// RFC 3461 9.2 quotes it.
std::vector<std::string> reply_lines(const recipient_outcome& r)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.text.size(); ++i) {
        const bool last = i + 1 == r.text.size();
        out.push_back(std::to_string(r.code) +
                      (r.text[i].empty() && last ? "" : (last ? " " : "-") + r.text[i]));
    }
    return out;
}

/// The host of a target "host[address]" as an MTA name of type "dns" (RFC
/// 3461 9.3): a domain name, or an address in brackets when the target was
/// given as one (--server 127.0.0.1:25).
std::string mta_name(std::string_view where)
{
    const std::string host{where.substr(0, where.find('['))};
    const bool address =
        host.find(':') != std::string::npos ||
        std::ranges::all_of(host, [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
    if (!address || host.empty()) {
        return host;
    }
    return address_literal(host);
}

bool ascii_only(std::string_view s)
{
    return std::ranges::none_of(s, [](char c) { return static_cast<unsigned char>(c) > 127; });
}

/// The paragraph of one failed recipient (RFC 3461 6.3 d-i).
notice_recipient failed_recipient(const queue_entry& entry, const recipient_outcome& r,
                                  bool expired, std::int64_t now)
{
    notice_recipient d;
    const std::string address = r.to.value ? r.to.value->box.str() : "Postmaster";
    d.final_recipient = address;
    // The client sends ORCPT=rfc822;ADDRESS for ASCII addresses only.
    if (entry.dsn.orcpt && r.to.value && ascii_only(address)) {
        d.original_recipient = address;
    }
    d.action = "failed";
    d.last_attempt = now;
    if (!r.text.empty()) {
        d.reply = reply_lines(r);
        d.status = status_of_reply(r.code, r.text);
        d.remote_mta = mta_name(r.where);
    } else {
        d.status = !r.status.empty() ? r.status : expired ? "4.4.7" : "5.0.0";
        d.diagnostic = !r.detail.empty() ? r.detail : entry.last_error;
        if (!r.where.empty()) {
            d.remote_mta = mta_name(r.where);
        }
    }
    if (expired && r.state == recipient_state::temporary) {
        const std::string why = "still not delivered after " + std::to_string(entry.attempts) +
                                (entry.attempts == 1 ? " attempt" : " attempts") +
                                ", the queue gave up (RFC 5321 4.5.4.1)";
        d.diagnostic = d.diagnostic.empty() ? why : why + "; last: " + d.diagnostic;
    }
    return d;
}

/// RFC 3461 4.1: without NOTIFY a failure is reported; with it, only when
/// FAILURE is listed.
bool failures_reported(const dsn_request& dsn)
{
    std::string notify = dsn.notify;
    std::ranges::transform(notify, notify.begin(), [](char c) {
        return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    return notify.empty() || notify.find("FAILURE") != std::string::npos;
}
}  // namespace

std::chrono::seconds retry_delay(const queue_policy& policy, unsigned attempts)
{
    auto delay = policy.retry_interval;
    for (unsigned i = 1; i < attempts && delay < policy.max_interval; ++i) {
        delay *= 2;
    }
    return std::min(delay, std::max(policy.max_interval, policy.retry_interval));
}

std::string damaged_entry::str() const
{
    return file.string() + (line == 0 ? "" : ":" + std::to_string(line)) + ": " + error;
}

client_queue::client_queue(fs::path directory, queue_open mode) : dir_(std::move(directory))
{
    std::error_code ec;
    const auto status = fs::status(dir_, ec);
    if (fs::is_directory(status)) {
        return;
    }
    if (fs::exists(status)) {
        throw std::runtime_error("not a queue folder (not a directory): " + dir_.string());
    }
    if (mode == queue_open::existing) {
        // Only the command that enqueues creates the folder: a mistyped
        // path must not look like an empty queue.
        throw std::runtime_error("no such queue folder: " + dir_.string());
    }
    fs::create_directories(dir_, ec);
    if (ec) {
        throw std::runtime_error("cannot create the queue folder " + dir_.string() + ": " +
                                 ec.message());
    }
}

std::string client_queue::add(queue_entry entry)
{
    static std::atomic<unsigned> counter{0};
    for (;;) {
        entry.id = std::to_string(entry.created) + "." + std::to_string(::getpid()) + "." +
                   std::to_string(counter++);
        if (!fs::exists(dir_ / (entry.id + ".env")) && !fs::exists(dir_ / (entry.id + ".msg"))) {
            break;
        }
    }
    write_durably(dir_ / (entry.id + ".msg"), entry.job.message);
    write_envelope(entry);
    return entry.id;
}

void client_queue::update(const queue_entry& entry)
{
    write_envelope(entry);
}

void client_queue::write_envelope(const queue_entry& entry) const
{
    std::string env = "from " + grammar::to_string(entry.job.from) + "\n";
    for (const auto& to : entry.job.to) {
        env += "to " + grammar::to_string(to) + "\n";
    }
    if (!entry.server.empty()) {
        env += "server " + entry.server + "\n";
    }
    if (!entry.dsn.notify.empty()) {
        env += "notify " + entry.dsn.notify + "\n";
    }
    if (!entry.dsn.ret.empty()) {
        env += "ret " + entry.dsn.ret + "\n";
    }
    if (!entry.dsn.envid.empty()) {
        env += "envid " + grammar::encode_xtext(entry.dsn.envid) + "\n";
    }
    if (entry.dsn.orcpt) {
        env += "orcpt 1\n";
    }
    env += "created " + std::to_string(entry.created) + "\nnext " +
           std::to_string(entry.next_attempt) + "\nattempts " + std::to_string(entry.attempts) +
           "\n";
    std::string error = entry.last_error;
    std::ranges::replace(error, '\n', ' ');
    std::ranges::replace(error, '\r', ' ');
    env += "error " + error + "\n";
    write_durably(dir_ / (entry.id + ".env"), env);
}

void client_queue::remove(const std::string& id)
{
    std::error_code ec;
    fs::remove(dir_ / (id + ".env"), ec);  // First: without it the entry is gone.
    fs::remove(dir_ / (id + ".msg"), ec);
}

queue_listing client_queue::scan() const
{
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_)) {
        if (e.path().extension() == ".env") {
            files.push_back(e.path());
        }
    }
    std::ranges::sort(files);
    queue_listing out;
    for (const auto& file : files) {
        auto entry = read_entry(file);
        if (auto* bad = std::get_if<damaged_entry>(&entry)) {
            out.damaged.push_back(std::move(*bad));
        } else {
            out.entries.push_back(std::get<queue_entry>(std::move(entry)));
        }
    }
    return out;
}

std::vector<queue_entry> client_queue::list() const
{
    return scan().entries;
}

queue_run_report
run_queue(client_queue& queue, const queue_policy& policy, std::int64_t now,
          const std::function<std::vector<recipient_outcome>(const queue_entry&)>& attempt)
{
    queue_run_report report;
    queue_listing listing = queue.scan();
    report.damaged = std::move(listing.damaged);
    for (queue_entry entry : listing.entries) {
        if (entry.next_attempt > now) {
            continue;
        }
        ++report.tried;
        const auto outcomes = attempt(entry);
        ++entry.attempts;
        std::vector<grammar::forward_path> left;
        std::vector<recipient_outcome> failed;
        // spec: 4.5.4.1 R-4.5.4.1-1 R-4.5.4.1-2 R-4.5.4.1-3 implementation
        const bool expired = now - entry.created >= policy.give_up.count();
        for (std::size_t i = 0; i < entry.job.to.size(); ++i) {
            recipient_outcome r = i < outcomes.size() ? outcomes[i]
                                                       : recipient_outcome{entry.job.to[i],
                                                                           recipient_state::temporary,
                                                                           0, {}, {}, {}, {}};
            if (r.state == recipient_state::delivered) {
                ++report.delivered;
            } else if (r.state == recipient_state::permanent || expired) {
                ++report.failed;
                failed.push_back(std::move(r));
            } else {
                left.push_back(entry.job.to[i]);
                if (!r.where.empty() || r.code != 0 || !r.detail.empty()) {
                    entry.last_error = describe(r);
                }
            }
        }
        report.deferred += left.size();
        // spec: 3.6.3 R-3.6.3-1 implementation
        // spec: 4.5.5 R-4.5.5-1 R-4.5.5-2 implementation
        // spec: rfc3461/6.1 implementation
        if (!failed.empty() && !entry.job.from.is_null() && failures_reported(entry.dsn)) {
            dsn_notice dsn;
            dsn.reporting_mta = policy.reporting_mta;
            dsn.sender = entry.job.from.value->box.str();
            dsn.queue_id = entry.id;
            if (!entry.dsn.envid.empty()) {
                dsn.envid = entry.dsn.envid;
            }
            dsn.arrival = entry.created;
            dsn.date = now;
            dsn.headers_only = entry.dsn.ret == "HDRS";
            dsn.original = entry.job.message;
            for (const auto& r : failed) {
                dsn.recipients.push_back(failed_recipient(entry, r, expired, now));
            }
            queue_entry notice;
            notice.job.from = grammar::reverse_path{};
            notice.job.to.push_back(grammar::forward_path{false, entry.job.from.value});
            notice.job.message = compose_dsn(dsn);
            notice.dsn.notify = "NEVER";
            notice.created = now;
            notice.next_attempt = now;
            queue.add(std::move(notice));
            ++report.bounces;
        }
        if (left.empty()) {
            queue.remove(entry.id);
            continue;
        }
        entry.job.to = std::move(left);
        entry.next_attempt = now + retry_delay(policy, entry.attempts).count();
        queue.update(entry);
    }
    return report;
}

}  // namespace smtpspec::reference::net
