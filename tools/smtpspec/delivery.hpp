// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_DELIVERY_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_DELIVERY_HPP

// What `smtpspec send` and `smtpspec queue run` share: the options of the
// reference client and one delivery of one envelope.

#include "reference/client_session.hpp"
#include "reference/net/client.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace smtpspec::tools
{

/** The client options common to send and queue run. */
struct delivery_settings
{
    std::string server;  ///< HOST:PORT; empty to route through the DNS.
    std::string dns_server;
    std::string profile = "rfc5321";
    std::uint16_t port = 25;
    unsigned timeout = 600;
    unsigned connect_timeout = 30;
    unsigned dns_timeout_ms = 2000;
    std::size_t max_targets = 10;
    std::uint64_t seed = 0;
    bool seeded = false;
    std::string helo = "smtpspec.localhost";
    std::string trace = "text";
    std::string tls = "opportunistic";
    reference::net::tls_trust trust;
    bool bdat = false;
    std::size_t chunk_size = 64 * 1024;
    reference::dsn_request dsn;
};

/**
 * Registers the delivery options on a subcommand.
 * @param sub the subcommand.
 * @param settings where the values go; must outlive the parse.
 * @param dsn_options false to leave out --notify, --ret, --envid and --orcpt
 *        (queue run sends each entry with the parameters stored with it).
 */
void add_delivery_options(CLI::App* sub, delivery_settings& settings, bool dsn_options = true);

/**
 * Checks the settings and turns them into the session's configuration: the
 * values, the flags that contradict one another (--tls-ca or --tls-insecure
 * without --tls required, --server with --dns-server) and the local files
 * (the --tls-ca file must hold a certificate), before anything connects.
 * @param settings the parsed options.
 * @return the configuration.
 * @throws CLI::ValidationError naming the option that is wrong.
 */
reference::client_config client_config_of(const delivery_settings& settings);

/**
 * Delivers one envelope: to the --server, or per recipient domain through
 * the DNS (section 5). Prints the trace to stdout and one log line per
 * recipient to stderr.
 * @param settings the options.
 * @param job the envelope and message.
 * @param session_id number of the first session; advanced past the last one.
 * @return the outcome of every recipient, in the job's order.
 */
std::vector<reference::net::recipient_outcome> deliver_job(const delivery_settings& settings,
                                                           const reference::client_job& job,
                                                           std::uint64_t& session_id);

/**
 * Prints one line per recipient to stderr (delivered, deferred or failed,
 * with the reply or reason: reference::net::describe()), then, unless all
 * were delivered, a summary with the three counts.
 * @param outcomes the recipients' outcomes.
 * @param deferred_note added to the line of each deferred recipient (where it was queued).
 * @return the exit status for these outcomes: 0 all delivered; 1 at least one
 *         failed for good, whatever the others; 3 some deferred, none failed.
 */
int report_outcomes(const std::vector<reference::net::recipient_outcome>& outcomes,
                    const std::string& deferred_note);

/**
 * Parses an address argument: a Mailbox (4.1.2), with or without angle
 * brackets; with octets over 127, the SMTPUTF8 grammar of RFC 6531.
 * @param text the argument.
 * @param what the option's name, for the error.
 * @return the path.
 * @throws CLI::ValidationError naming the option, the rule and the offset.
 */
grammar::path path_argument(const std::string& text, const std::string& what);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_DELIVERY_HPP
