// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/client_queue.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

std::string read_file(const fs::path& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        io_failure("cannot read", file);
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Reads a path back with the command grammar (SMTPUTF8 allowed), so that
/// what the queue stores is exactly what the client will send (known fault
/// B14: quoting survives the round trip).
grammar::command parse_path_line(const std::string& line, const fs::path& file, int number)
{
    grammar::parse_options options;
    options.smtputf8 = true;
    auto parsed = grammar::parse_command(line + "\r\n", options);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": not a path (" +
                                 e->message + ", rule " + e->rule + ")");
    }
    return std::get<grammar::command>(parsed);
}

std::string notice_text(const queue_entry& entry, const std::vector<recipient_outcome>& failed)
{
    std::string text = "From: Mail Delivery <postmaster@smtpspec.localhost>\r\n"
                       "To: " +
                       entry.job.from.value->box.str() +
                       "\r\n"
                       "Subject: Undelivered mail returned to sender\r\n"
                       "Auto-Submitted: auto-replied\r\n\r\n"
                       "The message queued as " +
                       entry.id + " could not be delivered to these recipients:\r\n\r\n";
    for (const auto& r : failed) {
        text += "  " + grammar::to_string(r.to) + ": " +
                (r.code != 0 ? std::to_string(r.code) + " " : std::string{}) +
                (r.where.empty() ? entry.last_error : "at " + r.where) + "\r\n";
    }
    return text;
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

client_queue::client_queue(fs::path directory) : dir_(std::move(directory))
{
    fs::create_directories(dir_);
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

std::vector<queue_entry> client_queue::list() const
{
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_)) {
        if (e.path().extension() == ".env") {
            files.push_back(e.path());
        }
    }
    std::ranges::sort(files);
    std::vector<queue_entry> out;
    for (const auto& file : files) {
        queue_entry entry;
        entry.id = file.stem().string();
        std::istringstream in{read_file(file)};
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            const auto space = line.find(' ');
            const std::string key = line.substr(0, space);
            const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
            try {
                if (key == "from") {
                    entry.job.from = std::get<grammar::mail_command>(
                                         parse_path_line("MAIL FROM:" + value, file, number))
                                         .from;
                } else if (key == "to") {
                    entry.job.to.push_back(std::get<grammar::rcpt_command>(
                                               parse_path_line("RCPT TO:" + value, file, number))
                                               .to);
                } else if (key == "server") {
                    entry.server = value;
                } else if (key == "created") {
                    entry.created = std::stoll(value);
                } else if (key == "next") {
                    entry.next_attempt = std::stoll(value);
                } else if (key == "attempts") {
                    entry.attempts = static_cast<unsigned>(std::stoul(value));
                } else if (key == "error") {
                    entry.last_error = value;
                } else {
                    throw std::runtime_error("unknown key \"" + key + "\"");
                }
            } catch (const std::runtime_error&) {
                throw;
            } catch (const std::exception& e) {
                throw std::runtime_error(file.string() + ":" + std::to_string(number) +
                                         ": bad value for " + key + ": " + e.what());
            }
        }
        entry.job.message = read_file(dir_ / (entry.id + ".msg"));
        out.push_back(std::move(entry));
    }
    return out;
}

queue_run_report
run_queue(client_queue& queue, const queue_policy& policy, std::int64_t now,
          const std::function<std::vector<recipient_outcome>(const queue_entry&)>& attempt)
{
    queue_run_report report;
    for (queue_entry entry : queue.list()) {
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
            recipient_outcome r =
                i < outcomes.size()
                    ? outcomes[i]
                    : recipient_outcome{entry.job.to[i], recipient_state::temporary, 0, {}};
            if (r.state == recipient_state::delivered) {
                ++report.delivered;
            } else if (r.state == recipient_state::permanent || expired) {
                ++report.failed;
                failed.push_back(std::move(r));
            } else {
                left.push_back(entry.job.to[i]);
                if (!r.where.empty() || r.code != 0) {
                    entry.last_error = std::to_string(r.code) + " at " + r.where;
                }
            }
        }
        report.deferred += left.size();
        // spec: 3.6.3 R-3.6.3-1 implementation
        // spec: 4.5.5 R-4.5.5-1 R-4.5.5-2 implementation
        if (!failed.empty() && !entry.job.from.is_null()) {
            queue_entry notice;
            notice.job.from = grammar::reverse_path{};
            notice.job.to.push_back(grammar::forward_path{false, entry.job.from.value});
            notice.job.message = notice_text(entry, failed);
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
