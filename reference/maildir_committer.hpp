// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_MAILDIR_COMMITTER_HPP
#define SMTPSPEC_REFERENCE_MAILDIR_COMMITTER_HPP

#include "reference/maildir.hpp"
#include "reference/message_store.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace smtpspec::reference
{

/** What a group commit has done so far, for the log and the benchmark. */
struct commit_stats
{
    std::uint64_t groups = 0;    ///< Groups committed (one sync of new/ each).
    std::uint64_t messages = 0;  ///< Messages in them.
    std::size_t largest = 0;     ///< Messages in the largest group.
};

/**
 * Group commit into a Maildir, off the caller's thread.
 *
 * submit() queues a message and returns at once. A committer thread takes
 * every message queued so far as one group: writers stage them (write and
 * fdatasync, maildir_store::stage) in parallel, so that the file system
 * joins their flushes into few journal commits; then the group is published
 * (renamed into new/, one sync of new/). Only then is each message's
 * completion called, with ok or the reason it failed. The durability
 * promise of maildir_store holds for every message (6.1, WG #114); the
 * fsync latency is paid once per group instead of once per message.
 *
 * Completions run on the committer thread: a network shell posts them back
 * to its own event loop.
 */
class maildir_committer
{
public:
    /** Called once per submitted message, on the committer thread. */
    using completion = std::function<void(store_result)>;

    /**
     * Starts the committer and its writers.
     * @param store the Maildir; must outlive the committer.
     * @param server_name the receiving host's name, for the trace lines.
     * @param writers threads that stage messages at once (at least 1).
     * @param max_group messages committed together at most (at least 1).
     */
    maildir_committer(maildir_store& store, std::string server_name, std::size_t writers = 16,
                      std::size_t max_group = 256);

    /** Commits what is still queued, calls its completions, then stops. */
    ~maildir_committer();

    maildir_committer(const maildir_committer&) = delete;
    maildir_committer& operator=(const maildir_committer&) = delete;

    /**
     * Queues one message. Thread-safe.
     * @param message the accepted message.
     * @param done called with the result once the message is durable or failed.
     */
    void submit(accepted_message message, completion done);

    /** @return a copy of the counters. Thread-safe. */
    [[nodiscard]] commit_stats stats() const;

private:
    /// @cond INTERNAL
    struct pending
    {
        accepted_message message;
        completion done;
    };
    class writer_pool;
    /// @endcond

    void run();

    maildir_store& store_;
    std::string server_name_;
    std::size_t max_group_;
    std::unique_ptr<writer_pool> writers_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<pending> queue_;
    commit_stats stats_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_COMMITTER_HPP
