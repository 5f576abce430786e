// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_CLIENT_QUEUE_HPP
#define SMTPSPEC_REFERENCE_NET_CLIENT_QUEUE_HPP

#include "reference/client_session.hpp"
#include "reference/net/client.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace smtpspec::reference::net
{

/** When the queue retries and when it gives up (4.5.4.1). */
struct queue_policy
{
    /// Wait after the first failed attempt; 4.5.4.1 asks for 30 minutes or more.
    std::chrono::seconds retry_interval{30 * 60};
    /// The wait doubles after each failed attempt, up to this.
    std::chrono::seconds max_interval{4 * 60 * 60};
    /// Time from the first attempt after which the message is returned;
    /// 4.5.4.1 asks for at least 4 to 5 days.
    std::chrono::seconds give_up{5 * 24 * 60 * 60};
    /// Name of this host in the notices it sends: Reporting-MTA and the
    /// postmaster address in From (RFC 3461 6.3 b).
    std::string reporting_mta = "smtpspec.localhost";
};

/** One queued message and the recipients it still has to reach. */
struct queue_entry
{
    std::string id;                 ///< File name stem in the queue folder.
    client_job job;                 ///< Envelope (recipients left) and message.
    std::string server;             ///< "HOST:PORT" to deliver to; empty to route (section 5).
    /// The RFC 3461 parameters the message was given: sent with every attempt,
    /// and they decide whether a failure is reported and what the notice holds.
    dsn_request dsn;
    std::int64_t created = 0;       ///< Seconds since the epoch of the first attempt.
    std::int64_t next_attempt = 0;  ///< Not tried again before this time.
    unsigned attempts = 0;          ///< Attempts so far.
    std::string last_error;         ///< Why the last attempt did not deliver.
};

/**
 * The wait before the next attempt: retry_interval doubled for each attempt
 * after the first, at most max_interval.
 * @param policy the retry parameters.
 * @param attempts attempts made so far (at least 1).
 * @return the wait.
 */
std::chrono::seconds retry_delay(const queue_policy& policy, unsigned attempts);

/**
 * A folder of queued messages. Each entry is two files: ID.msg (the message
 * as given) and ID.env (the envelope and the retry state, one "key value"
 * per line); each is written to a temporary name, flushed to disk and
 * renamed, the .env last, so that a crash leaves either the whole entry or
 * nothing that list() reads.
 */
class client_queue
{
public:
    /** @param directory the folder; created when missing. */
    explicit client_queue(std::filesystem::path directory);

    /**
     * Stores a new entry durably.
     * @param entry the entry; its id is chosen here.
     * @return the id.
     * @throws std::runtime_error when the files cannot be written.
     */
    std::string add(queue_entry entry);

    /**
     * Rewrites an entry's envelope and state.
     * @param entry an entry read by list().
     * @throws std::runtime_error when the file cannot be written.
     */
    void update(const queue_entry& entry);

    /** @param id the entry to delete. */
    void remove(const std::string& id);

    /**
     * @return every entry, oldest id first.
     * @throws std::runtime_error naming the file and line of an unreadable entry.
     */
    [[nodiscard]] std::vector<queue_entry> list() const;

private:
    void write_envelope(const queue_entry& entry) const;
    std::filesystem::path dir_;
};

/** What one queue run did. */
struct queue_run_report
{
    std::size_t tried = 0;      ///< Entries whose time had come.
    std::size_t delivered = 0;  ///< Recipients delivered.
    std::size_t failed = 0;     ///< Recipients failed for good (5yz or give-up time).
    std::size_t deferred = 0;   ///< Recipients left in the queue.
    std::size_t bounces = 0;    ///< Delivery status notifications queued.
};

/**
 * Tries every entry whose time has come, once. A delivered or permanently
 * failed recipient leaves the entry; the others wait retry_delay(); past the
 * give-up time they fail. Failed recipients of a message with a non-null
 * reverse-path produce one delivery status notification to that path
 * (compose_dsn(): multipart/report, RFC 3464), queued with the null
 * reverse-path and NOTIFY=NEVER (3.6.3, 4.5.5, RFC 3461 6.1). No notice is
 * made for a message with the null reverse-path, nor when the message's
 * NOTIFY does not ask for failures (RFC 3461 4.1).
 * @param queue the queue.
 * @param policy retry interval and give-up time.
 * @param now the current time in seconds since the epoch (a parameter, so
 *        that tests run on a fake clock).
 * @param attempt delivers one entry and returns the outcome per recipient,
 *        in the entry's order.
 * @return counts.
 */
queue_run_report
run_queue(client_queue& queue, const queue_policy& policy, std::int64_t now,
          const std::function<std::vector<recipient_outcome>(const queue_entry&)>& attempt);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_CLIENT_QUEUE_HPP
