// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/runner.hpp"

#include "probe_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace smtpspec::validate
{

TEST(ValidateRunner, ExitCodeIsZeroWithoutFailures)
{
    const test::fake_smtp_server server{test::conforming_script};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1,rfc5321/4.1.4/1");
    const auto report = run_probe(test::config_for(server), cases);
    ASSERT_EQ(report.results.size(), 2U);
    EXPECT_EQ(report.count(grade::pass), 2U);
    EXPECT_EQ(exit_code(report), 0);
}

TEST(ValidateRunner, ExitCodeIsOneWhenACaseFails)
{
    const test::fake_smtp_server server{[](std::string_view line, test::fake_session& s) {
        return line.starts_with("NOOP") ? std::string{"500 what\r\n"}
                                        : test::conforming_script(line, s);
    }};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1");
    int called = 0;
    const auto report = run_probe(test::config_for(server), cases, [&](const auto&) { ++called; });
    EXPECT_EQ(called, 1);
    EXPECT_EQ(report.count(grade::fail), 1U);
    EXPECT_EQ(exit_code(report), 1);
    EXPECT_EQ(exit_code(report, fail_policy::never), 0);
}

// --fail-on warn counts a broken SHOULD too.
TEST(ValidateRunner, FailOnWarnCountsWarnings)
{
    const test::fake_smtp_server server{[](std::string_view line, test::fake_session& s) {
        return line.starts_with("NOOP") ? std::string{"503 not yet\r\n"}
                                        : test::conforming_script(line, s);
    }};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.4/2");
    const auto report = run_probe(test::config_for(server), cases);
    ASSERT_EQ(report.count(grade::warn), 1U);
    EXPECT_EQ(exit_code(report), exit_status::ok);
    EXPECT_EQ(exit_code(report, fail_policy::warn), exit_status::findings);
}

// --jobs: cases run side by side, yet the report and the callback keep the
// catalogue order, and the grades are those of a run one case at a time.
TEST(ValidateRunner, JobsKeepTheCatalogueOrder)
{
    const test::fake_smtp_server server{test::conforming_script};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/3.3,rfc5321/4.1.1,rfc5321/4.1.4");
    ASSERT_GE(cases.size(), 8U);
    auto config = test::config_for(server);
    const auto one_by_one = run_probe(config, cases);
    config.jobs = 4;
    std::vector<std::string> called;
    const auto side_by_side =
        run_probe(config, cases, [&](const case_result& r) { called.emplace_back(r.which->id); });
    ASSERT_EQ(side_by_side.results.size(), cases.size());
    ASSERT_EQ(called.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(called[i], cases[i]->id);
        EXPECT_EQ(side_by_side.results[i].which, cases[i]);
        EXPECT_EQ(side_by_side.results[i].result, one_by_one.results[i].result) << cases[i]->id;
    }
}

// A server that greets and then never answers: every case errors, and the
// run must not look like a success.
TEST(ValidateRunner, ExitCodeIsFourWhenEveryCaseErrors)
{
    const test::fake_smtp_server server{[](std::string_view, test::fake_session&) {
        return std::string{};
    }};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1,rfc5321/3.3/1");
    const auto report = run_probe(test::config_for(server, std::chrono::milliseconds{200}), cases);
    EXPECT_TRUE(report.all_errors());
    EXPECT_FALSE(report.unreachable());
    EXPECT_EQ(exit_code(report, fail_policy::never), exit_status::all_errors);
}

// The rate limit spaces the connections; --tls both runs each case twice,
// the TLS run unimplemented where STARTTLS is not offered.
TEST(ValidateRunner, RateLimitAndTlsBoth)
{
    const test::fake_smtp_server server{test::conforming_script};
    auto config = test::config_for(server);
    config.min_interval = std::chrono::milliseconds{150};
    config.tls = tls_mode::both;
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1");
    const auto start = std::chrono::steady_clock::now();
    const auto report = run_probe(config, cases);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{150});
    ASSERT_EQ(report.results.size(), 2U);
    EXPECT_FALSE(report.results[0].over_tls);
    EXPECT_EQ(report.results[0].result, grade::pass);
    EXPECT_TRUE(report.results[1].over_tls);
    EXPECT_EQ(report.results[1].result, grade::unimplemented);
}

