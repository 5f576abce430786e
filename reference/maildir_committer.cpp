// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir_committer.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace smtpspec::reference
{

maildir_committer::maildir_committer(maildir_store& store, std::string server_name)
    : store_(store)
    , server_name_(std::move(server_name))
    , thread_([this] { run(); })
{
}

maildir_committer::~maildir_committer()
{
    {
        const std::lock_guard lock{mutex_};
        stopping_ = true;
    }
    // The thread commits what is queued, then ends: no completion is lost.
    queued_.notify_one();
    thread_.join();
}

void maildir_committer::submit(accepted_message message, completion done)
{
    bool was_empty = false;
    {
        const std::lock_guard lock{mutex_};
        was_empty = queue_.empty();
        queue_.push_back({std::move(message), std::move(done)});
    }
    if (was_empty) {
        queued_.notify_one();  // Otherwise the thread has been woken already.
    }
}

commit_stats maildir_committer::stats() const
{
    const std::lock_guard lock{mutex_};
    return stats_;
}

void maildir_committer::run()
{
    std::vector<pending> group;
    while (true) {
        {
            std::unique_lock lock{mutex_};
            queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // Stopping, and nothing is left to commit.
            }
            // Everything submitted while the last group was committed.
            const auto n = static_cast<std::ptrdiff_t>(std::min(queue_.size(), max_group));
            group.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.begin() + n));
            queue_.erase(queue_.begin(), queue_.begin() + n);
        }
        commit(group);
        group.clear();
    }
}

void maildir_committer::commit(std::vector<pending>& group)
{
    std::vector<maildir_store::staged> files;
    files.reserve(group.size());
    for (pending& p : group) {
        files.push_back(store_.stage(p.message.env, p.message.data, server_name_));
        p.message = {};  // The octets are in tmp/ (or failed): free them now.
    }
    store_.flush(files);
    store_.publish(files);
    {
        const std::lock_guard lock{mutex_};
        ++stats_.groups;
        stats_.messages += files.size();
        stats_.largest = std::max(stats_.largest, files.size());
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
        group[i].done(std::move(files[i].result));
    }
}

}  // namespace smtpspec::reference
