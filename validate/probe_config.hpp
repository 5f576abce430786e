// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP
#define SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP

#include "validate/endpoint.hpp"

#include <chrono>
#include <string>

namespace smtpspec::validate
{

/** What a probe run needs to know: where, which envelope, how long to wait. */
struct probe_config
{
    /// The server under test.
    endpoint target;
    /// Reverse-path mailbox for cases that need an accepted MAIL (without "<>").
    std::string from = "smtpspec-probe@example.net";
    /// Forward-path mailbox for cases that need an accepted RCPT (without "<>").
    std::string to = "postmaster@example.org";
    /// Domain the prober gives in EHLO and HELO (4.1.1.1).
    std::string client_domain = "probe.example.net";
    /// Longest wait for one read or write.
    std::chrono::milliseconds read_timeout{5000};
    /// Longest time one case may take, all its reads together.
    std::chrono::milliseconds case_timeout{30000};
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP
