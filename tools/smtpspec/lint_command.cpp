// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// `smtpspec lint`: annotates a recorded dialogue and reports its departures
// from the standard as text or SARIF 2.1.0 (docs/lint.md).

#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include "lint/lint.hpp"
#include "lint/report.hpp"
#include "model/profile.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

namespace smtpspec::tools
{

namespace
{

struct lint_cli
{
    std::string file;
    std::string client_capture;
    std::string server_capture;
    std::string profile = "rfc5321";
    std::string format = "text";
    std::string output;
};

[[noreturn]] void usage_error(const std::string& message)
{
    std::cerr << "smtpspec lint: " << message << '\n';
    throw CLI::RuntimeError(exit_usage);
}

std::string read_all(const std::string& file)
{
    std::string content;
    if (const std::string error = read_file(file, content); !error.empty()) {
        usage_error(error);
    }
    return content;
}

void run(const lint_cli& cli)
{
    const auto profile = model::find_profile(cli.profile);
    if (!profile) {
        usage_error("--profile: expected rfc5321 or rfc5321bis, got \"" + cli.profile + "\"");
    }
    const bool capture = !cli.client_capture.empty() || !cli.server_capture.empty();
    if (capture == !cli.file.empty()) {
        usage_error("give either FILE or both --client-capture and --server-capture");
    }
    if (capture && (cli.client_capture.empty() || cli.server_capture.empty())) {
        usage_error("--client-capture and --server-capture go together");
    }
    const lint::options opts{*profile};
    lint::result r;
    std::string name = cli.file;
    if (capture) {
        name = cli.client_capture + " + " + cli.server_capture;
        const std::string client = read_all(cli.client_capture);
        const std::string server = read_all(cli.server_capture);
        if (client.empty() && server.empty()) {
            usage_error(cli.client_capture + " and " + cli.server_capture +
                        ": both captures are empty: nothing to lint");
        }
        r = lint::lint_streams(client, server, opts);
    } else {
        r = lint::lint(read_all(cli.file), opts);
    }
    if (r.error) {
        usage_error(name + ":" + std::to_string(r.error->line) + ": " + r.error->message);
    }
    // A SARIF location needs one artifact URI: a capture's is its client file.
    const std::string report = cli.format == "sarif"
                                   ? lint::to_sarif(r, capture ? cli.client_capture : name)
                                   : lint::to_text(r, name);
    if (cli.output.empty()) {
        std::cout << report << std::flush;
    } else {
        if (const std::string error = write_file(cli.output, report); !error.empty()) {
            usage_error(error);
        }
    }
    if (!r.clean()) {
        throw CLI::RuntimeError(exit_failed);
    }
}

}  // namespace

void add_lint_command(CLI::App& app)
{
    auto cli = std::make_shared<lint_cli>();
    CLI::App* sub = app.add_subcommand(
        "lint", "Annotate a recorded SMTP dialogue (C:/S: lines, docs/lint.md) with grammar "
                "rules and model states, and report departures by requirement id");
    sub->add_option("FILE", cli->file, "Transcript: C:/S: lines with \\r \\n \\xHH escapes");
    sub->add_option(
        "--client-capture", cli->client_capture,
        "Raw capture of what the client sent (with --server-capture, in place of FILE)");
    sub->add_option("--server-capture", cli->server_capture, "Raw capture of what the server sent");
    sub->add_option("--profile", cli->profile, "Reading of the standard: rfc5321, rfc5321bis")
        ->capture_default_str();
    sub->add_option("--format", cli->format, "Output: text or sarif (SARIF 2.1.0 JSON)")
        ->check(CLI::IsMember({"text", "sarif"}))
        ->capture_default_str();
    sub->add_option("--output,-o", cli->output, "Write the report to this file, not stdout");
    sub->footer("Exit status: 0 no findings, 1 findings, 2 bad arguments or unreadable input.");
    sub->callback([cli] { run(*cli); });
}

}  // namespace smtpspec::tools
