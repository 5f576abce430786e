// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The steps most probe cases share: reaching a stage of the session, sending
// one command and judging its code, and sending mail data that must or must
// not end the message.

#include "validate/internal/case_kit.hpp"

#include "validate/internal/case_bodies.hpp"

#include <optional>
#include <system_error>

namespace smtpspec::validate::internal
{

bool reach(probe_session& s, stage st)
{
    switch (st) {
    case stage::here:
        return true;
    case stage::greeted:
        return s.expect_greeting().has_value();
    case stage::session:
        return s.open_session();
    case stage::mail:
        return s.open_session() && s.start_mail();
    case stage::rcpt:
        return s.open_session() && s.start_mail() && s.add_recipient();
    }
    return false;
}

std::string expand(std::string_view tmpl, const probe_config& c)
{
    std::string out;
    for (std::size_t i = 0; i < tmpl.size();) {
        const auto rest = tmpl.substr(i);
        const auto take = [&](std::string_view key, const std::string& value) {
            if (!rest.starts_with(key)) {
                return false;
            }
            out += value;
            i += key.size();
            return true;
        };
        if (!take("{from}", c.from) && !take("{to}", c.to) && !take("{domain}", c.to_domain()) &&
            !take("{client}", c.client_domain)) {
            out += tmpl[i++];
        }
    }
    return out;
}

std::optional<exchange> send_at(probe_session& s, stage at, std::string_view tmpl)
{
    if (!reach(s, at)) {
        return std::nullopt;
    }
    auto line = expand(tmpl, s.config());
    auto r = s.command(line);
    if (!r) {
        return std::nullopt;
    }
    return exchange{std::move(line), std::move(*r)};
}

std::optional<server_reply> command_in_session(probe_session& s, std::string_view line)
{
    if (!s.open_session()) {
        return std::nullopt;
    }
    return s.command(line);
}

bool is_syntax_refusal(const server_reply& r) noexcept
{
    return code_in(r, {500, 501, 553, 555});
}

finding expect_accepted(probe_session& s, stage at, std::string_view tmpl, std::string_view rule)
{
    const auto sent = send_at(s, at, tmpl);
    if (!sent) {
        return s.aborted();
    }
    const auto& [line, r] = *sent;
    if (r.kind() == 2) {
        return {verdict::conforming, got(line, r)};
    }
    if (is_syntax_refusal(r)) {
        return {verdict::violated, got(line, r) + ": a syntax refusal of a valid command (" +
                                       std::string{rule} + ")"};
    }
    return {verdict::informational,
            got(line, r) + ": refused, but not as a syntax error (policy?)"};
}

finding expect_refused(probe_session& s, stage at, std::string_view tmpl, std::string_view rule,
                       std::string_view deviation)
{
    const auto sent = send_at(s, at, tmpl);
    if (!sent) {
        return s.aborted();
    }
    const auto& [line, r] = *sent;
    if (is_syntax_refusal(r)) {
        return {verdict::conforming, got(line, r)};
    }
    if (r.kind() == 2) {
        const std::string detail =
            got(line, r) + ": accepted what " + std::string{rule} + " does not allow";
        if (deviation.empty()) {
            return {verdict::violated, detail};
        }
        return probe_session::lenient(detail + " (deviation " + std::string{deviation} + ")",
                                      deviation);
    }
    return {verdict::informational, got(line, r) + ": refused, but not with a syntax error code"};
}

finding expect_codes(probe_session& s, stage at, std::string_view tmpl,
                     const std::vector<int>& wanted, std::string_view rule)
{
    const auto sent = send_at(s, at, tmpl);
    if (!sent) {
        return s.aborted();
    }
    const auto& [line, r] = *sent;
    std::string codes;
    for (const int c : wanted) {
        codes += (codes.empty() ? "" : " or ") + std::to_string(c);
        if (r.code() == c) {
            return {verdict::conforming, got(line, r)};
        }
    }
    return {verdict::violated,
            got(line, r) + "; " + codes + " expected (" + std::string{rule} + ")"};
}

finding data_must_not_end(probe_session& s, const std::vector<std::string>& writes,
                          std::string_view what, bool pause)
{
    if (!s.open_session() || !s.start_data()) {
        return s.aborted();
    }
    std::error_code ec;
    bool failed = false;
    std::optional<server_reply> early;
    for (std::size_t i = 0; i < writes.size() && !early && !failed; ++i) {
        s.connection().send(writes[i], ec);
        if (ec) {
            return {verdict::could_not_run, "sending the mail data failed: " + ec.message()};
        }
        if (pause && i + 1 < writes.size()) {
            early = s.poll_reply(s.quiet_wait(), failed);
        }
    }
    if (!early && !failed) {
        early = s.poll_reply(s.quiet_wait(), failed);
    }
    if (early && (early->kind() == 4 || early->kind() == 5)) {
        // A refusal at the bad octets is right only if the server then
        // stops: no reply to the smuggled commands, the session closed.
        bool closed = false;
        const auto next = s.poll_reply(s.quiet_wait(), closed);
        s.abandon_data();
        if (!next && closed) {
            return {verdict::conforming, got(std::string{what} + " in mail data", *early) +
                                             ", then the server closed: the data never "
                                             "ended there"};
        }
        if (next) {
            return {verdict::violated,
                    got(std::string{what} + " in mail data", *early) + ", then " + next->summary() +
                        ": the octets after it were read as commands (4.1.1.4 R-4.1.1.4-5)"};
        }
        return {verdict::informational,
                got(std::string{what} + " in mail data", *early) +
                    " before the end of the data, then nothing: the server refused the "
                    "data early and kept the session"};
    }
    if (early) {
        s.abandon_data();
        return {verdict::violated,
                got(std::string{what} + " in mail data", *early) +
                    " before any CRLF.CRLF: it was taken as the end of the data (4.1.1.4 "
                    "R-4.1.1.4-5, 2.3.8 R-2.3.8-1)"};
    }
    if (failed) {
        return {verdict::conforming, std::string{what} +
                                         " in mail data: the server dropped the session, "
                                         "it did not end the data there"};
    }
    // Silence proves little against a server that takes longer than the
    // wait to store a message (a queue file and its fsync). Closing the
    // sending side settles it: a server still in the data sees the end of
    // the stream and drops the transaction; one that took the octets as the
    // end of the data answers that message first.
    std::error_code half;
    s.connection().shutdown_send(half);
    if (!half) {
        bool closed = false;
        const auto late = s.poll_reply(s.config().read_timeout, closed);
        if (late && late->kind() == 2) {
            return {verdict::violated,
                    got(std::string{what} + " in mail data", *late) +
                        " once the prober closed its side: it was taken as the end of the "
                        "data (4.1.1.4 R-4.1.1.4-5, 2.3.8 R-2.3.8-1)"};
        }
        return {verdict::conforming,
                "no reply to " + std::string{what} + " in mail data; when the prober closed its "
                    "side the server "
                    + (late     ? "answered " + late->summary()
                       : closed ? std::string{"closed"}
                                : "said nothing for " + std::to_string(
                                      s.config().read_timeout.count()) + " ms")
                    + " without accepting a message: not taken as the end of the data"};
    }
    s.abandon_data();
    return {verdict::conforming, "no reply to " + std::string{what} + " in mail data within " +
                                     std::to_string(s.quiet_wait().count()) +
                                     " ms: not taken as the end of the data"};
}

finding data_delivered(probe_session& s, const std::vector<std::string>& writes,
                       std::string_view what)
{
    if (!s.open_session() || !s.start_data()) {
        return s.aborted();
    }
    std::error_code ec;
    for (std::size_t i = 0; i + 1 < writes.size(); ++i) {
        s.connection().send(writes[i], ec);
        if (ec) {
            return {verdict::could_not_run, "sending the mail data failed: " + ec.message()};
        }
        bool failed = false;
        if (const auto early = s.poll_reply(std::chrono::milliseconds{20}, failed)) {
            return {verdict::violated, got("part of " + std::string{what}, *early) +
                                           " before the end of the data (4.1.1.4)"};
        }
        if (failed) {
            return s.aborted();
        }
    }
    const auto end = s.exchange(writes.empty() ? std::string{".\r\n"} : writes.back(),
                                "the end of " + std::string{what});
    if (!end) {
        return s.aborted();
    }
    if (end->code() != 250) {
        return {verdict::violated, got(std::string{what}, *end) +
                                       "; 250 expected for a valid message (4.1.1.4 "
                                       "R-4.1.1.4-6)"};
    }
    const auto sync = s.command("NOOP");
    if (!sync) {
        return s.aborted();
    }
    if (sync->code() != 250) {
        return {verdict::violated, "after the 250, NOOP " + got("", *sync) +
                                       ": more than one reply to the data (4.2 R-4.2-1)"};
    }
    return {verdict::conforming, got(std::string{what}, *end) + ", then NOOP 250"};
}

}  // namespace smtpspec::validate::internal
