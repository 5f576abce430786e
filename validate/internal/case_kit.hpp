// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_INTERNAL_CASE_KIT_HPP
#define SMTPSPEC_VALIDATE_INTERNAL_CASE_KIT_HPP

#include "validate/probe_case.hpp"
#include "validate/probe_session.hpp"
#include "validate/server_reply.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::validate::internal
{

/** How far a case takes the session before the command it checks. */
enum class stage
{
    here,     ///< Nothing: the session is already where the case wants it.
    greeted,  ///< Greeting read (220), nothing sent.
    session,  ///< Greeting and EHLO.
    mail,     ///< EHLO and an accepted MAIL.
    rcpt,     ///< EHLO, MAIL and an accepted RCPT.
};

/**
 * Takes a fresh session to a stage.
 * @return true on success; otherwise the case returns s.aborted().
 */
bool reach(probe_session& s, stage st);

/**
 * Fills a command template: "{from}", "{to}", "{domain}" (the domain of the
 * configured recipient) and "{client}" (the EHLO domain).
 */
std::string expand(std::string_view tmpl, const probe_config& c);

/** A command a case sent and the reply it got. */
struct exchange
{
    std::string line;    ///< The command as sent, without CRLF.
    server_reply reply;  ///< What the server answered.
};

/**
 * Takes a fresh session to a stage, then sends one command.
 * @param tmpl the command, filled by expand().
 * @return the exchange, or nothing when the stage or the reply could not be
 *         had; the case then returns s.aborted().
 */
std::optional<exchange> send_at(probe_session& s, stage at, std::string_view tmpl);

/**
 * Opens a fresh session (greeting and EHLO), then sends one command.
 * @return the reply, or nothing when the session or the reply could not be
 *         had; the case then returns s.aborted().
 */
std::optional<server_reply> command_in_session(probe_session& s, std::string_view line);

/** @return true for the codes a syntax refusal uses: 500, 501, 553 and 555. */
bool is_syntax_refusal(const server_reply& r) noexcept;

/**
 * A command the ABNF accepts: 2yz passes, a syntax refusal (500, 501, 553,
 * 555) is a violation, another refusal (a policy 550, a 4yz) is information.
 * @param s the session; @param at the stage; @param tmpl the command (expand()).
 * @param rule the rule and section that make the command valid, for the detail.
 */
finding expect_accepted(probe_session& s, stage at, std::string_view tmpl, std::string_view rule);

/**
 * A command the ABNF rejects: a syntax refusal passes; a 2yz is lenient
 * (naming the deviation) or, with no deviation given, a violation.
 *
 * Which of the two a case asks for follows one rule. R-4.1.4-14 (MUST) says
 * how a server answers a MAIL whose argument it finds unacceptable (501);
 * it does not oblige it to find a given malformed path unacceptable, and
 * spec/data/deviations.toml lists such acceptances as leniencies real servers
 * apply by configuration, breaking no requirement (requirements = []). So a
 * case whose only ground is the grammar plus R-4.1.4-14 names the deviation
 * that covers its input (space-after-colon, path-without-brackets, and
 * malformed-path for every other broken Path: stray text after '>', stray
 * quotes, two mailboxes, a bad address literal, no Domain) and a 2yz is
 * lenient, for MAIL and RCPT alike. A case passes no deviation only when a
 * cited requirement obliges the refusal itself (R-4.1.2-12: an invalid
 * character gets 501) or when no catalogued leniency covers the input (an
 * esmtp-value holding "="); a 2yz is then a violation graded by its level.
 * @param deviation the deviation's id in spec/data/deviations.toml, or empty.
 */
finding expect_refused(probe_session& s, stage at, std::string_view tmpl, std::string_view rule,
                       std::string_view deviation);

/**
 * A command that has to get one of some codes: other codes are a violation
 * (2yz when a refusal was wanted, or the wrong refusal).
 */
finding expect_codes(probe_session& s, stage at, std::string_view tmpl,
                     const std::vector<int>& wanted, std::string_view rule);

/** @return a check running expect_accepted() with these arguments. */
inline auto check_accepted(stage at, std::string_view tmpl, std::string_view rule)
{
    return [=](probe_session& s) { return expect_accepted(s, at, tmpl, rule); };
}

/** @return a check running expect_refused() with these arguments. */
inline auto check_refused(stage at, std::string_view tmpl, std::string_view rule,
                          std::string_view deviation = {})
{
    return [=](probe_session& s) { return expect_refused(s, at, tmpl, rule, deviation); };
}

/** @return a check running expect_codes() with these arguments. */
inline auto check_codes(stage at, std::string_view tmpl, std::vector<int> wanted,
                        std::string_view rule)
{
    return [=](probe_session& s) { return expect_codes(s, at, tmpl, wanted, rule); };
}

/**
 * Mail data that must not end (or split) the message: sends it after 354,
 * waits quiet_wait() for a reply that must not come, then closes without
 * the final CRLF "." CRLF, so nothing is delivered. A server that drops the
 * session (421 or a close) at the bad octets passes: it never took them as
 * an end of data.
 * @param writes the data, in as many writes as there are elements.
 * @param what a name for the sequence, for the detail.
 * @param pause wait quiet_wait() after each write but the last, so that a
 *        server taking the octets of one write as the end of the data
 *        answers before the next write arrives (and cannot hide it by
 *        refusing what follows as unwanted pipelining).
 */
finding data_must_not_end(probe_session& s, const std::vector<std::string>& writes,
                          std::string_view what, bool pause = false);

/**
 * Mail data that must be accepted as one message: sends it (in the given
 * writes, ending with CRLF "." CRLF) after 354 and expects exactly one 250
 * (4.1.1.4 R-4.1.1.4-6). Delivers to the configured recipient.
 */
finding data_delivered(probe_session& s, const std::vector<std::string>& writes,
                       std::string_view what);

/** @return the catalogue rows of one area file, appended to out. */
void add_session_cases(std::vector<probe_case>& out);
/** @copydoc add_session_cases */
void add_syntax_cases(std::vector<probe_case>& out);
/** @copydoc add_session_cases */
void add_data_cases(std::vector<probe_case>& out);
/** @copydoc add_session_cases */
void add_extension_cases(std::vector<probe_case>& out);

}  // namespace smtpspec::validate::internal

#endif  // SMTPSPEC_VALIDATE_INTERNAL_CASE_KIT_HPP
