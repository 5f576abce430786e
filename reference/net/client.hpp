// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_CLIENT_HPP
#define SMTPSPEC_REFERENCE_NET_CLIENT_HPP

#include "reference/client_session.hpp"
#include "reference/net/endpoint.hpp"
#include "reference/route/select.hpp"
#include "reference/trace.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace smtpspec::reference::net
{

/**
 * How the client checks the server's certificate after STARTTLS.
 *
 * Under tls_policy::required the certificate must chain to a trusted CA (the
 * system's, or @ref ca_file) and name the server (@ref name); under
 * tls_policy::opportunistic it is not checked: the connection is encrypted
 * but the server is not authenticated.
 */
struct tls_trust
{
    std::string ca_file;  ///< PEM file of trusted CAs; empty for the system's store.
    /// Name the certificate must carry (DNS name or IP address); empty for
    /// the host the client connects to.
    std::string name;
    /// Accept any certificate even under tls_policy::required. For tests
    /// with self-signed certificates only: it gives up authentication.
    bool insecure = false;
};

/** How the network client runs. */
struct client_options
{
    host_port server;  ///< Where to connect.
    tls_trust trust;   ///< Certificate checks after STARTTLS.
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

/** How a routed delivery runs. */
struct delivery_options
{
    std::uint16_t port = 25;  ///< SMTP port of every target (3.1: 25 for relaying).
    std::chrono::seconds reply_timeout{600};   ///< As client_options::reply_timeout.
    std::chrono::seconds connect_timeout{30};  ///< As client_options::connect_timeout.
    std::function<void(const trace_event&)> on_trace;  ///< Receives the trace.
    /// Certificate checks; an empty name means each target's own host name.
    tls_trust trust;
};

/** Where a recipient stands after a delivery. */
enum class recipient_state
{
    delivered,  ///< A server took responsibility for it (final 2yz to the data).
    temporary,  ///< Not delivered yet; a later retry may succeed (4yz, no connection).
    permanent,  ///< Refused for good (5yz, or a domain that takes no mail).
};

/** The final state of one recipient. */
struct recipient_outcome
{
    grammar::forward_path to;                         ///< The recipient.
    recipient_state state = recipient_state::temporary;  ///< Where it stands.
    int code = 0;       ///< The last reply that concerned it; 0 if none.
    std::string where;  ///< The target that decided, "host[address]"; empty if none.
    /// The text lines of the reply with @ref code when a server sent it;
    /// empty when no server reply decided (DNS, connection, the client's own
    /// refusal).
    std::vector<std::string> text;
    /// When no server reply decided: the RFC 3463 status of the reason
    /// ("5.1.10" for a null MX, "4.4.1" for no connection, "5.3.4" for SIZE).
    std::string status;
    std::string detail;  ///< When no server reply decided: why, for people.
};

/** One connection of a routed delivery. */
struct delivery_attempt
{
    route::target target;          ///< Where it went.
    std::string connection_error;  ///< Why the connection failed; empty if a session ran.
    client_result result;          ///< What the session gave (when one ran).
};

/** The outcome of a routed delivery. */
struct delivery_result
{
    std::vector<recipient_outcome> recipients;  ///< Per recipient, in the job's order.
    std::vector<delivery_attempt> attempts;     ///< Every connection, in order.
    std::string error;                          ///< Why not everything was delivered.

    /** @return true when every recipient was delivered. */
    [[nodiscard]] bool delivered() const noexcept;

    /** @return true when a recipient failed for good. */
    [[nodiscard]] bool permanent_failure() const noexcept;
};

/**
 * Delivers a message along a route plan (section 5): the plan's decisions go
 * to the trace, then the targets are tried in order (5.1 R-5.1-11). A
 * connection failure, a timeout or a 4yz reply moves the recipients not yet
 * delivered to the next target (4.5.4.1); a 5yz is final for the recipients
 * it concerns; delivery ends the attempts.
 * @param plan the targets, from route::select or route::resolve.
 * @param job the message and its envelope.
 * @param config the client's behaviour; session_id numbers the first attempt.
 * @param options port, time limits and trace.
 * @return the outcome per recipient and per attempt.
 */
delivery_result deliver(const route::plan& plan, const client_job& job, client_config config,
                        const delivery_options& options);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_CLIENT_HPP
