// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "reference/net/client_queue.hpp"
#include "tools/smtpspec/delivery.hpp"
#include "tools/smtpspec/options.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
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

std::string read_message(const std::string& file)
{
    std::ostringstream content;
    if (file == "-") {
        content << std::cin.rdbuf();
        return content.str();
    }
    std::string message;
    if (const std::string error = read_file(file, message); !error.empty()) {
        throw CLI::ValidationError("FILE", error);
    }
    return message;
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
    // Every option is checked before the message is read, and the message
    // and the queue folder before anything connects.
    const reference::dsn_request dsn = client_config_of(args.delivery).dsn;
    job.message = read_message(args.file);
    std::optional<reference::net::client_queue> queue;
    if (!args.queue.empty()) {
        try {
            queue.emplace(args.queue, reference::net::queue_open::create);
        } catch (const std::exception& e) {
            throw CLI::ValidationError("--queue", e.what());
        }
    }

    std::uint64_t session_id = 1;
    const auto outcomes = deliver_job(args.delivery, job, session_id);
    reference::client_job left{job.from, {}, job.message};
    std::string reason;  // The first deferred recipient's reply, for the queue.
    for (const auto& r : outcomes) {
        if (r.state == reference::net::recipient_state::temporary) {
            left.to.push_back(r.to);
            if (reason.empty()) {
                reason = reference::net::describe(r);
            }
        }
    }
    std::string queued;
    if (!left.to.empty() && queue) {
        // spec: 4.5.4.1 R-4.5.4.1-1 implementation
        reference::net::queue_entry entry;
        entry.job = std::move(left);
        entry.server = args.delivery.server;
        entry.dsn = dsn;  // RFC 3461 5.2: the parameters travel with the message.
        entry.created = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        entry.attempts = 1;
        entry.next_attempt = entry.created + reference::net::queue_policy{}.retry_interval.count();
        entry.last_error = reason;
        const std::string id = queue->add(entry);
        log_line("info", "event=queued id=" + id + " recipients="
                             + std::to_string(entry.job.to.size()) + " dir=\"" + args.queue
                             + "\"");
        queued = "queued in " + args.queue + " as " + id;
    }
    if (const int status = report_outcomes(outcomes, queued); status != exit_ok) {
        throw CLI::RuntimeError(status);
    }
}
}  // namespace

void add_send_command(CLI::App& app)
{
    auto args = std::make_shared<send_args>();
    CLI::App* sub = app.add_subcommand(
        "send", "Deliver one message with the reference client, printing the annotated trace");
    sub->footer("Each recipient gets one line on stderr: delivered, deferred or failed, with "
                "the server's reply or the reason; then a summary with the three counts. "
                "Exit status: 0 delivered to every recipient; 1 a recipient failed for good "
                "(5yz, null MX, no such domain, or refused by the client: SIZE, 8BITMIME, "
                "SMTPUTF8), whatever happened to the others; 3 none failed but some are not "
                "delivered for now (4yz, DNS failure, no server reachable, TLS required but "
                "unavailable): retry later (RFC 5321 4.5.4.1); with --queue those recipients "
                "are stored for `smtpspec queue run`; 2 bad arguments or local files (the "
                "message, --tls-ca, --queue), found before connecting. With --tls "
                "opportunistic, a failed TLS handshake is followed by one new connection "
                "without STARTTLS, and the message goes in clear (RFC 3207 leaves this to "
                "local policy).");
    add_delivery_options(sub, args->delivery);
    sub->add_option("--from", args->from, "Envelope sender (MAIL FROM); \"<>\" for none")
        ->required();
    sub->add_option("--to", args->to, "Envelope recipient (RCPT TO); repeat for more")
        ->required()
        ->allow_extra_args(false);
    sub->add_option("--queue", args->queue,
                    "Queue folder, created when missing: recipients deferred now are stored "
                    "there for `smtpspec queue run`");
    sub->add_option("file", args->file, "Message file (RFC 5322), or - for stdin")
        ->capture_default_str();
    sub->callback([args] { run(*args); });
}

}  // namespace smtpspec::tools
