// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for the mail transaction: MAIL, RCPT and DATA with good and
// bad paths.

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

namespace smtpspec::validate::internal
{

namespace
{
/** A small message in RFC 5322 form, with CRLF line ends and the final "." line. */
std::string probe_message(const probe_config& c)
{
    return "From: <" + c.from + ">\r\n"
           "To: <" + c.to + ">\r\n"
           "Subject: smtpspec probe\r\n"
           "Date: Fri, 04 Dec 2026 12:00:00 +0000\r\n"
           "Message-ID: <probe-delivery@" + c.client_domain + ">\r\n"
           "\r\n"
           "This message was sent by the smtpspec conformance prober.\r\n"
           ".\r\n";
}
}  // namespace

// rfc5321/4.1.1.4/1: MAIL, RCPT, DATA, message, end of data: 354 after DATA
// and 250 after the data (4.1.1.2-4.1.1.4, R-4.1.1.4-6).
// spec: 4.1.1.2 check
// spec: 4.1.1.3 check
// spec: 4.1.1.4 R-4.1.1.4-6 check
finding delivery_ends_250(probe_session& s)
{
    if (!s.open_session() || !s.start_mail() || !s.add_recipient()) {
        return s.aborted();
    }
    const auto data = s.command("DATA");
    if (!data) {
        return s.aborted();
    }
    if (data->kind() == 4 || data->kind() == 5) {
        s.fail_setup("DATA", *data);
        return s.aborted();
    }
    if (data->code() != 354) {
        return {verdict::violated, got("DATA", *data) + "; 354 expected (4.1.1.4, 4.3.2)"};
    }
    const auto end = s.exchange(probe_message(s.config()), "the message and <CRLF>.<CRLF>");
    if (!end) {
        return s.aborted();
    }
    if (end->kind() == 4 || end->kind() == 5) {
        return {verdict::could_not_run, "the server refused the message: " + end->summary()};
    }
    if (end->code() != 250) {
        return {verdict::violated,
                got("end of data", *end) + "; 250 required on success (4.1.1.4 R-4.1.1.4-6)"};
    }
    return {verdict::conforming, "354 after DATA, " + got("end of data", *end)};
}

// rfc5321/4.1.1.2/1: the null reverse-path "<>" is valid and needed for
// notifications (3.6.3 R-3.6.3-4, 4.5.5).
// spec: 4.1.1.2 check
// spec: 3.6.3 R-3.6.3-4 check
// spec: 4.5.5 check
finding null_reverse_path_accepted(probe_session& s)
{
    const auto r = command_in_session(s, "MAIL FROM:<>");
    if (!r) {
        return s.aborted();
    }
    if (r->code() == 250) {
        return {verdict::conforming, got("MAIL FROM:<>", *r)};
    }
    if (code_in(*r, {500, 501, 553, 555})) {
        return {verdict::violated, got("MAIL FROM:<>", *r)
                                       + ": a syntax refusal of the valid null reverse-path "
                                         "(4.1.1.2, 3.6.3 R-3.6.3-4)"};
    }
    return {verdict::informational,
            got("MAIL FROM:<>", *r) + ": refused, but not as a syntax error (a policy reason?)"};
}

// rfc5321/4.1.1.3/1: "<>" is not a Forward-path in the ABNF (4.1.1.3,
// 4.1.2). WG #106 keeps it a syntax error; the profile switch
// reject_null_forward_path selects that reading. No requirement keyword
// says it, so accepting it is lenient (deviation null-forward-path), never
// a failure; under the other reading acceptance passes. Known fault B22.
// spec: 4.1.1.3 check (WG #106)
// spec: 4.1.2 check
finding null_forward_path_refused(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto r = s.command("RCPT TO:<>");
    if (!r) {
        return s.aborted();
    }
    const bool strict = s.profile().reject_null_forward_path;
    if (code_in(*r, {501, 553})) {
        return {strict ? verdict::conforming : verdict::informational,
                got("RCPT TO:<>", *r)
                    + (strict ? "" : ": refused, where this profile's WG #106 reading allows it")};
    }
    if (r->kind() == 2) {
        if (!strict) {
            return {verdict::conforming,
                    got("RCPT TO:<>", *r) + ": accepted, as this profile's WG #106 reading allows"};
        }
        return probe_session::lenient(got("RCPT TO:<>", *r)
                                          + ": a Forward-path needs a mailbox (4.1.1.3 ABNF, "
                                            "WG #106 reading of profile "
                                          + std::string{s.profile().name} + ")",
                                      "null-forward-path");
    }
    return {verdict::informational,
            got("RCPT TO:<>", *r) + ": refused, but not with 501 or 553"};
}

// rfc5321/4.1.2/1: a MAIL whose path is not a Reverse-path (";" is not
// atext, no "@" Domain; known fault B11) gets 501 (R-4.1.4-14; 553 seen in
// practice), and the state does not change (R-4.1.4-15). Accepting it is
// lenient (deviation malformed-path), by the rule of expect_refused().
// spec: 4.1.2 check
// spec: 4.1.4 R-4.1.4-14 R-4.1.4-15 check
finding malformed_mail_is_501(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    const auto r = s.command("MAIL FROM:<;sleep 66;>");
    if (!r) {
        return s.aborted();
    }
    if (r->kind() == 2) {
        return probe_session::lenient(got("MAIL FROM:<;sleep 66;>", *r)
                                          + ": accepted what is not a Reverse-path (4.1.2) "
                                            "(deviation malformed-path)",
                                      "malformed-path");
    }
    if (!code_in(*r, {501, 553})) {
        return {verdict::violated,
                got("MAIL FROM:<;sleep 66;>", *r) + "; 501 required (4.1.4 R-4.1.4-14)"};
    }
    const auto rcpt = s.command("RCPT TO:<" + s.config().to + ">");
    if (!rcpt) {
        return s.aborted();
    }
    if (rcpt->kind() == 2) {
        return {verdict::violated, "RCPT after the refused MAIL got " + rcpt->summary()
                                       + ": the refusal opened a transaction (4.1.4 "
                                         "R-4.1.4-15)"};
    }
    return {verdict::conforming, got("MAIL FROM:<;sleep 66;>", *r) + ", then "
                                     + got("RCPT", *rcpt)};
}

// rfc5321/4.5.1/1: "<Postmaster>" without a domain must be accepted as a
// recipient (4.5.1 R-4.5.1-4; 4.1.1.3; known fault B17).
// spec: 4.5.1 R-4.5.1-4 check
// spec: 4.1.1.3 check
finding bare_postmaster_accepted(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto r = s.command("RCPT TO:<Postmaster>");
    if (!r) {
        return s.aborted();
    }
    if (code_in(*r, {250, 251})) {
        return {verdict::conforming, got("RCPT TO:<Postmaster>", *r)};
    }
    if (r->kind() == 4) {
        return {verdict::could_not_run,
                got("RCPT TO:<Postmaster>", *r) + ": a temporary failure, try again later"};
    }
    return {verdict::violated,
            got("RCPT TO:<Postmaster>", *r) + "; it must be supported (4.5.1 R-4.5.1-4)"};
}

}  // namespace smtpspec::validate::internal
