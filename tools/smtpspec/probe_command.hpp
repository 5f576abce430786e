// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP

#include <CLI/CLI.hpp>

namespace smtpspec::tools
{

/**
 * Registers the "probe" subcommand:
 * smtpspec probe ADDR:PORT [--profile P] [--wg NAME=on|off] [--mail-from ADDR]
 * [--rcpt ADDR] [--helo DOMAIN] [--tls plain|starttls|both] [--cases PREFIX]
 * [--tag TAGS] [--timeout S] [--case-timeout S] [--rate N] [--jobs N]
 * [--fail-on fail|warn|never] [--color auto|always|never] [--json FILE]
 * [--junit FILE] [--html FILE] [--list] [--verbose].
 *
 * When the subcommand runs, it throws CLI::RuntimeError carrying the exit
 * status when that is not 0 (validate::exit_status): 1 when a case has a
 * grade --fail-on counts, 2 for a usage error or a report that could not be
 * written, 3 for an unreachable server, 4 when no complete SMTP greeting came or every
 * case ended in error, 5 for a 554 greeting (the server refuses sessions),
 * 6 when --tls starttls finds no STARTTLS offered. The
 * caller's usual "catch (const CLI::ParseError& e) { return app.exit(e); }"
 * turns it into the process status.
 * @param app the top-level application.
 */
void add_probe_command(CLI::App& app);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP
