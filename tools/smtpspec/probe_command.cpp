// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/probe_command.hpp"

#include "grammar/parse.hpp"
#include "validate/cases.hpp"
#include "validate/endpoint.hpp"
#include "validate/report.hpp"
#include "validate/runner.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace smtpspec::tools
{

namespace
{
struct probe_options
{
    std::string target;
    std::string json_file;
    std::string junit_file;
    std::string from = validate::probe_config{}.from;
    std::string to = validate::probe_config{}.to;
    std::string cases;
    bool list = false;
    bool verbose = false;
    double timeout_seconds = 5.0;
};

constexpr int usage_error = 2;

[[noreturn]] void fail_with(int status, const std::string& message)
{
    std::cerr << "smtpspec probe: " << message << '\n';
    throw CLI::RuntimeError(status);
}

/**
 * Checks a mailbox given on the command line with the Mailbox rule of 4.1.2:
 * the prober puts it between angle brackets in MAIL and RCPT.
 * @return empty, or why it is not a Mailbox.
 */
std::string mailbox_problem(const std::string& m)
{
    const auto parsed = grammar::parse_mailbox(m);
    if (const auto* err = std::get_if<grammar::syntax_error>(&parsed)) {
        return err->rule + " at offset " + std::to_string(err->offset) + ": " + err->message;
    }
    return {};
}

bool write_file(const std::string& path, const std::string& content)
{
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out << content;
    out.close();
    return static_cast<bool>(out);
}

void run_probe_command(const probe_options& o)
{
    const auto selected = validate::select_cases(validate::rfc5321_cases(), o.cases);
    if (selected.empty()) {
        fail_with(usage_error, "no case id starts with \"" + o.cases + "\" (see --list)");
    }
    if (o.list) {
        validate::write_case_list(std::cout, selected);
        return;
    }
    if (o.target.empty()) {
        fail_with(usage_error, "ADDR:PORT is required (or use --list)");
    }
    const auto target = validate::parse_endpoint(o.target);
    if (!target) {
        fail_with(usage_error, "\"" + o.target
                                   + "\" is not ADDR:PORT with a numeric address, e.g. "
                                     "127.0.0.1:2525 or [::1]:2525");
    }
    for (const auto& [option, value] : {std::pair{"--from", &o.from}, {"--to", &o.to}}) {
        if (const auto problem = mailbox_problem(*value); !problem.empty()) {
            fail_with(usage_error, std::string{option} + " \"" + *value
                                       + "\" is not a Mailbox (4.1.2): " + problem);
        }
    }
    if (!std::isfinite(o.timeout_seconds) || o.timeout_seconds <= 0
        || o.timeout_seconds > 3600) {
        fail_with(usage_error, "--timeout takes seconds, more than 0 and at most 3600");
    }

    validate::probe_config config;
    config.target = *target;
    config.from = o.from;
    config.to = o.to;
    config.read_timeout = std::chrono::milliseconds{
        static_cast<long long>(std::ceil(o.timeout_seconds * 1000.0))};
    config.case_timeout = config.read_timeout * 10;

    std::cout << "probing " << target->str() << " with " << selected.size() << " case(s)\n";
    const auto report = validate::run_probe(config, selected, [&](const auto& r) {
        std::cout << validate::format_result_line(r) << '\n';
        if (o.verbose && r.result != validate::grade::pass) {
            std::cout << "    " << r.found.detail << '\n';
        }
        std::cout.flush();
    });
    std::cout << validate::format_summary(report) << '\n';

    if (!o.json_file.empty() && !write_file(o.json_file, validate::to_json(report))) {
        fail_with(usage_error, "cannot write the JSON report to " + o.json_file);
    }
    if (!o.junit_file.empty() && !write_file(o.junit_file, validate::to_junit(report))) {
        fail_with(usage_error, "cannot write the JUnit report to " + o.junit_file);
    }
    if (report.unreachable()) {
        fail_with(usage_error, "cannot connect to " + target->str());
    }
    if (const int status = validate::exit_code(report); status != 0) {
        throw CLI::RuntimeError(status);
    }
}
}  // namespace

void add_probe_command(CLI::App& app)
{
    auto opts = std::make_shared<probe_options>();
    auto* cmd = app.add_subcommand(
        "probe", "Check an SMTP server against RFC 5321, one case per requirement");
    cmd->footer("Exit status: 0 no case failed, 1 a MUST was broken (a case graded fail), "
                "2 usage error or server unreachable.\n"
                "Only the given numeric address is contacted; host names are refused.");
    cmd->add_option("target", opts->target,
                    "server as ADDR:PORT, e.g. 127.0.0.1:2525 or [::1]:2525");
    cmd->add_option("--json", opts->json_file, "write the report as JSON to FILE")
        ->option_text("FILE");
    cmd->add_option("--junit", opts->junit_file, "write the report as JUnit XML to FILE")
        ->option_text("FILE");
    cmd->add_option("--from", opts->from, "reverse-path mailbox for MAIL FROM")
        ->option_text("ADDR")
        ->capture_default_str();
    cmd->add_option("--to", opts->to, "forward-path mailbox the server accepts, for RCPT TO")
        ->option_text("ADDR")
        ->capture_default_str();
    cmd->add_option("--cases", opts->cases,
                    "run only cases whose id starts with PREFIX (comma-separated list), "
                    "e.g. rfc5321/4.1.1")
        ->option_text("PREFIX");
    cmd->add_flag("--list", opts->list, "print the case catalogue and exit, without connecting");
    cmd->add_option("--timeout", opts->timeout_seconds,
                    "seconds to wait for each reply (a case gets ten times this)")
        ->option_text("SECONDS")
        ->capture_default_str();
    cmd->add_flag("-v,--verbose", opts->verbose, "print the finding of each case not passed");
    cmd->callback([opts] { run_probe_command(*opts); });
}

}  // namespace smtpspec::tools
