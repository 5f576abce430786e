// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "reference/net/client.hpp"
#include "tools/smtpspec/options.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
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
};

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
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        throw CLI::ValidationError("FILE", "cannot read " + file);
    }
    content << in.rdbuf();
    return content.str();
}

void run(const send_args& args)
{
    reference::net::client_options options;
    options.server = host_port_argument(args.server, "--server");
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
        job.to.push_back(grammar::forward_path{false, grammar::path{{}, mailbox_argument(to, "--to")}});
    }
    job.message = read_message(args.file);

    reference::client_config config;
    config.helo_name = args.helo;
    reference::client_session session{config, std::move(job)};
    const std::string failure = reference::net::run_client(options, session);
    std::cout << std::flush;
    if (!failure.empty()) {
        std::cerr << "smtpspec send: " << failure << '\n';
        throw CLI::RuntimeError(exit_connection);
    }
    const auto& result = session.result();
    for (const auto& r : result.recipients) {
        if (r.code / 100 != 2) {
            std::cerr << "smtpspec send: recipient " << grammar::to_string(r.to) << " refused ("
                      << r.code << ")\n";
        }
    }
    if (!result.delivered) {
        std::cerr << "smtpspec send: not delivered: " << result.error << '\n';
        throw CLI::RuntimeError(exit_failed);
    }
}
}  // namespace

void add_send_command(CLI::App& app)
{
    auto args = std::make_shared<send_args>();
    CLI::App* sub = app.add_subcommand(
        "send", "Deliver one message with the reference client, printing the annotated trace");
    sub->add_option("--server", args->server, "Server to deliver to, HOST:PORT")->required();
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
