// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/probe_command.hpp"

#include "grammar/parse.hpp"
#include "model/profile.hpp"
#include "spec/catalogue.hpp"
#include "tools/smtpspec/options.hpp"
#include "validate/cases.hpp"
#include "validate/endpoint.hpp"
#include "validate/report.hpp"
#include "validate/runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace smtpspec::tools
{

namespace
{
struct probe_options
{
    std::string target;
    std::string json_file;
    std::string junit_file;
    std::string html_file;
    std::string from = validate::probe_config{}.from;
    std::string to = validate::probe_config{}.to;
    std::string helo = validate::probe_config{}.client_domain;
    std::string cases;
    std::string tags;
    std::string profile = "rfc5321";
    std::vector<std::string> switches;
    std::string tls = "plain";
    std::string fail_on = "fail";
    std::string colour = "auto";
    bool list = false;
    bool verbose = false;
    double timeout_seconds = 5.0;
    double case_timeout_seconds = 30.0;
    int jobs = 1;
    double rate = 0;
};

[[noreturn]] void fail_with(int status, const std::string& message)
{
    std::cerr << "smtpspec probe: " << message << '\n';
    throw CLI::RuntimeError(status);
}

/** The profile switches a WG reading can set, by name. */
constexpr std::array<std::pair<std::string_view, bool model::profile::*>, 6> switch_members{{
    {"mail_in_transaction_is_503", &model::profile::mail_in_transaction_is_503},
    {"tolerate_trailing_space", &model::profile::tolerate_trailing_space},
    {"reject_null_forward_path", &model::profile::reject_null_forward_path},
    {"ehlo_literal_trailing_text_must_not", &model::profile::ehlo_literal_trailing_text_must_not},
    {"turn_must_not", &model::profile::turn_must_not},
    {"helo_resets_transaction", &model::profile::helo_resets_transaction},
}};

/**
 * Applies "NAME=on|off" where NAME is a profile switch or a WG issue number
 * whose catalogue entry names one ("116=on").
 */
void apply_switch(model::profile& p, const std::string& arg)
{
    const auto eq = arg.find('=');
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    std::string name = arg.substr(0, eq);
    if (value != "on" && value != "off") {
        fail_with(validate::exit_status::usage,
                  "--wg \"" + arg + "\": write NAME=on or NAME=off");
    }
    int number = 0;
    const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (err == std::errc{} && end == name.data() + name.size()) {
        const auto* issue = spec::find_wg_issue(number);
        if (issue == nullptr || issue->profile_switch.empty()) {
            fail_with(validate::exit_status::usage,
                      "--wg " + name + ": no WG issue with a profile switch has that number");
        }
        name = std::string{issue->profile_switch};
    }
    for (const auto& [n, member] : switch_members) {
        if (n == name) {
            p.*member = value == "on";
            return;
        }
    }
    std::string known;
    for (const auto& [n, member] : switch_members) {
        known += (known.empty() ? "" : ", ") + std::string{n};
    }
    fail_with(validate::exit_status::usage,
              "--wg " + name + ": unknown switch; known: " + known);
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

std::chrono::milliseconds seconds_option(double value, const char* option)
{
    if (!std::isfinite(value) || value <= 0 || value > 3600) {
        fail_with(validate::exit_status::usage,
                  std::string{option} + " takes seconds, more than 0 and at most 3600");
    }
    return std::chrono::milliseconds{static_cast<long long>(std::ceil(value * 1000.0))};
}

validate::probe_config make_config(const probe_options& o)
{
    validate::probe_config config;
    const auto profile = model::find_profile(o.profile);
    if (!profile) {
        fail_with(validate::exit_status::usage,
                  "--profile \"" + o.profile + "\": rfc5321 or rfc5321bis");
    }
    config.profile = *profile;
    for (const auto& s : o.switches) {
        apply_switch(config.profile, s);
    }
    for (const auto& [option, value] :
         {std::pair{"--mail-from", &o.from}, {"--rcpt", &o.to}}) {
        if (const auto problem = mailbox_problem(*value); !problem.empty()) {
            fail_with(validate::exit_status::usage, std::string{option} + " \"" + *value
                                                       + "\" is not a Mailbox (4.1.2): "
                                                       + problem);
        }
    }
    if (grammar::parse_mailbox("x@" + o.helo).index() != 0) {
        fail_with(validate::exit_status::usage, "--helo \"" + o.helo + "\" is not a Domain");
    }
    config.from = o.from;
    config.to = o.to;
    config.client_domain = o.helo;
    config.read_timeout = seconds_option(o.timeout_seconds, "--timeout");
    config.case_timeout = seconds_option(o.case_timeout_seconds, "--case-timeout");
    if (!std::isfinite(o.rate) || o.rate < 0 || o.rate > 1000) {
        fail_with(validate::exit_status::usage, "--rate takes connections per second, 0 to 1000");
    }
    if (o.jobs < 1 || o.jobs > 64) {
        fail_with(validate::exit_status::usage, "--jobs takes a number of cases from 1 to 64");
    }
    config.jobs = static_cast<unsigned>(o.jobs);
    if (o.rate > 0) {
        config.min_interval =
            std::chrono::milliseconds{static_cast<long long>(std::ceil(1000.0 / o.rate))};
    }
    if (o.tls == "plain") {
        config.tls = validate::tls_mode::plain;
    } else if (o.tls == "starttls") {
        config.tls = validate::tls_mode::starttls;
    } else if (o.tls == "both") {
        config.tls = validate::tls_mode::both;
    } else {
        fail_with(validate::exit_status::usage, "--tls \"" + o.tls + "\": plain, starttls or both");
    }
    return config;
}

void run_probe_command(const probe_options& o)
{
    const auto by_id = validate::select_cases(validate::rfc5321_cases(), o.cases);
    const auto selected = validate::filter_by_tags(by_id, o.tags, o.cases);
    if (selected.empty()) {
        fail_with(validate::exit_status::usage, "no case matches --cases \"" + o.cases
                                                    + "\" and --tag \"" + o.tags
                                                    + "\" (see --list)");
    }
    if (o.list) {
        validate::write_case_list(std::cout, selected);
        return;
    }
    if (o.target.empty()) {
        fail_with(validate::exit_status::usage, "ADDR:PORT is required (or use --list)");
    }
    const auto target = validate::parse_endpoint(o.target);
    if (!target) {
        fail_with(validate::exit_status::usage,
                  "\"" + o.target
                      + "\" is not ADDR:PORT with a numeric address, e.g. 127.0.0.1:2525 or "
                        "[::1]:2525");
    }
    validate::fail_policy policy = validate::fail_policy::fail;
    if (o.fail_on == "warn") {
        policy = validate::fail_policy::warn;
    } else if (o.fail_on == "never") {
        policy = validate::fail_policy::never;
    } else if (o.fail_on != "fail") {
        fail_with(validate::exit_status::usage, "--fail-on takes fail, warn or never");
    }
    if (o.colour != "auto" && o.colour != "always" && o.colour != "never") {
        fail_with(validate::exit_status::usage, "--color takes auto, always or never");
    }
    const bool colour = o.colour == "always" || (o.colour == "auto" && isatty(1) == 1);
    auto config = make_config(o);
    config.target = *target;

    // Report files are opened before the run, so that a bad path is known
    // before the server is contacted, not after every case has run.
    for (const auto* file : {&o.json_file, &o.junit_file, &o.html_file}) {
        if (file->empty()) {
            continue;
        }
        // Opened to append, so that a file that is there is not emptied yet.
        const int fd = ::open(file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
        if (fd < 0) {
            fail_with(validate::exit_status::usage,
                      "cannot write " + *file + ": " + std::strerror(errno));
        }
        ::close(fd);
    }

    std::cout << "probing " << target->str() << " with " << selected.size() << " case(s)";
    if (config.tls == validate::tls_mode::both) {
        const auto tls_only = static_cast<std::size_t>(std::ranges::count_if(
            selected, [](const auto* c) { return c->has_tag("tls"); }));
        std::cout << " (" << 2 * selected.size() - tls_only << " runs: in clear, then over TLS)";
    }
    std::cout << ", profile " << config.profile.name << '\n';
    const auto report = validate::run_probe(config, selected, [&](const auto& r) {
        std::cout << validate::format_result_line(r, colour) << '\n';
        if (o.verbose && r.result != validate::grade::pass) {
            std::cout << validate::format_finding(r);
        }
        std::cout.flush();
    });
    // A run stopped at its first connection ends with the reason alone: a
    // summary of cases that never ran would only hide it.
    if (report.stopped == validate::startup::ok) {
        std::cout << validate::format_summary(report) << '\n';
    }

    for (const auto& [file, text, what] :
         {std::tuple{&o.json_file, &validate::to_json, "JSON"},
          {&o.junit_file, &validate::to_junit, "JUnit"},
          {&o.html_file, &validate::to_html, "HTML"}}) {
        if (file->empty()) {
            continue;
        }
        if (const std::string error = write_file(*file, text(report)); !error.empty()) {
            fail_with(validate::exit_status::usage, error + " (the " + what + " report)");
        }
    }
    switch (report.stopped) {
    case validate::startup::ok:
        break;
    case validate::startup::unreachable:
    case validate::startup::refuses_sessions:
        fail_with(validate::exit_code(report, policy), report.not_run);
    default:
        fail_with(validate::exit_code(report, policy), "no case run: " + report.not_run);
    }
    if (report.all_errors()) {
        fail_with(validate::exit_status::all_errors,
                  "every case ended in error: nothing was judged (see -v)");
    }
    if (const int status = validate::exit_code(report, policy); status != 0) {
        throw CLI::RuntimeError(status);
    }
}
}  // namespace

void add_probe_command(CLI::App& app)
{
    auto opts = std::make_shared<probe_options>();
    auto* cmd = app.add_subcommand(
        "probe", "Check an SMTP server against RFC 5321, one case per requirement");
    cmd->footer("Exit status: 0 nothing counted by --fail-on, 1 a case graded fail (or warn "
                "with --fail-on warn), 2 usage error or a report that could not be written, "
                "3 server unreachable, 4 no complete SMTP greeting (the server closed, stayed "
                "silent, sent no reply code or left its greeting line without CRLF) or every "
                "case ended in error, 5 the server refuses "
                "sessions (554 greeting, RFC 5321 3.1; only the 3.1 cases run), 6 --tls "
                "starttls but the server does not offer STARTTLS.\n"
                "Only the given numeric address is contacted; host names are refused. "
                "Only cases tagged \"delivery\" complete a message, to --rcpt.");
    cmd->add_option("target", opts->target,
                    "server as ADDR:PORT, e.g. 127.0.0.1:2525 or [::1]:2525");
    cmd->add_option("--json", opts->json_file, "write the report as JSON to FILE")
        ->option_text("FILE");
    cmd->add_option("--junit", opts->junit_file, "write the report as JUnit XML to FILE")
        ->option_text("FILE");
    cmd->add_option("--html", opts->html_file, "write the report as one HTML page to FILE")
        ->option_text("FILE");
    cmd->add_option("--mail-from,--from", opts->from, "reverse-path mailbox for MAIL FROM")
        ->type_name("ADDR")
        ->capture_default_str();
    cmd->add_option("--rcpt,--to", opts->to,
                    "a mailbox of a local domain the server accepts, for RCPT TO; delivery "
                    "cases send their messages there")
        ->option_text("ADDR")
        ->capture_default_str();
    cmd->add_option("--helo", opts->helo, "domain given in EHLO and HELO")
        ->type_name("DOMAIN")
        ->capture_default_str();
    cmd->add_option("--profile", opts->profile, "reading the grades follow: rfc5321 or rfc5321bis")
        ->capture_default_str();
    cmd->add_option("--wg", opts->switches,
                    "set one WG reading: SWITCH=on|off or ISSUE=on|off, e.g. "
                    "helo_resets_transaction=on or 106=off (repeatable)")
        ->option_text("NAME=on|off");
    cmd->add_option("--tls", opts->tls,
                    "run the cases in clear (plain), after STARTTLS (starttls), or both")
        ->capture_default_str();
    cmd->add_option("--cases", opts->cases,
                    "run only cases whose id starts with PREFIX (comma-separated list), "
                    "e.g. rfc5321/4.1.1")
        ->option_text("PREFIX");
    cmd->add_option("--tag", opts->tags,
                    "run only cases with one of these tags (comma-separated): smuggling, "
                    "syntax, data, tls, extension, delivery, slow, ...; slow cases run only "
                    "when named")
        ->option_text("TAGS");
    cmd->add_flag("--list", opts->list, "print the case catalogue and exit, without connecting");
    cmd->add_option("--timeout", opts->timeout_seconds, "seconds to wait for each reply")
        ->type_name("SECONDS")
        ->capture_default_str();
    cmd->add_option("--case-timeout", opts->case_timeout_seconds,
                    "seconds one case may take in all (slow cases extend it)")
        ->type_name("SECONDS")
        ->capture_default_str();
    cmd->add_option("--rate", opts->rate,
                    "at most this many new connections per second (0: no limit)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--jobs,-j", opts->jobs,
                    "run this many cases at once, each on its own connection (1 to 64)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--fail-on", opts->fail_on,
                    "which grades make the exit status 1: fail, warn or never")
        ->capture_default_str();
    cmd->add_option("--color", opts->colour, "colour the grades: auto (on a TTY), always, never")
        ->capture_default_str();
    cmd->add_flag("-v,--verbose", opts->verbose,
                  "print the finding and annotated transcript of each case not passed");
    cmd->callback([opts] { run_probe_command(*opts); });
}

}  // namespace smtpspec::tools
