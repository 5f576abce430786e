// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "reference/net/client_queue.hpp"
#include "tools/smtpspec/delivery.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace smtpspec::tools
{

namespace
{
struct send_args
{
    delivery_settings delivery;
    std::string from;
    std::vector<std::string> to;
    std::string file = "-";
    std::string queue;
};

/// A delivery that left recipients to retry later (4.5.4.1): the closest of
/// the shared exit codes.
constexpr int exit_temporary = exit_connection;

std::string read_message(const std::string& file)
{
    std::ostringstream content;
    if (file == "-") {
        content << std::cin.rdbuf();
        return content.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        throw CLI::ValidationError("FILE", file + " is a directory, not a message file");
    }
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        throw CLI::ValidationError("FILE", "cannot read " + file);
    }
    content << in.rdbuf();
    if (in.bad()) {
        throw CLI::ValidationError("FILE", "error while reading " + file);
    }
    return content.str();
}

void run(const send_args& args)
{
    reference::client_job job;
    const std::string& from = args.from;
    if (from.empty() || from == "<>") {
        job.from = grammar::reverse_path{};  // The null reverse-path, 3.6.3.
    } else {
        job.from = grammar::reverse_path{path_argument(from, "--from")};
    }
    for (const auto& to : args.to) {
        job.to.push_back(grammar::forward_path{false, path_argument(to, "--to")});
    }
    // Every option is checked before the message is read.
    const reference::dsn_request dsn = client_config_of(args.delivery).dsn;
    job.message = read_message(args.file);

    std::uint64_t session_id = 1;
    const auto outcomes = deliver_job(args.delivery, job, session_id);
    bool permanent = false;
    reference::client_job left{job.from, {}, job.message};
    for (const auto& r : outcomes) {
        permanent = permanent || r.state == reference::net::recipient_state::permanent;
        if (r.state == reference::net::recipient_state::temporary) {
            left.to.push_back(r.to);
        }
    }
    const bool deferred = !left.to.empty();
    if (deferred && !args.queue.empty()) {
        // spec: 4.5.4.1 R-4.5.4.1-1 implementation
        reference::net::client_queue queue{args.queue};
        reference::net::queue_entry entry;
        entry.job = std::move(left);
        entry.server = args.delivery.server;
        entry.dsn = dsn;  // RFC 3461 5.2: the parameters travel with the message.
        entry.created = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        entry.attempts = 1;
        entry.next_attempt = entry.created + reference::net::queue_policy{}.retry_interval.count();
        entry.last_error = "deferred at the first attempt";
        const std::string id = queue.add(entry);
        log_line("info", "event=queued id=" + id + " recipients="
                             + std::to_string(entry.job.to.size()) + " dir=\"" + args.queue
                             + "\"");
    }
    if (permanent) {
        throw CLI::RuntimeError(exit_failed);
    }
    if (deferred) {
        throw CLI::RuntimeError(exit_temporary);
    }
}
}  // namespace

void add_send_command(CLI::App& app)
{
    auto args = std::make_shared<send_args>();
    CLI::App* sub = app.add_subcommand(
        "send", "Deliver one message with the reference client, printing the annotated trace");
    sub->footer("Exit status: 0 delivered to every recipient; 1 a recipient failed for good "
                "(5yz, null MX, no such domain, or refused by the client: SIZE, 8BITMIME, "
                "SMTPUTF8); 3 not delivered for now (4yz, DNS failure, no server reachable, "
                "TLS required but unavailable): retry later (RFC 5321 4.5.4.1); with --queue "
                "those recipients are stored for `smtpspec queue run`.");
    add_delivery_options(sub, args->delivery);
    sub->add_option("--from", args->from, "Envelope sender (MAIL FROM); \"<>\" for none")
        ->required();
    sub->add_option("--to", args->to, "Envelope recipient (RCPT TO); repeat for more")
        ->required()
        ->allow_extra_args(false);
    sub->add_option("--queue", args->queue,
                    "Queue folder: recipients deferred now are stored there for "
                    "`smtpspec queue run`");
    sub->add_option("file", args->file, "Message file (RFC 5322), or - for stdin")
        ->capture_default_str();
    sub->callback([args] { run(*args); });
}

}  // namespace smtpspec::tools
