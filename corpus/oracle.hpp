// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_ORACLE_HPP
#define SMTPSPEC_CORPUS_ORACLE_HPP

// The model as an oracle for the reference server: client octets go into a
// server_session while the model is stepped alongside, one command line or
// one block of mail data at a time. Every reply must be one model::step
// permits in the model's state, the session must end in the state the model
// says, every reply line must parse as a Reply-line, and feeding the same
// octets in one piece must give the same replies. Used by the server fuzz
// target and by the session corpus tests.

#include "model/profile.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::corpus
{

/** What the oracle saw. */
struct oracle_report
{
    std::vector<int> codes;          ///< Reply codes of the session, greeting first.
    std::optional<std::string> failure;  ///< The first disagreement, for people; empty if none.
};

/**
 * Runs @p client_bytes through a reference server session, checked against
 * the model.
 * @param client_bytes what a client sends after connecting.
 * @param p the profile of both the model and the session.
 * @return the replies, and the first disagreement if any.
 * @see RFC 5321 4.1.4, 4.2, 4.3.2
 */
oracle_report check_server_session(std::string_view client_bytes, const model::profile& p);

/**
 * @param output octets a server sent.
 * @return the codes of the complete replies in it, in order.
 */
std::vector<int> reply_codes(std::string_view output);

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_ORACLE_HPP
