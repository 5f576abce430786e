// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP

#include <CLI/CLI.hpp>

namespace smtpspec::tools
{

/**
 * Registers the "probe" subcommand:
 * smtpspec probe ADDR:PORT [--json FILE] [--junit FILE] [--from ADDR]
 * [--to ADDR] [--cases PREFIX] [--list] [--timeout SECONDS] [--verbose].
 *
 * When the subcommand runs, it throws CLI::RuntimeError carrying the exit
 * status when that is not 0: 1 when a case was graded fail, 2 for a usage
 * error, an unreachable server or a report that could not be written. The
 * caller's usual "catch (const CLI::ParseError& e) { return app.exit(e); }"
 * turns it into the process status.
 * @param app the top-level application.
 */
void add_probe_command(CLI::App& app);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_PROBE_COMMAND_HPP
