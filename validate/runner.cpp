// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/runner.hpp"

#include "validate/line_connection.hpp"

#include <asio/error.hpp>

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace smtpspec::validate
{

std::size_t probe_report::count(grade g) const noexcept
{
    return static_cast<std::size_t>(
        std::ranges::count_if(results, [g](const auto& r) { return r.result == g; }));
}

bool probe_report::unreachable() const noexcept
{
    return !results.empty()
        && std::ranges::none_of(results, [](const auto& r) { return r.connected; });
}

bool probe_report::all_errors() const noexcept
{
    return !results.empty()
        && std::ranges::all_of(results, [](const auto& r) { return r.result == grade::error; });
}

int exit_code(const probe_report& r, fail_policy policy) noexcept
{
    switch (r.stopped) {
    case startup::ok:
        break;
    case startup::unreachable:
        return exit_status::unreachable;
    case startup::no_greeting:
    case startup::not_smtp:
    case startup::unfinished_greeting:
        return exit_status::all_errors;
    case startup::refuses_sessions:
        return exit_status::refuses_sessions;
    case startup::no_starttls:
        return exit_status::no_starttls;
    }
    if (r.unreachable()) {
        return exit_status::unreachable;
    }
    if (r.all_errors()) {
        return exit_status::all_errors;
    }
    const std::size_t counted = policy == fail_policy::never ? 0
                              : policy == fail_policy::warn
                                  ? r.count(grade::fail) + r.count(grade::warn)
                                  : r.count(grade::fail);
    return counted > 0 ? exit_status::findings : exit_status::ok;
}

namespace
{

// Every connection of the prober ends with QUIT (4.1.4 R-4.1.4-18), its reply
// read but not graded, within the read timeout and at most 2 s.
void quit_and_close(line_connection& conn, const probe_config& config)
{
    if (!conn.is_open()) {
        return;
    }
    conn.set_deadline(line_connection::clock::now()
                      + std::min(config.read_timeout, std::chrono::milliseconds{2000}));
    std::error_code ec;
    conn.send_line("QUIT", ec);
    if (!ec) {
        (void)conn.read_reply(ec);
    }
    conn.close();
}

}  // namespace

case_result run_case(const probe_config& config, const probe_case& c, bool over_tls)
{
    over_tls = over_tls && !c.has_tag("tls");
    using clock = line_connection::clock;
    const auto start = clock::now();
    case_result out;
    out.which = &c;
    out.over_tls = over_tls;

    line_connection conn{config.read_timeout};
    conn.set_deadline(start + config.case_timeout);
    std::error_code ec;
    conn.connect(config.target, ec);
    if (ec) {
        out.found = {verdict::could_not_run,
                     "cannot connect to " + config.target.str() + ": " + ec.message()};
    } else {
        out.connected = true;
        probe_session session{conn, config};
        try {
            out.found = !over_tls || session.enter_tls() ? c.run(session) : session.aborted();
        } catch (const std::exception& e) {
            out.found = {verdict::could_not_run, std::string{"prober error: "} + e.what()};
        }
        if (out.found.evidence == finding::no_evidence && session.evidence() > 0) {
            out.found.evidence = session.evidence() - 1;
        }
        quit_and_close(conn, config);
    }
    out.result = grade_for(out.found.broken.value_or(c.checks), out.found.outcome);
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
    out.log = conn.log();
    return out;
}


reachability check_reachable(const probe_config& config)
{
    line_connection conn{config.read_timeout};
    conn.set_deadline(line_connection::clock::now() + config.read_timeout);
    std::error_code ec;
    conn.connect(config.target, ec);
    const auto where = config.target.str();
    if (ec) {
        return {false, "cannot connect to " + where + ": " + ec.message(), startup::unreachable};
    }
    const auto greeting = conn.read_reply(ec);
    // A first line without a reply code is no SMTP greeting, whatever follows
    // it (read_reply stops there): garbage, or another protocol's banner.
    if (!greeting.lines.empty() && (greeting.code() < 200 || greeting.code() > 599)) {
        conn.close();
        return {true, where + " is not an SMTP server: its first line \"" + greeting.summary()
                          + "\" is no reply (RFC 5321 4.2: a greeting starts with a code)",
                startup::not_smtp};
    }
    const bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    // spec: 2.3.8 R-2.3.8-1 check
    // Octets without the CRLF that ends a reply line are no greeting; saying
    // that nothing came would hide what the server did send.
    if (ec && greeting.unfinished()) {
        return {true,
                where
                    + (closed ? " closed the connection before its greeting was complete, after "
                              : " sent no complete greeting within "
                                    + std::to_string(config.read_timeout.count()) + " ms, only ")
                    + greeting.unfinished_summary(),
                startup::unfinished_greeting};
    }
    if (closed) {
        return {true, where + " closed the connection without a greeting", startup::no_greeting};
    }
    if (ec) {
        return {true, where + " accepted the connection but sent no greeting within "
                          + std::to_string(config.read_timeout.count()) + " ms (" + ec.message()
                          + ")",
                startup::no_greeting};
    }
    if (greeting.code() == 554) {
        quit_and_close(conn, config);
        return {true, where + " refuses sessions: it greets with \"" + greeting.summary()
                          + "\" (RFC 5321 3.1)",
                startup::refuses_sessions};
    }
    if (config.tls == tls_mode::starttls) {
        conn.send_line("EHLO " + config.client_domain, ec);
        const auto ehlo = ec ? server_reply{} : conn.read_reply(ec);
        if (ec || ehlo.code() != 250 || !ehlo.ehlo_offer("STARTTLS")) {
            quit_and_close(conn, config);
            return {true, "--tls starttls, but " + where + " does not offer STARTTLS: "
                              + (ec ? "no reply to EHLO (" + ec.message() + ")"
                                    : "its EHLO reply is \"" + ehlo.summary() + "\""
                                          + (ehlo.code() == 250 ? " without a STARTTLS line"
                                                                : "")),
                    startup::no_starttls};
        }
    }
    quit_and_close(conn, config);
    return {true, {}, startup::ok};
}

probe_report run_probe(const probe_config& config, std::span<const probe_case* const> cases,
                       const result_callback& on_result)
{
    struct task
    {
        const probe_case* which;
        bool over_tls;
    };
    std::vector<task> tasks;
    for (const auto* c : cases) {
        if (config.tls != tls_mode::starttls || c->has_tag("tls")) {
            tasks.push_back({c, false});
        }
        if (config.tls != tls_mode::plain && !c->has_tag("tls")) {
            tasks.push_back({c, true});
        }
    }

    probe_report report;
    report.target = config.target;
    report.profile = std::string{config.profile.name};
    report.results.reserve(tasks.size());
    const auto first = tasks.empty() ? reachability{true, {}} : check_reachable(config);
    report.not_run = first.problem;
    report.stopped = first.kind;
    if (first.kind == startup::refuses_sessions) {
        // 3.1 lets a server refuse every session with a 554 greeting. Only the
        // cases about the greeting can say anything then; every other case
        // would be judged on a session the server has already declined, so it
        // is left out rather than graded.
        std::size_t left_out = 0;
        for (const auto& t : tasks) {
            if (!id_matches(t.which->id, "rfc5321/3.1") || t.over_tls) {
                ++left_out;
                continue;
            }
            report.results.push_back(run_case(config, *t.which, false));
            if (on_result) {
                on_result(report.results.back());
            }
        }
        report.not_run += "; " + std::to_string(left_out) + " case(s) not run";
        return report;
    }
    if (!report.not_run.empty()) {
        for (const auto& t : tasks) {
            case_result r;
            r.which = t.which;
            r.over_tls = t.over_tls && !t.which->has_tag("tls");
            r.connected = first.connected;
            r.found = {verdict::could_not_run, "not run: " + report.not_run};
            r.result = grade::error;
            report.results.push_back(std::move(r));
        }
        return report;
    }

    // Finished results wait in their slot until every earlier one is
    // reported, so the order never depends on the scheduling.
    std::vector<std::optional<case_result>> done(tasks.size());
    std::mutex lock;
    std::size_t next_task = 0;
    std::optional<line_connection::clock::time_point> last_start;

    const auto worker = [&] {
        for (;;) {
            std::size_t i = 0;
            {
                std::unique_lock guard{lock};
                if (next_task == tasks.size()) {
                    return;
                }
                i = next_task++;
                // The rate limit spaces the starts of all workers together.
                if (last_start && config.min_interval.count() > 0) {
                    std::this_thread::sleep_until(*last_start + config.min_interval);
                }
                last_start = line_connection::clock::now();
            }
            auto result = run_case(config, *tasks[i].which, tasks[i].over_tls);
            std::unique_lock guard{lock};
            done[i] = std::move(result);
            while (report.results.size() < done.size() && done[report.results.size()]) {
                report.results.push_back(std::move(*done[report.results.size()]));
                if (on_result) {
                    on_result(report.results.back());
                }
            }
        }
    };

    const auto threads = std::min<std::size_t>(std::max(config.jobs, 1U), tasks.size());
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    pool.clear();  // joins
    return report;
}

}  // namespace smtpspec::validate
