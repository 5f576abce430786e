// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_COMMANDS_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace smtpspec::tools
{

/// Exit codes of the smtpspec command, shared by every subcommand.
enum exit_code : int
{
    exit_ok = 0,          ///< Done as asked.
    exit_failed = 1,      ///< The peer refused, or a MUST failed (probe).
    exit_usage = 2,       ///< Bad arguments or unreadable input.
    exit_connection = 3,  ///< The peer could not be reached or timed out.
    exit_damaged = 4,     ///< Some stored input was damaged and skipped; the rest was done.
};

/** Registers `smtpspec serve`. @param app the top-level application. */
void add_serve_command(CLI::App& app);

/** Registers `smtpspec send`. @param app the top-level application. */
void add_send_command(CLI::App& app);

/** Registers `smtpspec queue`. @param app the top-level application. */
void add_queue_command(CLI::App& app);

/** Registers `smtpspec explain`. @param app the top-level application. */
void add_explain_command(CLI::App& app);

/** Registers `smtpspec coverage`. @param app the top-level application. */
void add_coverage_command(CLI::App& app);

/** Registers `smtpspec corpus`. @param app the top-level application. */
void add_corpus_command(CLI::App& app);

/** Registers `smtpspec model` (explore, profiles, diff). @param app the top-level application. */
void add_model_command(CLI::App& app);
/** Registers `smtpspec lint`. @param app the top-level application. */
void add_lint_command(CLI::App& app);

/** Registers `smtpspec dialogue run`. @param app the top-level application. */
void add_dialogue_command(CLI::App& app);
/** Registers `smtpspec parse`. @param app the top-level application. */
void add_parse_command(CLI::App& app);

/**
 * One structured log line: "ts=... level=... " then the event's key=value
 * pairs, and a line feed.
 * @param level info, warning or error.
 * @param fields the rest of the line, "event=... key=value ...".
 * @return the line.
 */
std::string log_text(std::string_view level, const std::string& fields);

/**
 * Writes one structured log line (log_text) to stderr at once.
 * @param level info, warning or error.
 * @param fields the rest of the line, "event=... key=value ...".
 */
void log_line(const char* level, const std::string& fields);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_COMMANDS_HPP
