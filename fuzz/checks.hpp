// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_FUZZ_CHECKS_HPP
#define SMTPSPEC_FUZZ_CHECKS_HPP

// The checks behind every fuzz target, one function per target. The libFuzzer
// entry points (fuzz/*_fuzzer.cpp, built with clang) abort when a check
// fails; the regression test (tests/fuzz-regressions, built with the normal
// compiler) runs the saved inputs through the same functions.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace smtpspec::fuzz
{

/// What a check found: nothing when the input passed, else the failed check, for people.
using failure = std::optional<std::string>;

/**
 * grammar::parse_command on one line: an error points inside the line and
 * carries 500 or 501 and a rule; the lenient parse accepts whatever the
 * strict one does and gives the same command; a MAIL or RCPT prints back to
 * a line that parses to the same command.
 * @param line the octets of one command line, CRLF included or not.
 * @return the first failed check, if any.
 * @see RFC 5321 4.1.1, 4.1.2, 4.1.4
 */
failure check_parse_command(std::string_view line);

/**
 * grammar::parse_mailbox: a mailbox that parses is within the limits of
 * 4.5.3.1.1 and 4.5.3.1.2 and prints back to its own octets.
 * @param text the candidate Mailbox.
 * @return the first failed check, if any.
 * @see RFC 5321 4.1.2, 4.5.3.1.1, 4.5.3.1.2
 */
failure check_parse_mailbox(std::string_view text);

/**
 * grammar::parse_reply_line: a line that parses has a code of 200 to 559, and
 * a last line formats back to its own octets.
 * @param line one reply line.
 * @return the first failed check, if any.
 * @see RFC 5321 4.2
 */
failure check_parse_reply_line(std::string_view line);

/**
 * The reference server session with the model as oracle
 * (corpus::check_server_session), under the profiles rfc5321 and rfc5321bis.
 * @param client_bytes what a client sends after the greeting.
 * @return the first disagreement, naming the profile, if any.
 * @see RFC 5321 4.1.4, 4.2, 4.3.2
 */
failure check_server_session(std::string_view client_bytes);

/**
 * The reference client session against arbitrary server octets, fed in
 * pieces whose sizes come from the input: every line the client sends is a
 * command the grammar accepts or a line of the prepared mail data, holds no
 * bare CR or LF, and a closed connection ends the session.
 * @param server_bytes what the server sends, greeting included.
 * @return the first failed check, if any.
 * @see RFC 5321 2.3.8, 3.3, 4.5.2
 */
failure check_client_session(std::string_view server_bytes);

/**
 * The transcript linter (lint::lint) on a dialogue file under the profiles
 * rfc5321 and rfc5321bis, and (lint::lint_streams) on the input split at its
 * first NUL into a client and a server stream: a format error leaves nothing
 * else; every line and finding points inside the input, in order; every
 * finding names a section and a requirement or section of the catalogue; the
 * text report ends in a newline and the SARIF report is JSON with one result
 * per finding.
 * @param input a dialogue file (C:/S: lines), or two streams.
 * @return the first failed check, naming the profile, if any.
 * @see RFC 5321 2.3.8, 4.1, 4.2, 4.3
 */
failure check_lint(std::string_view input);

/** One fuzz target: its name (the libFuzzer program is NAME_fuzzer) and its check. */
struct target
{
    std::string_view name;                     ///< e.g. "parse_command".
    failure (*check)(std::string_view input);  ///< The check the target runs.
};

/** @return every target, in a fixed order. */
std::span<const target> targets();

/**
 * The body of every LLVMFuzzerTestOneInput: runs @p check and, when it fails,
 * prints the failure to standard error and aborts, which libFuzzer records as
 * a crash with the input.
 * @param check the target's check.
 * @param data the input's octets.
 * @param size the input's length.
 * @return 0, the value libFuzzer expects.
 */
int run_or_abort(failure (*check)(std::string_view), const unsigned char* data, std::size_t size);

}  // namespace smtpspec::fuzz

#endif  // SMTPSPEC_FUZZ_CHECKS_HPP
