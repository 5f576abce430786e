// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_CLIENT_HPP
#define SMTPSPEC_REFERENCE_NET_CLIENT_HPP

#include "reference/client_session.hpp"
#include "reference/net/endpoint.hpp"
#include "reference/trace.hpp"

#include <chrono>
#include <functional>

namespace smtpspec::reference::net
{

/** How the network client runs. */
struct client_options
{
    host_port server;  ///< Where to connect.
    /// Longest wait for any reply. 4.5.3.2 sets per-command minimums of 2 to
    /// 10 minutes; one value, by default the largest, covers them all.
    std::chrono::seconds reply_timeout{600};
    std::chrono::seconds connect_timeout{30};  ///< Longest wait for the TCP connection.
    std::function<void(const trace_event&)> on_trace;  ///< Receives the trace.
};

/**
 * Connects and runs a client session to its end.
 * @param options where and how.
 * @param session the session to run; its result() tells what happened.
 * @return an empty string, or why the connection failed (refused, timeout).
 */
std::string run_client(const client_options& options, client_session& session);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_CLIENT_HPP