TEST(ValidateRunner, ExitCodeIsThreeWhenNothingConnects)
{
    probe_config config;
    {
        const test::fake_smtp_server server{test::conforming_script};
        config = test::config_for(server);
    }
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/3");
    const auto report = run_probe(config, cases);
    EXPECT_TRUE(report.unreachable());
    EXPECT_EQ(report.count(grade::error), cases.size());
    EXPECT_EQ(exit_code(report), exit_status::unreachable);
    // One connection was tried, not one per case, and every result says why.
    EXPECT_TRUE(report.not_run.starts_with("cannot connect to 127.0.0.1:")) << report.not_run;
    for (const auto& r : report.results) {
        EXPECT_EQ(r.found.detail, "not run: " + report.not_run);
        EXPECT_TRUE(r.log.entries().empty());
    }
}

// A server that accepts connections and never greets: the run stops after
// the first connection instead of waiting out every case's timeout.
TEST(ValidateRunner, NoGreetingStopsTheRunAtTheFirstConnection)
{
    const test::fake_smtp_server server{test::conforming_script, ""};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1");
    ASSERT_GT(cases.size(), 10U);
    const auto report = run_probe(test::config_for(server, std::chrono::milliseconds{200}), cases);
    EXPECT_EQ(report.not_run, "127.0.0.1:" + std::to_string(server.port())
                                  + " accepted the connection but sent no greeting within 200 ms"
                                    " (Connection timed out)");
    ASSERT_EQ(report.results.size(), cases.size());
    EXPECT_EQ(report.count(grade::error), cases.size());
    EXPECT_FALSE(report.unreachable());
    EXPECT_EQ(report.stopped, startup::no_greeting);
    EXPECT_EQ(exit_code(report), exit_status::all_errors);
}

// A server that closes at once is said to have closed, not to be silent.
TEST(ValidateRunner, ACloseBeforeTheGreetingIsNamed)
{
    const test::fake_smtp_server server{test::conforming_script, "", "127.0.0.1", "\r\n",
                                        true};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1");
    const auto report = run_probe(test::config_for(server), cases);
    EXPECT_EQ(report.stopped, startup::no_greeting);
    EXPECT_EQ(report.not_run, "127.0.0.1:" + std::to_string(server.port())
                                  + " closed the connection without a greeting");
    EXPECT_EQ(exit_code(report), exit_status::all_errors);
}

// A greeting line that never ends (no CRLF), or a multi-line greeting cut
// off inside its last line, then silence: the run stops saying what came,
// not that nothing did, and exits 4 like any greeting that is no SMTP one.
// spec: 2.3.8 R-2.3.8-1 test
TEST(ValidateRunner, AGreetingWithoutItsCrlfIsShown)
{
    const std::pair<std::string, std::string> greetings[] = {
        {"220 hi", "\"220 hi\""},
        {"220-a\r\n220 b", "\"220-a\\r\\n220 b\""},
        {"220 \x01\"" + std::string(200, 'x'),
         "\"220 \\x01\\\"" + std::string(114, 'x') + "\"... (206 octets)"},
    };
    for (const auto& [greeting, shown] : greetings) {
        const test::fake_smtp_server server{test::conforming_script, greeting};
        const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1");
        const auto report =
            run_probe(test::config_for(server, std::chrono::milliseconds{200}), cases);
        EXPECT_EQ(report.stopped, startup::unfinished_greeting);
        EXPECT_EQ(report.not_run, "127.0.0.1:" + std::to_string(server.port())
                                      + " sent no complete greeting within 200 ms, only " + shown
                                      + " without the CRLF that ends a reply line (RFC 5321 4.2, "
                                        "2.3.8 R-2.3.8-1)");
        EXPECT_EQ(report.count(grade::error), cases.size());
        EXPECT_EQ(exit_code(report), exit_status::all_errors);
    }
}

