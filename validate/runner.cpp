// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/runner.hpp"

#include "validate/line_connection.hpp"

#include <algorithm>
#include <exception>
#include <string>

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

int exit_code(const probe_report& r) noexcept
{
    if (r.unreachable()) {
        return 2;
    }
    return r.count(grade::fail) > 0 ? 1 : 0;
}

case_result run_case(const probe_config& config, const probe_case& c)
{
    using clock = line_connection::clock;
    const auto start = clock::now();
    case_result out;
    out.which = &c;

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
            out.found = c.run(session);
        } catch (const std::exception& e) {
            out.found = {verdict::could_not_run, std::string{"prober error: "} + e.what()};
        }
        // The session ends with QUIT (4.1.4 R-4.1.4-18); its reply is not graded.
        if (conn.is_open()) {
            conn.set_deadline(clock::now() + std::min(config.read_timeout,
                                                      std::chrono::milliseconds{2000}));
            conn.send_line("QUIT", ec);
            if (!ec) {
                (void)conn.read_reply(ec);
            }
            conn.close();
        }
    }
    out.result = grade_for(c.checks, out.found.outcome);
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
    out.log = conn.log();
    return out;
}

probe_report run_probe(const probe_config& config, std::span<const probe_case* const> cases,
                       const result_callback& on_result)
{
    probe_report report;
    report.target = config.target;
    for (const auto* c : cases) {
        report.results.push_back(run_case(config, *c));
        if (on_result) {
            on_result(report.results.back());
        }
    }
    return report;
}

}  // namespace smtpspec::validate
