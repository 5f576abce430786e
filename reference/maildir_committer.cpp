// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir_committer.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

namespace smtpspec::reference
{

/// Threads that run one job over the indexes 0..n-1 and wait for the end.
/// Each job is a fresh object, so a thread that wakes late can never take
/// an index of the next job.
class maildir_committer::writer_pool
{
public:
    explicit writer_pool(std::size_t threads)
    {
        for (std::size_t i = 0; i < threads; ++i) {
            threads_.emplace_back([this] { serve(); });
        }
    }

    ~writer_pool()
    {
        {
            const std::lock_guard lock{mutex_};
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) {
            t.join();
        }
    }

    writer_pool(const writer_pool&) = delete;
    writer_pool& operator=(const writer_pool&) = delete;

    /// Runs fn(0) .. fn(n-1) on the pool and the calling thread; returns
    /// when every call has returned.
    void run(std::size_t n, const std::function<void(std::size_t)>& fn)
    {
        auto j = std::make_shared<job>(n, fn);
        {
            const std::lock_guard lock{mutex_};
            current_ = j;
            ++generation_;
        }
        // Wake no more threads than there are calls beyond the caller's own.
        for (std::size_t i = 1; i < n && i <= threads_.size(); ++i) {
            wake_.notify_one();
        }
        work(*j);
        std::unique_lock lock{j->mutex};
        j->finished.wait(lock, [&] { return j->done == j->count; });
    }

private:
    struct job
    {
        job(std::size_t n, const std::function<void(std::size_t)>& f) : count(n), fn(f) {}
        const std::size_t count;
        const std::function<void(std::size_t)>& fn;  // The caller's; it waits for the end.
        std::atomic<std::size_t> next{0};
        std::mutex mutex;
        std::condition_variable finished;
        std::size_t done = 0;
    };

    static void work(job& j)
    {
        for (std::size_t i = j.next++; i < j.count; i = j.next++) {
            j.fn(i);
            const std::lock_guard lock{j.mutex};
            if (++j.done == j.count) {
                j.finished.notify_one();
            }
        }
    }

    void serve()
    {
        std::uint64_t seen = 0;
        while (true) {
            std::shared_ptr<job> j;
            {
                std::unique_lock lock{mutex_};
                wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
                if (stopping_) {
                    return;
                }
                seen = generation_;
                j = current_;
            }
            work(*j);
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<job> current_;
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

maildir_committer::maildir_committer(maildir_store& store, std::string server_name,
                                     std::size_t writers, std::size_t max_group)
    : store_(store)
    , server_name_(std::move(server_name))
    , max_group_(std::max<std::size_t>(max_group, 1))
    , writers_(std::make_unique<writer_pool>(std::max<std::size_t>(writers, 1) - 1))
    , thread_([this] { run(); })
{
}

maildir_committer::~maildir_committer()
{
    {
        const std::lock_guard lock{mutex_};
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void maildir_committer::submit(accepted_message message, completion done)
{
    {
        const std::lock_guard lock{mutex_};
        queue_.push_back({std::move(message), std::move(done)});
    }
    wake_.notify_one();
}

commit_stats maildir_committer::stats() const
{
    const std::lock_guard lock{mutex_};
    return stats_;
}

void maildir_committer::run()
{
    std::vector<pending> group;
    std::vector<maildir_store::staged> staged;
    while (true) {
        group.clear();
        {
            std::unique_lock lock{mutex_};
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // Stopping, and nothing is left to commit.
            }
            // Everything that arrived while the last group was committed.
            const std::size_t n = std::min(queue_.size(), max_group_);
            std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
                      std::back_inserter(group));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        }
        staged.assign(group.size(), {});
        writers_->run(group.size(), [&](std::size_t i) {
            staged[i] = store_.stage(group[i].message.env, group[i].message.data, server_name_);
        });
        store_.publish(staged);
        {
            const std::lock_guard lock{mutex_};
            ++stats_.groups;
            stats_.messages += group.size();
            stats_.largest = std::max(stats_.largest, group.size());
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            group[i].done(std::move(staged[i].result));
        }
    }
}

}  // namespace smtpspec::reference
