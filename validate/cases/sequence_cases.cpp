// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for the order of commands (3.3, 4.1.4).

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

namespace smtpspec::validate::internal
{

// rfc5321/3.3/1: RCPT without a MAIL before it gets 503 (R-3.3-10).
// spec: 3.3 R-3.3-10 check
finding rcpt_before_mail_is_503(probe_session& s)
{
    const auto r = command_in_session(s, "RCPT TO:<" + s.config().to + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 503) {
        return {verdict::violated,
                got("RCPT before MAIL", *r) + "; 503 required (3.3 R-3.3-10)"};
    }
    return {verdict::conforming, got("RCPT before MAIL", *r)};
}

// rfc5321/3.3/2: DATA with no accepted recipient gets 503 or 554
// (R-3.3-11); a 354 would let a message in with no recipient
// (4.1.4 R-4.1.4-16).
// spec: 3.3 R-3.3-11 check
// spec: 4.1.4 R-4.1.4-16 check
finding data_before_rcpt_is_503_or_554(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto r = s.command("DATA");
    if (!r) {
        return s.aborted();
    }
    if (code_in(*r, {503, 554})) {
        return {verdict::conforming, got("DATA before RCPT", *r)};
    }
    if (r->code() == 354) {
        // End the data at once, so that the server is back in sync for QUIT.
        (void)s.exchange(".\r\n", "<CRLF>.<CRLF> after the unexpected 354");
        return {verdict::violated,
                "DATA before RCPT got 354; 503 or 554 expected (3.3 R-3.3-11, 4.1.4 "
                "R-4.1.4-16)"};
    }
    return {verdict::informational,
            got("DATA before RCPT", *r) + ": refused, but not with 503 or 554 (3.3)"};
}

// rfc5321/4.1.4/1: a session with mail transactions starts with EHLO or
// HELO (R-4.1.4-1, R-4.1.1.1-6); MAIL before it gets 503 (R-4.1.4-16).
// Accepting it is lenient (known fault B44).
// spec: 4.1.4 R-4.1.4-1 R-4.1.4-16 check
// spec: 4.1.1.1 R-4.1.1.1-6 check
finding mail_before_ehlo_is_503(probe_session& s)
{
    if (!s.expect_greeting()) {
        return s.aborted();
    }
    const auto r = s.command("MAIL FROM:<" + s.config().from + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->code() == 503) {
        return {verdict::conforming, got("MAIL before EHLO", *r)};
    }
    if (r->kind() == 2) {
        return probe_session::lenient(got("MAIL before EHLO", *r)
                                          + ": accepted a MAIL the client must not send yet "
                                            "(4.1.4 R-4.1.4-1)",
                                      "mail-before-ehlo");
    }
    return {verdict::informational,
            got("MAIL before EHLO", *r) + ": refused, but not with 503 (4.1.4)"};
}

// rfc5321/4.1.4/2: NOOP before EHLO is processed normally, not 503
// (R-4.1.4-11).
// spec: 4.1.4 R-4.1.4-11 check
finding noop_before_ehlo_is_250(probe_session& s)
{
    if (!s.expect_greeting()) {
        return s.aborted();
    }
    const auto r = s.command("NOOP");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        return {verdict::violated,
                got("NOOP before EHLO", *r) + "; 250 expected (4.1.4 R-4.1.4-11)"};
    }
    return {verdict::conforming, got("NOOP before EHLO", *r)};
}

// rfc5321/4.1.4/3: MAIL while a transaction is open is out of sequence
// (R-4.1.4-13 for the client, 503 per R-4.1.4-16; WG #101). Accepting it
// is lenient.
// spec: 4.1.4 R-4.1.4-13 R-4.1.4-16 check (WG #101)
finding mail_in_transaction_is_503(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto r = s.command("MAIL FROM:<" + s.config().from + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->code() == 503) {
        return {verdict::conforming, got("a second MAIL in the transaction", *r)};
    }
    if (r->kind() == 2) {
        return probe_session::lenient(got("a second MAIL in the transaction", *r)
                                          + ": accepted a MAIL the client must not send "
                                            "(4.1.4 R-4.1.4-13, WG #101)",
                                      "mail-in-transaction");
    }
    return {verdict::informational, got("a second MAIL in the transaction", *r)
                                        + ": refused, but not with 503 (4.1.4)"};
}


