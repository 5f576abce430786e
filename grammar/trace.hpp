// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_TRACE_HPP
#define SMTPSPEC_GRAMMAR_TRACE_HPP

// Checks of the trace header fields of RFC 5321 4.4, for the linter and for
// tests of the server's own Received: and Return-Path: lines.

#include "grammar/command.hpp"

#include <optional>
#include <string_view>

namespace smtpspec::grammar
{

/** Which reading of Additional-Registered-Clauses to check against. */
enum class trace_reading
{
    erratum_1683,  ///< 1*( CFWS Atom FWS String ), the verified correction.
    as_printed,    ///< CFWS Atom FWS String, as RFC 5321 is printed.
};

/**
 * Checks a Received: line against Time-stamp-line of 4.4.
 * @param line the whole field, "Received:" to the final CRLF (folds included).
 * @param reading which form of Additional-Registered-Clauses to apply.
 * @return nothing when it matches; otherwise the error. Its reply_code is 0:
 *         a header field is not answered.
 * @see RFC 5321 4.4
 */
std::optional<syntax_error> check_received_line(
    std::string_view line, trace_reading reading = trace_reading::erratum_1683);

/**
 * Checks a Return-Path: line against Return-path-line of 4.4.
 * @param line the whole field, "Return-Path:" to the final CRLF.
 * @return nothing when it matches; otherwise the error, with reply_code 0.
 * @see RFC 5321 4.4
 */
std::optional<syntax_error> check_return_path_line(std::string_view line);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_TRACE_HPP
