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
 * submit() queues a message and returns at once. A free writer thread
 * stages it right away (write and fdatasync, maildir_store::stage); writers
 * flush in parallel, so the file system can join their flushes. The
 * publisher thread takes every message staged so far as one group and
 * publishes it (renamed into new/, one sync of new/); only then is each
 * message's completion called, with ok or the reason it failed. While one
 * group is published, the next one is being staged. The durability promise
 * of maildir_store holds for every message (6.1, WG #114); the directory
 * sync is paid once per group instead of once per message.
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
     */
    maildir_committer(maildir_store& store, std::string server_name, std::size_t writers = 16);

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
    struct staged_pending
    {
        maildir_store::staged file;
        completion done;
    };
    /// @endcond

    void write();
    void publish();

    maildir_store& store_;
    std::string server_name_;
    mutable std::mutex mutex_;
    std::condition_variable work_;      // A message to stage, or stop.
    std::condition_variable staged_;    // A message to publish, or stop.
    std::vector<pending> queue_;        // Submitted, not yet taken by a writer.
    std::vector<staged_pending> ready_; // Staged, not yet published.
    std::size_t writing_ = 0;           // Messages being staged now.
    commit_stats stats_;
    bool stopping_ = false;
    std::vector<std::thread> writers_;
    std::thread publisher_;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_COMMITTER_HPP
