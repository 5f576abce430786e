// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_SERVER_HPP
#define SMTPSPEC_REFERENCE_NET_SERVER_HPP

#include "reference/net/endpoint.hpp"
#include "reference/net/tls.hpp"
#include "reference/server_session.hpp"
#include "reference/trace.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace smtpspec::reference::net
{

/** Where accepted mail goes. */
enum class storage
{
    maildir,  ///< Durable: group-committed into the Maildir before the 250 (WG #114).
    discard,  ///< Nothing kept (benchmarks only, like Postfix's smtp-sink).
};

/** How the network server runs. */
struct server_options
{
    host_port listen{"127.0.0.1", 2525};  ///< Address to listen on; port 0 picks one.
    std::filesystem::path maildir;        ///< Maildir for accepted mail.
    storage store = storage::maildir;     ///< Where accepted mail goes.
    /// Threads that write and flush the messages of one group commit at once.
    std::size_t commit_writers = 16;
    server_config session;                ///< Per-session behaviour (hostname, profile).
    /// 4.5.3.2.7: a server waits at least 5 minutes for the next command.
    std::chrono::seconds idle_timeout{300};
    /// Connections served at once; one more gets 421 and is closed (3.8, 4.3.2).
    std::size_t max_connections = 64;
    /// STARTTLS (RFC 3207): the certificate, configured or self-signed.
    tls_options tls;
    std::filesystem::path ready_file;     ///< Written with "ADDR:PORT" once listening.
    /// Receives every annotated trace event.
    std::function<void(const trace_event&)> on_trace;
    /// Receives structured log lines ("event=... key=value ...").
    std::function<void(const std::string&)> on_log;
};

/**
 * Listens, serves SMTP sessions until SIGINT or SIGTERM, then sends 421 to
 * every open session (3.8) and returns.
 * @param options how to run.
 * @return 0 after a clean stop.
 * @throws std::system_error when the address cannot be bound or the TLS
 *         certificate cannot be loaded, std::runtime_error when it cannot be
 *         made, or std::filesystem::filesystem_error when the Maildir cannot
 *         be made.
 */
int run_server(const server_options& options);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_SERVER_HPP