// A greeting that is no reply (garbage, or an SSH banner whose fourth octet
// is "-") stops the run at the first connection, without waiting for a
// timeout, while the listener holds the socket open.
TEST(ValidateRunner, AGreetingWithoutAReplyCodeStopsTheRun)
{
    for (const std::string banner : {"hello there\r\n", "SSH-2.0-OpenSSH_9.2p1 Debian\r\n"}) {
        const test::fake_smtp_server server{
            [](std::string_view, test::fake_session&) { return std::string{}; }, banner};
        const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1");
        auto config = test::config_for(server, std::chrono::milliseconds{3000});
        const auto start = std::chrono::steady_clock::now();
        const auto report = run_probe(config, cases);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{3000});
        EXPECT_EQ(report.stopped, startup::not_smtp);
        EXPECT_EQ(report.not_run, "127.0.0.1:" + std::to_string(server.port())
                                      + " is not an SMTP server: its first line \""
                                      + banner.substr(0, banner.size() - 2)
                                      + "\" is no reply (RFC 5321 4.2: a greeting starts with "
                                        "a code)");
        EXPECT_EQ(report.count(grade::error), cases.size());
        EXPECT_EQ(exit_code(report, fail_policy::never), exit_status::all_errors);
    }
}

// A 554 greeting (3.1): the case about the greeting runs and is graded;
// the others are neither run nor graded, and the exit status says it.
TEST(ValidateRunner, A554GreetingRunsOnlyTheGreetingCase)
{
    const test::fake_smtp_server server{
        [](std::string_view line, test::fake_session& s) {
            s.close = line.starts_with("QUIT");
            return std::string{s.close ? "221 bye\r\n" : "503 no service\r\n"};
        },
        "554 5.7.1 no SMTP service here\r\n"};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/3,rfc5321/4.1.1.10");
    ASSERT_GT(cases.size(), 3U);
    const auto report = run_probe(test::config_for(server), cases);
    ASSERT_EQ(report.results.size(), 1U);
    EXPECT_EQ(report.results[0].which->id, "rfc5321/3.1/1");
    EXPECT_EQ(report.results[0].result, grade::info);
    EXPECT_EQ(report.stopped, startup::refuses_sessions);
    EXPECT_EQ(report.not_run, "127.0.0.1:" + std::to_string(server.port())
                                  + " refuses sessions: it greets with \"554 5.7.1 no SMTP "
                                    "service here\" (RFC 5321 3.1); "
                                  + std::to_string(cases.size() - 1) + " case(s) not run");
    EXPECT_EQ(exit_code(report), exit_status::refuses_sessions);
}

// --tls starttls against a server that does not offer STARTTLS: the run
// stops with its own status instead of grading every case unimplemented.
TEST(ValidateRunner, StarttlsDemandedButNotOffered)
{
    const test::fake_smtp_server server{test::conforming_script};
    auto config = test::config_for(server);
    config.tls = tls_mode::starttls;
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9/1");
    const auto report = run_probe(config, cases);
    EXPECT_EQ(report.stopped, startup::no_starttls);
    EXPECT_TRUE(report.not_run.starts_with("--tls starttls, but 127.0.0.1:"
                                           + std::to_string(server.port())
                                           + " does not offer STARTTLS: its EHLO reply is \"250"))
        << report.not_run;
    EXPECT_TRUE(report.not_run.ends_with("\" without a STARTTLS line")) << report.not_run;
    EXPECT_EQ(report.count(grade::error), cases.size());
    EXPECT_EQ(exit_code(report, fail_policy::never), exit_status::no_starttls);
}

}  // namespace smtpspec::validate
