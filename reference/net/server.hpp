// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_SERVER_HPP
#define SMTPSPEC_REFERENCE_NET_SERVER_HPP

#include "reference/maildir.hpp"
#include "reference/net/endpoint.hpp"
#include "reference/net/tls.hpp"
#include "reference/server_session.hpp"
#include "reference/trace.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

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
    /// How a group commit flushes several messages (maildir_store::flush).
    reference::group_flush flush = reference::group_flush::file_system;
    server_config session;                ///< Per-session behaviour (hostname, profile).
    /// 4.5.3.2.7: a server waits at least 5 minutes for the next command.
    std::chrono::seconds idle_timeout{300};
    /// Connections served at once; one more gets 421 and is closed (3.8, 4.3.2).
    std::size_t max_connections = 64;
    /// Octets of mail data all sessions may hold in memory together (see
    /// data_budget): beyond it a message is refused at its end with 452
    /// 4.3.1; 0 for no limit. The default takes 16 messages of the default
    /// size limit at once.
    std::size_t max_buffered = 512U * 1024U * 1024U;
    /// STARTTLS (RFC 3207): the certificate, configured or self-signed.
    tls_options tls;
    std::filesystem::path ready_file;     ///< Written with "ADDR:PORT" once listening.
    /// Receives every annotated trace event.
    std::function<void(const trace_event&)> on_trace;
    /// Receives structured log lines ("event=... key=value ...") with their
    /// level: "info", or "warning" for what an operator should look at (a
    /// store that failed, a refused or failed connection).
    std::function<void(std::string_view level, const std::string& line)> on_log;
    /// Called once after each burst of on_trace and on_log calls (one turn
    /// of the event loop) and when run_server() returns or throws: the
    /// callbacks may buffer what they get and write it out here, one write
    /// for many lines.
    std::function<void()> on_flush;
};

/** The setting a start-up failure concerns (startup_error). */
enum class setting
{
    listen,           ///< The address to listen on.
    maildir,          ///< The Maildir's folder.
    tls_certificate,  ///< The configured PEM certificate (chain).
    tls_key,          ///< The configured PEM private key.
    tls_directory,    ///< The folder of the self-signed certificate.
    ready_file,       ///< The file that receives the bound address.
};

/** What kind of start-up failure it is, for a caller that words its own message. */
enum class startup_fault
{
    unusable,  ///< The setting cannot be used: what() says what failed and why.
    folder,    ///< The setting names a folder where a file is needed.
};

/**
 * The server cannot start with one of its settings: what() is "PROBLEM:
 * REASON", e.g. "cannot create the Maildir's folders: Not a directory".
 */
class startup_error : public std::runtime_error
{
public:
    /**
     * @param which the setting concerned.
     * @param value its value (a path or an address).
     * @param problem what could not be done.
     * @param reason why: the system's or OpenSSL's reason.
     * @param fault the kind of failure.
     */
    startup_error(setting which, std::string value, const std::string& problem,
                  const std::string& reason, startup_fault fault = startup_fault::unusable)
        : std::runtime_error(problem + ": " + reason)
        , which_(which)
        , value_(std::move(value))
        , fault_(fault)
    {
    }

    /** @return the setting concerned. */
    [[nodiscard]] setting which() const noexcept { return which_; }

    /** @return its value, as given or as resolved (a default folder). */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @return the kind of failure. */
    [[nodiscard]] startup_fault fault() const noexcept { return fault_; }

private:
    setting which_;
    std::string value_;
    startup_fault fault_;
};

/**
 * Listens, serves SMTP sessions until SIGINT or SIGTERM, then sends 421 to
 * every open session (3.8) and returns.
 * @param options how to run.
 * @return 0 after a clean stop.
 * @throws startup_error when a setting cannot be used: the address cannot be
 *         bound, the Maildir's folders cannot be made, the TLS certificate
 *         or key cannot be read, loaded or made, or the ready file cannot be
 *         written. A configured certificate or key that is a folder or cannot
 *         be read, and a ready file that is a folder, are found first, before
 *         anything is bound or made; a folder has startup_fault::folder.
 */
int run_server(const server_options& options);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_SERVER_HPP
