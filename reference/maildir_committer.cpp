// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir_committer.hpp"

#include <algorithm>
#include <utility>

namespace smtpspec::reference
{

maildir_committer::maildir_committer(maildir_store& store, std::string server_name,
                                     std::size_t writers)
    : store_(store)
    , server_name_(std::move(server_name))
{
    for (std::size_t i = 0; i < std::max<std::size_t>(writers, 1); ++i) {
        writers_.emplace_back([this] { write(); });
    }
    publisher_ = std::thread([this] { publish(); });
}

maildir_committer::~maildir_committer()
{
    {
        const std::lock_guard lock{mutex_};
        stopping_ = true;
    }
    // Writers stage what is queued, then end; the publisher publishes what
    // they staged, then ends: no completion is lost.
    work_.notify_all();
    for (auto& t : writers_) {
        t.join();
    }
    staged_.notify_one();
    publisher_.join();
}

void maildir_committer::submit(accepted_message message, completion done)
{
    {
        const std::lock_guard lock{mutex_};
        queue_.push_back({std::move(message), std::move(done)});
    }
    work_.notify_one();
}

commit_stats maildir_committer::stats() const
{
    const std::lock_guard lock{mutex_};
    return stats_;
}

void maildir_committer::write()
{
    std::unique_lock lock{mutex_};
    while (true) {
        work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
            return;  // Stopping, and nothing is left to stage.
        }
        pending p = std::move(queue_.front());
        queue_.erase(queue_.begin());
        ++writing_;
        lock.unlock();
        maildir_store::staged file = store_.stage(p.message.env, p.message.data, server_name_);
        p.message = {};  // The octets are on disk (or failed); free them now.
        lock.lock();
        --writing_;
        ready_.push_back({std::move(file), std::move(p.done)});
        staged_.notify_one();
    }
}

void maildir_committer::publish()
{
    std::vector<staged_pending> group;
    std::vector<maildir_store::staged> files;
    while (true) {
        {
            std::unique_lock lock{mutex_};
            staged_.wait(lock, [&] {
                return !ready_.empty() || (stopping_ && queue_.empty() && writing_ == 0);
            });
            if (ready_.empty()) {
                return;
            }
            // Everything staged while the last group was published.
            group.swap(ready_);
        }
        files.clear();
        for (auto& s : group) {
            files.push_back(std::move(s.file));
        }
        store_.publish(files);
        {
            const std::lock_guard lock{mutex_};
            ++stats_.groups;
            stats_.messages += group.size();
            stats_.largest = std::max(stats_.largest, group.size());
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            group[i].done(std::move(files[i].result));
        }
        group.clear();
    }
}

}  // namespace smtpspec::reference
