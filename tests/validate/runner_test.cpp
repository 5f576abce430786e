// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/runner.hpp"

#include "probe_test_support.hpp"

#include <gtest/gtest.h>

namespace smtpspec::validate
{

TEST(ValidateRunner, ExitCodeIsZeroWithoutFailures)
{
    const test::fake_smtp_server server{test::conforming_script};
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9,rfc5321/4.1.4/1");
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
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.1.9");
    int called = 0;
    const auto report = run_probe(test::config_for(server), cases, [&](const auto&) { ++called; });
    EXPECT_EQ(called, 1);
    EXPECT_EQ(report.count(grade::fail), 1U);
    EXPECT_EQ(exit_code(report), 1);
}

TEST(ValidateRunner, ExitCodeIsTwoWhenNothingConnects)
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
    EXPECT_EQ(exit_code(report), 2);
}

}  // namespace smtpspec::validate
