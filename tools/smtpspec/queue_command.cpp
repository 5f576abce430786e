// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "grammar/print.hpp"
#include "reference/net/client_queue.hpp"
#include "reference/trace.hpp"
#include "tools/smtpspec/delivery.hpp"
#include "tools/smtpspec/options.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

namespace smtpspec::tools
{

namespace
{
struct queue_args
{
    delivery_settings delivery;
    std::string directory;
    std::optional<std::int64_t> now;
    unsigned retry_interval = 30 * 60;
    unsigned max_interval = 4 * 60 * 60;
    unsigned give_up = 5 * 24 * 60 * 60;
};

/// Reports the entries that cannot be read: left in place, untouched. A
/// damaged file may hold any octet (a NUL, escape sequences): what comes from
/// it is escaped (reference::printable) before it reaches a terminal.
void report_damaged(const std::vector<reference::net::damaged_entry>& damaged)
{
    for (const auto& d : damaged) {
        std::cerr << "smtpspec: " << reference::printable(d.str()) << " (entry "
                  << reference::printable(d.id) << " skipped and left in place)\n";
    }
}

void run_queue_once(const queue_args& args)
{
    reference::net::queue_policy policy;
    // spec: 4.5.4.1 R-4.5.4.1-3 R-4.5.4.1-5 implementation
    policy.retry_interval = std::chrono::seconds{args.retry_interval};
    policy.max_interval = std::chrono::seconds{args.max_interval};
    policy.give_up = std::chrono::seconds{args.give_up};
    policy.reporting_mta = args.delivery.helo;
    (void)client_config_of(args.delivery);
    const std::int64_t now =
        args.now.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
    reference::net::client_queue queue{args.directory};  // Must exist: never created here.
    std::uint64_t session_id = 1;
    const auto report = reference::net::run_queue(
        queue, policy, now, [&](const reference::net::queue_entry& entry) {
            delivery_settings settings = args.delivery;
            if (settings.server.empty() && !entry.server.empty()) {
                // The entry's server (send --server) is used as given: no routing.
                settings.server = entry.server;
                settings.dns_server.clear();
            }
            settings.dsn = entry.dsn;  // Stored with the message by send --queue.
            log_line("info", "event=attempt id=" + entry.id +
                                 " attempt=" + std::to_string(entry.attempts + 1));
            return deliver_job(settings, entry.job, session_id);
        });
    log_line("info", "event=queue_run tried=" + std::to_string(report.tried) +
                         " delivered=" + std::to_string(report.delivered) +
                         " failed=" + std::to_string(report.failed) +
                         " deferred=" + std::to_string(report.deferred) +
                         " notices=" + std::to_string(report.bounces) +
                         " damaged=" + std::to_string(report.damaged.size()));
    report_damaged(report.damaged);
    if (!report.damaged.empty()) {
        throw CLI::RuntimeError(exit_damaged);
    }
    if (report.failed > 0) {
        throw CLI::RuntimeError(exit_failed);
    }
    if (!queue.list().empty()) {
        throw CLI::RuntimeError(exit_connection);  // Entries wait for a later run.
    }
}

void list_queue(const std::string& directory)
{
    const reference::net::client_queue queue{directory};  // Must exist: never created here.
    const auto listing = queue.scan();
    for (const auto& e : listing.entries) {
        // The paths passed the command grammar (no control octets); the id
        // (a file name) and the stored error are escaped.
        std::cout << reference::printable(e.id) << " from=" << grammar::to_string(e.job.from);
        for (const auto& to : e.job.to) {
            std::cout << " to=" << grammar::to_string(to);
        }
        std::cout << " attempts=" << e.attempts << " next=" << e.next_attempt
                  << " error=" << reference::log_quoted(e.last_error) << "\n";
    }
    report_damaged(listing.damaged);
    if (!listing.damaged.empty()) {
        throw CLI::RuntimeError(exit_damaged);
    }
}
}  // namespace

void add_queue_command(CLI::App& app)
{
    CLI::App* queue =
        app.add_subcommand("queue", "The reference client's retry queue (RFC 5321 4.5.4.1)");
    queue->require_subcommand(1);

    auto args = std::make_shared<queue_args>();
    CLI::App* run = queue->add_subcommand(
        "run", "Try every queued message whose time has come, once, then exit");
    run->footer("Each entry is sent with the DSN parameters (--notify, --ret, --envid, --orcpt) "
                "it was queued with. A recipient that fails for good, or is still not delivered "
                "after --give-up, is reported to the sender in one RFC 3464 notice "
                "(multipart/report), queued with the null reverse-path; --helo names the "
                "Reporting-MTA. An entry that cannot be read (unknown key, bad value, missing "
                "line or message file) is skipped, named with its file and line on stderr, "
                "and left as it is. Exit status: 4 some entries are damaged (the others were "
                "processed all the same; this status wins over the next ones); 1 a recipient "
                "failed for good; 3 entries are left for a later run; 0 the queue is empty; "
                "2 bad arguments, or no such queue folder (it is never created here).");
    run->add_option("directory", args->directory, "Queue folder")->required();
    add_delivery_options(run, args->delivery, false);
    run->add_option("--now", args->now,
                    "Current time in seconds since 1970 (default: the clock; for tests)");
    run->add_option("--retry-interval", args->retry_interval,
                    "Seconds before the second attempt; doubles after each failure "
                    "(4.5.4.1 asks for at least 1800)")
        ->check(whole_number(0, UINT32_MAX))
        ->capture_default_str();
    run->add_option("--max-interval", args->max_interval, "Longest wait between attempts")
        ->check(whole_number(0, UINT32_MAX))
        ->capture_default_str();
    run->add_option("--give-up", args->give_up,
                    "Seconds after the first attempt when a message is returned "
                    "(4.5.4.1 asks for at least 4-5 days)")
        ->check(whole_number(0, UINT32_MAX))
        ->capture_default_str();
    run->callback([args] { run_queue_once(*args); });

    auto dir = std::make_shared<std::string>();
    CLI::App* list = queue->add_subcommand("list", "Print the queued messages");
    list->footer("Exit status: 0 listed; 4 some entries are damaged (named on stderr with "
                 "their file and line, the others listed); 2 no such queue folder.");
    list->add_option("directory", *dir, "Queue folder")->required();
    list->callback([dir] { list_queue(*dir); });
}

}  // namespace smtpspec::tools
