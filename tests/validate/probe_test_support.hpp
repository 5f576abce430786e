// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_VALIDATE_PROBE_TEST_SUPPORT_HPP
#define SMTPSPEC_TESTS_VALIDATE_PROBE_TEST_SUPPORT_HPP

#include "fake_smtp_server.hpp"
#include "validate/cases.hpp"
#include "validate/probe_config.hpp"
#include "validate/runner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>

namespace smtpspec::validate::test
{

/** @return a configuration for a fake server, with short timeouts. */
inline probe_config config_for(const fake_smtp_server& server,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds{2000})
{
    probe_config c;
    c.target = endpoint{"127.0.0.1", server.port()};
    c.read_timeout = timeout;
    c.case_timeout = timeout * 10;
    return c;
}

/** Runs the one case with this exact id against the server. */
inline case_result run_one(std::string_view id, const probe_config& config)
{
    for (const auto& c : rfc5321_cases()) {
        if (c.id == id) {
            return run_case(config, c);
        }
    }
    ADD_FAILURE() << "no case " << id;
    return {};
}

/** Runs the one case with this exact id against a server running this script. */
inline case_result run_one(std::string_view id, fake_script script,
                           std::string greeting = "220 fake.example.org ESMTP\r\n")
{
    const fake_smtp_server server{std::move(script), std::move(greeting)};
    return run_one(id, config_for(server));
}

}  // namespace smtpspec::validate::test

#endif  // SMTPSPEC_TESTS_VALIDATE_PROBE_TEST_SUPPORT_HPP
