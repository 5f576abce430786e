// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP
#define SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP

#include "model/profile.hpp"
#include "validate/endpoint.hpp"

#include <chrono>
#include <string>

namespace smtpspec::validate
{

/** Whether cases run in clear text, after STARTTLS, or both (RFC 3207). */
enum class tls_mode
{
    plain,     ///< Every case on a clear-text connection.
    starttls,  ///< Every case after EHLO, STARTTLS and a TLS handshake.
    both,      ///< Every case twice: in clear, then after STARTTLS.
};

/** What a probe run needs to know: where, which envelope, how long to wait. */
struct probe_config
{
    /// The server under test.
    endpoint target;
    /// The reading of the standard grades follow (WG switches included).
    model::profile profile = model::rfc5321();
    /// Reverse-path mailbox for cases that need an accepted MAIL (without "<>").
    std::string from = "smtpspec-probe@example.net";
    /// Forward-path mailbox for cases that need an accepted RCPT (without
    /// "<>"); the only address a delivery case sends a message to.
    std::string to = "postmaster@example.org";
    /// Domain the prober gives in EHLO and HELO (4.1.1.1).
    std::string client_domain = "probe.example.net";
    /// Longest wait for one read or write.
    std::chrono::milliseconds read_timeout{5000};
    /// Longest time one case may take, all its reads together (slow cases
    /// that wait out the minimums of 4.5.3.2 extend it themselves).
    std::chrono::milliseconds case_timeout{30000};
    /// Least time between the starts of two connections; zero for no limit.
    std::chrono::milliseconds min_interval{0};
    /// Cases run at the same time, each on its own connection; 1 runs them
    /// one after the other. min_interval still spaces the connection starts.
    unsigned jobs = 1;
    /// Clear text, STARTTLS, or both.
    tls_mode tls = tls_mode::plain;

    /** @return the domain of the recipient "to" (after the last "@"). */
    [[nodiscard]] std::string to_domain() const
    {
        const auto at = to.rfind('@');
        return at == std::string::npos ? std::string{} : to.substr(at + 1);
    }
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_PROBE_CONFIG_HPP
