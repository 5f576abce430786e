// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "model/profile.hpp"
#include "reference/dns/cares_resolver.hpp"
#include "reference/net/client.hpp"
#include "reference/route/resolve.hpp"
#include "tools/smtpspec/options.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <sstream>

namespace smtpspec::tools
{

namespace
{
struct send_args
{
    std::string server;
    std::string from;
    std::vector<std::string> to;
    std::string helo = "smtpspec.localhost";
    std::string trace = "text";
    std::string file = "-";
    unsigned timeout = 600;
    std::string dns_server;
    std::string profile = "rfc5321";
    std::uint16_t port = 25;
    unsigned connect_timeout = 30;
    unsigned dns_timeout_ms = 2000;
    std::size_t max_targets = 10;
    std::uint64_t seed = 0;
    bool seeded = false;
};

/// A routed delivery that left recipients to retry later (4.5.4.1): the
/// closest of the shared exit codes.
constexpr int exit_temporary = exit_connection;

/// "a@b", "<a@b>", or "<>" for the null reverse-path.
std::string strip_brackets(const std::string& text)
{
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>') {
        return text.substr(1, text.size() - 2);
    }
    return text;
}

grammar::mailbox mailbox_argument(const std::string& text, const std::string& what)
{
    auto parsed = grammar::parse_mailbox(strip_brackets(text));
    if (const auto* error = std::get_if<grammar::syntax_error>(&parsed)) {
        throw CLI::ValidationError(what, "\"" + text + "\" is not a Mailbox (RFC 5321 4.1.2): "
                                             + error->message + " (rule " + error->rule
                                             + " at offset " + std::to_string(error->offset)
                                             + ")");
    }
    return std::get<grammar::mailbox>(parsed);
}

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

std::string lower(std::string text)
{
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

/// Routes each recipient domain per section 5 and delivers to it; recipients
/// of one domain share one transaction (4.5.4.1 R-4.5.4.1-9).
void run_routed(const send_args& args, const reference::client_job& job,
                const reference::client_config& config, reference::trace_format format)
{
    const auto profile = model::find_profile(args.profile);
    if (!profile) {
        throw CLI::ValidationError("--profile", "unknown profile " + args.profile
                                                    + " (rfc5321 or rfc5321bis)");
    }
    reference::dns::cares_options dns_options;
    if (!args.dns_server.empty()) {
        const auto server = host_port_argument(args.dns_server, "--dns-server");
        dns_options.server_address = server.host;
        dns_options.server_port = server.port;
    }
    dns_options.timeout = std::chrono::milliseconds{args.dns_timeout_ms};
    reference::dns::cares_resolver resolver{dns_options};

    reference::route::options route_options;
    route_options.follow_cname_mx_targets = profile->follow_cname_mx_targets;
    route_options.own_names = {args.helo};
    route_options.max_targets = args.max_targets;
    std::mt19937_64 rng{args.seeded ? args.seed : std::random_device{}()};

    reference::net::delivery_options options;
    options.port = args.port;
    options.reply_timeout = std::chrono::seconds{args.timeout};
    options.connect_timeout = std::chrono::seconds{args.connect_timeout};
    options.on_trace = [format](const reference::trace_event& e) {
        std::cout << reference::format(e, format) << '\n';
    };

    std::map<std::string, reference::client_job> by_domain;
    std::vector<std::string> order;
    for (const auto& to : job.to) {
        const std::string domain = to.value ? lower(to.value->box.domain) : std::string{};
        auto [it, added] = by_domain.try_emplace(domain);
        if (added) {
            it->second.from = job.from;
            it->second.message = job.message;
            order.push_back(domain);
        }
        it->second.to.push_back(to);
    }

    bool permanent = false;
    bool temporary = false;
    reference::client_config session_config = config;
    for (const auto& domain : order) {
        const reference::client_job& part = by_domain.at(domain);
        const auto plan = reference::route::resolve(domain, resolver, route_options, rng);
        const auto result = reference::net::deliver(plan, part, session_config, options);
        session_config.session_id += std::max<std::size_t>(result.attempts.size(), 1);
        std::cout << std::flush;
        for (const auto& r : result.recipients) {
            const char* state = r.state == reference::net::recipient_state::delivered
                ? "delivered"
                : r.state == reference::net::recipient_state::permanent ? "failed" : "deferred";
            log_line(r.state == reference::net::recipient_state::delivered ? "info" : "error",
                     "event=recipient to=" + grammar::to_string(r.to) + " state=" + state
                         + " code=" + std::to_string(r.code)
                         + (r.where.empty() ? "" : " via=" + r.where));
        }
        if (!result.delivered()) {
            std::cerr << "smtpspec send: " << domain << ": not delivered: " << result.error
                      << '\n';
        }
        permanent = permanent || result.permanent_failure();
        temporary = temporary || (!result.delivered() && !result.permanent_failure());
    }
    if (permanent) {
        throw CLI::RuntimeError(exit_failed);
    }
    if (temporary) {
        throw CLI::RuntimeError(exit_temporary);
    }
}

void run(const send_args& args)
{
    reference::net::client_options options;
    if (!args.server.empty()) {
        options.server = host_port_argument(args.server, "--server");
    }
    options.reply_timeout = std::chrono::seconds{args.timeout};
    const auto format = trace_format_argument(args.trace);
    options.on_trace = [format](const reference::trace_event& e) {
        std::cout << reference::format(e, format) << '\n';
    };

    reference::client_job job;
    if (strip_brackets(args.from).empty()) {
        job.from = grammar::reverse_path{};  // The null reverse-path, 3.6.3.
    } else {
        job.from = grammar::reverse_path{grammar::path{{}, mailbox_argument(args.from, "--from")}};
    }
    for (const auto& to : args.to) {
        job.to.push_back(
            grammar::forward_path{false, grammar::path{{}, mailbox_argument(to, "--to")}});
    }
    job.message = read_message(args.file);

    // 4.1.1.1: the EHLO argument is a Domain or an address literal; check it
    // here rather than learn it from the server's 501.
    const auto helo_check = grammar::parse_command("EHLO " + args.helo + "\r\n");
    if (const auto* error = std::get_if<grammar::syntax_error>(&helo_check)) {
        throw CLI::ValidationError("--helo", "\"" + args.helo + "\" is not a Domain or "
                                   "address literal (RFC 5321 4.1.1.1): " + error->message);
    }
    reference::client_config config;
    config.helo_name = args.helo;
    if (args.server.empty()) {
        run_routed(args, job, config, format);
        return;
    }
    reference::client_session session{config, std::move(job)};
    const std::string failure = reference::net::run_client(options, session);
    std::cout << std::flush;
    if (!failure.empty()) {
        std::cerr << "smtpspec send: " << failure << '\n';
        throw CLI::RuntimeError(exit_connection);
    }
    const auto& result = session.result();
    bool temporary = false;
    bool permanent = false;
    for (const auto& r : result.recipients) {
        if (r.code != 0 && r.code / 100 != 2) {
            std::cerr << "smtpspec send: recipient " << grammar::to_string(r.to) << " refused ("
                      << r.code << ")\n";
            (r.code / 100 == 4 ? temporary : permanent) = true;
        }
    }
    if (!result.delivered) {
        std::cerr << "smtpspec send: not delivered: " << result.error << '\n';
        throw CLI::RuntimeError(result.final_code / 100 == 4 ? exit_connection : exit_failed);
    }
    if (permanent || temporary) {
        // Delivered to some recipients only: the exit status says what the
        // others need (see the footer).
        throw CLI::RuntimeError(permanent ? exit_failed : exit_connection);
    }
}
}  // namespace

void add_send_command(CLI::App& app)
{
    auto args = std::make_shared<send_args>();
    CLI::App* sub = app.add_subcommand(
        "send", "Deliver one message with the reference client, printing the annotated trace");
    sub->footer("Exit status: 0 delivered to every recipient; 1 a recipient failed for good "
                "(5yz, null MX, no such domain); 3 not delivered for now (4yz, DNS failure, "
                "no server reachable): retry later (RFC 5321 4.5.4.1).");
    sub->add_option("--server", args->server,
                    "Server to deliver to, HOST:PORT; without it, each recipient domain is "
                    "routed through the DNS (RFC 5321 section 5)");
    sub->add_option("--dns-server", args->dns_server,
                    "DNS server for routing, ADDR:PORT (default: the system's resolvers)");
    sub->add_option("--profile", args->profile,
                    "Reading of the standard: rfc5321, rfc5321bis (WG #121: CNAME MX targets)")
        ->capture_default_str();
    sub->add_option("--port", args->port, "SMTP port of routed targets")->capture_default_str();
    sub->add_option("--connect-timeout", args->connect_timeout,
                    "Seconds to wait for each TCP connection")
        ->capture_default_str();
    sub->add_option("--dns-timeout", args->dns_timeout_ms, "Milliseconds per DNS try")
        ->capture_default_str();
    sub->add_option("--max-targets", args->max_targets,
                    "Most addresses tried per domain (at least 2, RFC 5321 5.1)")
        ->capture_default_str();
    sub->add_option_function<std::uint64_t>(
        "--seed",
        [args](std::uint64_t seed) {
            args->seed = seed;
            args->seeded = true;
        },
        "Seed for the random order of equal MX preferences (default: random)");
    sub->add_option("--from", args->from, "Envelope sender (MAIL FROM); \"<>\" for none")
        ->required();
    sub->add_option("--to", args->to, "Envelope recipient (RCPT TO); repeat for more")
        ->required()
        ->allow_extra_args(false);
    sub->add_option("--helo", args->helo, "Name the client gives in EHLO/HELO")
        ->capture_default_str();
    sub->add_option("--trace", args->trace, "Trace format: text or json")->capture_default_str();
    sub->add_option("--timeout", args->timeout, "Seconds to wait for each reply")
        ->capture_default_str();
    sub->add_option("file", args->file, "Message file (RFC 5322), or - for stdin")
        ->capture_default_str();
    sub->callback([args] { run(*args); });
}

}  // namespace smtpspec::tools
