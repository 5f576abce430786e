// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_INTERNAL_CASE_BODIES_HPP
#define SMTPSPEC_VALIDATE_INTERNAL_CASE_BODIES_HPP

#include "reference/trace.hpp"
#include "validate/probe_session.hpp"
#include "validate/server_reply.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

namespace smtpspec::validate::internal
{

/** @return true when the reply's code is one of codes. */
inline bool code_in(const server_reply& r, std::initializer_list<int> codes) noexcept
{
    for (const int c : codes) {
        if (r.code() == c) {
            return true;
        }
    }
    return false;
}

/**
 * @return "<what> got <first line of the reply>", for finding details; the
 *         octets of what are shown by reference::printable.
 */
inline std::string got(std::string_view what, const server_reply& r)
{
    return reference::printable(what) + " got " + r.summary();
}

/**
 * Syntax problems of a reply: bad Reply-line syntax (4.2) or codes that
 * differ between lines (4.2.1, R-4.2.1-5).
 * @return empty when there are none.
 */
std::string reply_syntax_problems(const server_reply& r);

// Connection and session cases (connection_cases.cpp).
finding greeting_is_220(probe_session& s);
finding ehlo_is_250_multiline(probe_session& s);
finding helo_is_250(probe_session& s);
finding trailing_space_tolerated(probe_session& s);
finding rset_is_250(probe_session& s);
finding noop_is_250(probe_session& s);
finding quit_is_221_and_close(probe_session& s);
finding unknown_verb_is_500(probe_session& s);
finding rset_argument_is_501(probe_session& s);
finding helo_reply_not_ehlo_style(probe_session& s);

// Command line cases (line_cases.cpp).
finding bare_lf_is_not_a_line_end(probe_session& s);
finding long_command_line_one_reply(probe_session& s);

// Mail transaction cases (transaction_cases.cpp).
finding delivery_ends_250(probe_session& s);
finding null_reverse_path_accepted(probe_session& s);
finding null_forward_path_refused(probe_session& s);
finding malformed_mail_is_501(probe_session& s);
finding bare_postmaster_accepted(probe_session& s);

// Command order cases (sequence_cases.cpp).
finding rcpt_before_mail_is_503(probe_session& s);
finding data_before_rcpt_is_503_or_554(probe_session& s);
finding mail_before_ehlo_is_503(probe_session& s);
finding noop_before_ehlo_is_250(probe_session& s);
finding mail_in_transaction_is_503(probe_session& s);
finding ehlo_resets_transaction(probe_session& s);
finding refused_ehlo_keeps_state(probe_session& s);
finding helo_resets_transaction(probe_session& s);

}  // namespace smtpspec::validate::internal

#endif  // SMTPSPEC_VALIDATE_INTERNAL_CASE_BODIES_HPP
