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
 * submit() queues a message and returns at once. The committer thread takes
 * every message queued so far (at most max_group) as one group: it stages
 * each (maildir_store::stage), flushes the group (maildir_store::flush: one
 * syncfs and one more disk flush for all of them with
 * group_flush::file_system) and publishes it (maildir_store::publish:
 * renamed into new/, one sync of new/); only then is each message's
 * completion called, with ok or the reason it failed. Messages submitted
 * meanwhile form the next group. A group thus costs three disk flushes
 * whatever its size, and the durability promise of
 * maildir_store holds for every message (6.1, WG #114).
 *
 * One thread does it all: measured on the development machine (README,
 * "Server performance"), stages on threads of their own or two groups
 * committed at once made smaller groups and more waiting on the same disk,
 * for a lower rate and more CPU per message.
 *
 * Completions run on the committer thread: a network shell posts them back
 * to its own event loop.
 */
class maildir_committer
{
public:
    /** Called once per submitted message, on the committer thread. */
    using completion = std::function<void(store_result)>;

    /** Messages in one group at most (and files the committer holds open). */
    static constexpr std::size_t max_group = 256;

    /**
     * Starts the committer thread.
     * @param store the Maildir; must outlive the committer.
     * @param server_name the receiving host's name, for the trace lines.
     */
    maildir_committer(maildir_store& store, std::string server_name);

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
    /// @endcond

    void run();
    void commit(std::vector<pending>& group);

    maildir_store& store_;
    std::string server_name_;
    mutable std::mutex mutex_;
    std::condition_variable queued_;  // A message to commit, or stop.
    std::vector<pending> queue_;      // Submitted, not yet taken.
    commit_stats stats_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_COMMITTER_HPP
