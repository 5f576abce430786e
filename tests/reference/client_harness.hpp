// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_REFERENCE_CLIENT_HARNESS_HPP
#define SMTPSPEC_TESTS_REFERENCE_CLIENT_HARNESS_HPP

#include "reference/client_session.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

namespace smtpspec::reference::testing
{

/// A message from a@example.net to b@example.org.
inline client_job job(std::string message = "Subject: t\n\nhello\n")
{
    client_job j;
    j.from = grammar::reverse_path{grammar::path{{}, {"a", "example.net"}}};
    j.to.push_back(grammar::forward_path{false, grammar::path{{}, {"b", "example.org"}}});
    j.message = std::move(message);
    return j;
}

/// Runs a client against scripted server replies; returns what it sent.
inline std::string converse(client_session& c, std::initializer_list<std::string_view> replies)
{
    std::string sent;
    for (const auto r : replies) {
        c.feed(r);
        sent += c.take_output();
    }
    return sent;
}

}  // namespace smtpspec::reference::testing

#endif  // SMTPSPEC_TESTS_REFERENCE_CLIENT_HARNESS_HPP