// rfc5321/4.1.4/4: an accepted EHLO later in the session resets the state
// as RSET would (R-4.1.4-4): RCPT after it is out of sequence.
// spec: 4.1.4 R-4.1.4-4 check
finding ehlo_resets_transaction(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto ehlo = s.command("EHLO " + s.config().client_domain);
    if (!ehlo) {
        return s.aborted();
    }
    if (ehlo->code() != 250) {
        s.fail_setup("a second EHLO", *ehlo);
        return s.aborted();
    }
    const auto r = s.command("RCPT TO:<" + s.config().to + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->kind() == 2) {
        return {verdict::violated, "RCPT after MAIL, EHLO " + got("", *r)
                                       + ": EHLO did not reset the transaction (4.1.4 "
                                         "R-4.1.4-4)"};
    }
    if (r->code() != 503) {
        return {verdict::informational,
                "RCPT after MAIL, EHLO " + got("", *r) + ": refused, but not with 503"};
    }
    return {verdict::conforming, "RCPT after MAIL, EHLO " + got("", *r)};
}

// rfc5321/4.1.4/5: a refused EHLO (here: no domain, known fault B43) gets
// 501, 500, 502 or 550 (R-4.1.4-5) and leaves the state as it was
// (R-4.1.4-6): the open transaction still takes a RCPT.
// spec: 4.1.4 R-4.1.4-5 R-4.1.4-6 check
// spec: 4.1.1.1 check
finding refused_ehlo_keeps_state(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto ehlo = s.command("EHLO");
    if (!ehlo) {
        return s.aborted();
    }
    if (ehlo->kind() == 2) {
        return probe_session::lenient(
            got("EHLO without a domain", *ehlo) + ": the domain is required (4.1.1.1)",
            "ehlo-without-domain");
    }
    if (!code_in(*ehlo, {500, 501, 502, 550})) {
        return {verdict::violated, got("EHLO without a domain", *ehlo)
                                       + "; 501, 500, 502 or 550 required (4.1.4 R-4.1.4-5)"};
    }
    const auto r = s.command("RCPT TO:<" + s.config().to + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->code() == 503) {
        return {verdict::violated, "RCPT after a refused EHLO got 503: the refusal ended the "
                                   "transaction (4.1.4 R-4.1.4-6)"};
    }
    if (!code_in(*r, {250, 251})) {
        return {verdict::informational,
                got("RCPT after a refused EHLO", *r) + ": cannot tell whether the state held"};
    }
    return {verdict::conforming, got("EHLO without a domain", *ehlo) + ", then "
                                     + got("RCPT", *r)};
}

// rfc5321/4.1.4/6: whether HELO ends an open transaction, as EHLO does.
// RFC 5321 names only EHLO (R-4.1.4-4); WG #116 adds HELO. The profile's
// switch helo_resets_transaction picks the reading: with it, a HELO that
// keeps the transaction breaks R-4.1.4-4 as read by 5321bis; without it,
// either behaviour is reported as info.
// spec: 4.1.4 R-4.1.4-4 check (WG #116)
// spec: 4.1.1.5 R-4.1.1.5-1 check (WG #116)
finding helo_resets_transaction(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto helo = s.command("HELO " + s.config().client_domain);
    if (!helo) {
        return s.aborted();
    }
    if (helo->code() != 250) {
        s.fail_setup("HELO after MAIL", *helo);
        return s.aborted();
    }
    const auto r = s.command("RCPT TO:<" + s.config().to + ">");
    if (!r) {
        return s.aborted();
    }
    const bool bis = s.profile().helo_resets_transaction;
    if (r->kind() == 2) {
        if (bis) {
            return {verdict::violated, "RCPT after MAIL, HELO " + got("", *r)
                                           + ": HELO kept the transaction; profile "
                                           + std::string{s.profile().name}
                                           + " reads WG #116 as HELO resetting it (4.1.4 "
                                             "R-4.1.4-4)"};
        }
        return {verdict::informational, "RCPT after MAIL, HELO " + got("", *r)
                                            + ": HELO keeps the transaction (the WG #116 "
                                              "reading would reset it)"};
    }
    if (r->code() == 503) {
        return {bis ? verdict::conforming : verdict::informational,
                "RCPT after MAIL, HELO got 503: HELO resets the transaction (the WG #116 "
                "reading)"};
    }
    return {verdict::informational, "RCPT after MAIL, HELO " + got("", *r)};
}

}  // namespace smtpspec::validate::internal
