// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for service extensions (2.2): STARTTLS (RFC 3207; known
// fault B07), PIPELINING (RFC 2920; B06), SIZE (RFC 1870), 8BITMIME
// (RFC 6152; B28), CHUNKING (RFC 3030), DSN (RFC 3461; B27, B30),
// SMTPUTF8 (RFC 6531), ENHANCEDSTATUSCODES (RFC 2034) and AUTH=<> (RFC
// 4954; B33). Each is graded unimplemented when the EHLO reply does not
// offer the extension. None completes a message.

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace smtpspec::validate::internal
{

namespace
{
using spec::ref;

/** Opens a session offering keyword, takes it to a stage, then checks tmpl's reply. */
auto offered(std::string_view keyword, stage at, std::string_view tmpl, bool want_accept,
             std::string_view rule)
{
    return [=](probe_session& s) {
        if (!s.open_session_with(keyword)) {
            return s.aborted();
        }
        if (at == stage::mail && !s.start_mail()) {
            return s.aborted();
        }
        return want_accept ? expect_accepted(s, stage::here, tmpl, rule)
                           : expect_refused(s, stage::here, tmpl, rule, {});
    };
}

// rfc3207/4/2: STARTTLS and a command in one segment: the command must be
// dropped, never run inside TLS (B07; RFC 3207 4 and 4.2).
// spec: rfc3207/4 check
// spec: rfc3207/4.2 check
finding starttls_injection(probe_session& s)
{
    if (!s.open_session_with("STARTTLS")) {
        return s.aborted();
    }
    const auto r = s.exchange("STARTTLS\r\nRSET\r\n", "STARTTLS<CRLF>RSET in one segment");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 220) {
        return {verdict::conforming,
                got("STARTTLS with a command after it", *r) + ": refused, which RFC 3207 allows"};
    }
    std::error_code ec;
    s.connection().start_tls(ec);
    if (ec == std::errc::protocol_error) {
        return {verdict::violated, "the server answered the RSET in clear after its 220: "
                                   "octets after STARTTLS must be dropped (RFC 3207 4.2)"};
    }
    if (ec) {
        return {verdict::could_not_run, "TLS handshake failed: " + ec.message()};
    }
    bool failed = false;
    if (const auto early = s.poll_reply(s.quiet_wait(), failed)) {
        return {verdict::violated, "inside TLS, before any command, " + got("", *early) +
                                       ": the RSET sent in clear was run (B07, RFC 3207 4.2)"};
    }
    if (failed) {
        return s.aborted();
    }
    const auto e = s.ehlo();
    if (!e) {
        return s.aborted();
    }
    return {verdict::conforming, "no reply to the injected RSET; EHLO over TLS " + got("", *e)};
}

// rfc3207/4.2/1 and /2: after the handshake the server forgets the session
// (RFC 3207 4.2): its EHLO reply no longer offers STARTTLS, and MAIL before
// a new EHLO is out of sequence.
// spec: rfc3207/4.2 check
finding after_tls(probe_session& s, bool check_mail)
{
    if (!s.enter_tls()) {
        return s.aborted();
    }
    if (check_mail) {
        const auto m = s.command("MAIL FROM:<" + s.config().from + ">");
        if (!m) {
            return s.aborted();
        }
        if (m->kind() == 2) {
            return probe_session::lenient(got("MAIL right after the TLS handshake", *m) +
                                              ": the client must send EHLO again (RFC 3207 "
                                              "4.2; 4.1.4 R-4.1.4-1)",
                                          "mail-before-ehlo");
        }
        return {m->code() == 503 ? verdict::conforming : verdict::informational,
                got("MAIL right after the TLS handshake", *m)};
    }
    const auto e = s.ehlo();
    if (!e) {
        return s.aborted();
    }
    if (e->code() != 250) {
        return {verdict::violated, got("EHLO over TLS", *e)};
    }
    if (s.offers("STARTTLS")) {
        return {verdict::violated,
                "the EHLO reply over TLS still offers STARTTLS (RFC 3207 4.2 MUST NOT)"};
    }
    return {verdict::conforming, "EHLO over TLS: 250, STARTTLS no longer offered"};
}

// rfc2920/3.2/1: a pipelined group gets its replies in order (RFC 2920 3.2).
// spec: rfc2920/3.2 check
// spec: 4.2 R-4.2-1 check
finding pipelined_group(probe_session& s)
{
    if (!s.open_session_with("PIPELINING")) {
        return s.aborted();
    }
    const auto& c = s.config();
    std::error_code ec;
    s.connection().send("MAIL FROM:<" + c.from + ">\r\nRCPT TO:<" + c.to + ">\r\nRSET\r\nNOOP\r\n",
                        ec);
    if (ec) {
        return {verdict::could_not_run, "sending the group failed: " + ec.message()};
    }
    static constexpr std::array<std::string_view, 4> verbs{"MAIL", "RCPT", "RSET", "NOOP"};
    std::string seen;
    for (const auto verb : verbs) {
        const auto r = s.read_reply(verb);
        if (!r) {
            return s.aborted();
        }
        if (r->code() != 250 && !(verb == "RCPT" && r->code() == 251)) {
            return {verdict::violated, "pipelined " + std::string{verb} + " " + got("", *r) +
                                           (seen.empty() ? "" : " (after " + seen + ")")};
        }
        seen += std::string{seen.empty() ? "" : ", "} + std::string{verb} + " " +
                std::to_string(r->code());
    }
    return {verdict::conforming, "one reply per pipelined command, in order: " + seen};
}

// rfc2920/3.2/2: message text sent before the 354 (B06): after its 354 the
// server takes what follows as data and answers nothing until the end of it.
// spec: rfc2920/3.2 check
finding data_before_354(probe_session& s)
{
    if (!s.open_session_with("PIPELINING")) {
        return s.aborted();
    }
    const auto& c = s.config();
    std::error_code ec;
    s.connection().send("MAIL FROM:<" + c.from + ">\r\nRCPT TO:<" + c.to +
                            ">\r\nDATA\r\nSubject: smtpspec probe: early data\r\n\r\nbody\r\n",
                        ec);
    server_reply data;
    for (const auto* verb : {"MAIL", "RCPT", "DATA"}) {
        auto r = s.read_reply(verb);
        if (!r) {
            return s.aborted();
        }
        data = std::move(*r);
    }
    if (data.code() != 354) {
        s.abandon_data();
        return {verdict::conforming,
                got("DATA sent with text behind it", data) + ": the server refused the early data"};
    }
    bool failed = false;
    const auto early = s.poll_reply(s.quiet_wait(), failed);
    s.abandon_data();
    if (early) {
        return {verdict::violated, "after its 354, " + got("", *early) +
                                       ": text sent before the 354 was read as commands"};
    }
    return {verdict::conforming, "354, then no reply: the early text was taken as data"};
}

// rfc1870/6.1/1: MAIL with SIZE above the announced limit gets 552 (or 452).
// spec: rfc1870/6.1 check
// spec: 4.5.3.1.7 R-4.5.3.1.7-2 check
finding size_over_limit(probe_session& s)
{
    if (!s.open_session_with("SIZE")) {
        return s.aborted();
    }
    const auto text = s.offer_params("SIZE").value_or("");
    unsigned long long limit = 0;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (err != std::errc{} || limit == 0) {
        return {verdict::informational,
                "SIZE offered without a limit (\"" + text + "\"): nothing to exceed"};
    }
    const std::string line =
        "MAIL FROM:<" + s.config().from + "> SIZE=" + std::to_string(limit + 1);
    const auto r = s.command(line);
    if (!r) {
        return s.aborted();
    }
    if (code_in(*r, {552, 452})) {
        return {verdict::conforming, got(line, *r)};
    }
    return {r->kind() == 2 ? verdict::violated : verdict::informational,
            got(line, *r) + "; 552 expected above the announced " + text};
}

// rfc2034/4/1: with ENHANCEDSTATUSCODES, replies other than the greeting and
// EHLO start with an enhanced code whose class is the reply's first digit.
// spec: 4.2 check
finding enhanced_codes(probe_session& s)
{
    if (!s.open_session_with("ENHANCEDSTATUSCODES")) {
        return s.aborted();
    }
    for (const auto* line : {"NOOP", "FROB", "RSET", "RCPT TO:<x@example.org>"}) {
        const auto r = s.command(line);
        if (!r) {
            return s.aborted();
        }
        const auto& t = r->lines.front().text;
        const bool ok = t.size() >= 6 && t[0] == static_cast<char>('0' + r->kind()) &&
                        t[1] == '.' && std::isdigit(static_cast<unsigned char>(t[2])) != 0 &&
                        t.find('.', 2) != std::string::npos;
        if (!ok) {
            return {verdict::violated, got(line, *r) + ": no enhanced status code of class " +
                                           std::to_string(r->kind()) + " (RFC 2034)"};
        }
    }
    return {verdict::conforming, "every reply carries an enhanced status code of its class"};
}

// rfc3030/2/1 and /2: BDAT takes a chunk inside a transaction (250) and is
// out of sequence without one (503); either way the chunk's octets are
// read, so NOOP is answered next.
// spec: rfc3030/2 check
finding bdat_chunk(probe_session& s, bool in_transaction)
{
    if (!s.open_session_with("CHUNKING")) {
        return s.aborted();
    }
    if (in_transaction && (!s.start_mail() || !s.add_recipient())) {
        return s.aborted();
    }
    const auto r = s.exchange("BDAT 5\r\nhello", "BDAT 5 and its chunk");
    if (!r) {
        return s.aborted();
    }
    const int want = in_transaction ? 250 : 503;
    const auto next = s.command(in_transaction ? "RSET" : "NOOP");
    if (!next) {
        return s.aborted();
    }
    if (r->code() != want || next->code() != 250) {
        return {verdict::violated, got("BDAT 5", *r) + ", then " + next->summary() + "; " +
                                       std::to_string(want) + " then 250 expected (RFC 3030)"};
    }
    return {verdict::conforming, got("BDAT 5", *r) + ", then 250"};
}
}  // namespace

void add_extension_cases(std::vector<probe_case>& out)
{
    // clang-format off
    const std::vector<probe_case> rows{
        // RFC 3207 4 lists 501 for an argument but states no MUST; RFC 5321
        // grades the same refusal for RSET, DATA and QUIT a SHOULD
        // (R-4.1.1-4), so a server that ignores the argument gets a warning.
        {"rfc3207/4/1", "STARTTLS with an argument gets 501", level::should,
         {ref{"rfc3207/4"}, ref{"4.1.1", {"R-4.1.1-4"}}},
         offered("STARTTLS", stage::session, "STARTTLS now", false, "RFC 3207 4"),
         {}, {}, {"tls", "extension", "syntax"}},
        {"rfc3207/4/2", "a command sent after STARTTLS in the same segment is dropped",
         level::must, {ref{"rfc3207/4"}, ref{"rfc3207/4.2"}},
         starttls_injection, {"B07"}, {}, {"tls", "extension"}},
        {"rfc3207/4.2/1", "after TLS, EHLO no longer offers STARTTLS", level::must,
         {ref{"rfc3207/4.2"}},
         [](probe_session& s) { return after_tls(s, false); }, {}, {}, {"tls", "extension"}},
        {"rfc3207/4.2/2", "after TLS the session starts again: MAIL before EHLO gets 503",
         level::must, {ref{"rfc3207/4.2"}, ref{"4.1.4", {"R-4.1.4-1", "R-4.1.4-16"}}},
         [](probe_session& s) { return after_tls(s, true); }, {}, {},
         {"tls", "extension", "sequence"}},
        {"rfc2920/3.2/1", "pipelined MAIL, RCPT, RSET, NOOP get their replies in order",
         level::must, {ref{"rfc2920/3.2"}, ref{"4.2", {"R-4.2-1"}}},
         pipelined_group, {}, {}, {"extension", "pipelining"}},
        {"rfc2920/3.2/2", "text sent before the 354 is data after it, never commands",
         level::must, {ref{"rfc2920/3.2"}, ref{"4.2", {"R-4.2-1"}}},
         data_before_354, {"B06"}, {}, {"extension", "pipelining", "data"}},
        // RFC 1870 predates RFC 2119 and writes the check as a lower-case
        // "should"; R-4.5.3.1.7-2 is a SHOULD too: a miss is a warning.
        {"rfc1870/6.1/1", "MAIL with SIZE above the announced limit gets 552", level::should,
         {ref{"rfc1870/6.1"}, ref{"4.5.3.1.7", {"R-4.5.3.1.7-2"}}},
         size_over_limit, {}, {}, {"extension", "limits"}},
        {"rfc1870/6.1/2", "MAIL with a small SIZE is accepted", level::must,
         {ref{"rfc1870/6.1"}},
         offered("SIZE", stage::session, "MAIL FROM:<{from}> SIZE=1000", true, "RFC 1870"),
         {}, {}, {"extension"}},
        {"rfc1870/6.3/1", "MAIL with a SIZE that is not a number is refused", level::must,
         {ref{"rfc1870/6.3"}},
         offered("SIZE", stage::session, "MAIL FROM:<{from}> SIZE=big", false, "RFC 1870"),
         {}, {}, {"extension", "syntax"}},
        {"rfc6152/2/1", "BODY=8bitMIME (mixed case) is accepted", level::must,
         {ref{"2.4", {"R-2.4-11"}}, ref{"4.1.1.11"}},
         offered("8BITMIME", stage::session, "MAIL FROM:<{from}> BODY=8bitMIME", true,
                 "RFC 6152 2"),
         {"B28"}, {}, {"extension"}},
        {"rfc6152/2/2", "BODY=7bit (lower case) is accepted", level::must,
         {ref{"2.4"}, ref{"4.1.1.11"}},
         offered("8BITMIME", stage::session, "MAIL FROM:<{from}> BODY=7bit", true, "RFC 6152 2"),
         {"B28"}, {}, {"extension"}},
        {"rfc6152/2/3", "BODY=9BIT is refused", level::must, {ref{"2.4"}, ref{"4.1.1.11"}},
         offered("8BITMIME", stage::session, "MAIL FROM:<{from}> BODY=9BIT", false,
                 "RFC 6152 2"),
         {"B28"}, {}, {"extension", "syntax"}},
        {"rfc3030/2/1", "BDAT inside a transaction takes the chunk (250)", level::must,
         {ref{"rfc3030/2"}},
         [](probe_session& s) { return bdat_chunk(s, true); }, {}, {}, {"extension"}},
        {"rfc3030/2/2", "BDAT without a transaction gets 503 and its octets are skipped",
         level::must, {ref{"rfc3030/2"}, ref{"4.1.4", {"R-4.1.4-16"}}},
         [](probe_session& s) { return bdat_chunk(s, false); }, {}, {},
         {"extension", "sequence"}},
        {"rfc3461/4.1/1", "RCPT with NOTIFY=SUCCESS,FAILURE is accepted", level::must,
         {ref{"rfc3461/4.1"}, ref{"4.1.1.3"}},
         offered("DSN", stage::mail, "RCPT TO:<{to}> NOTIFY=SUCCESS,FAILURE", true,
                 "RFC 3461 4.1"),
         {"B30"}, {}, {"extension", "rcpt"}},
        {"rfc3461/4.2/1", "ORCPT whose xtext decodes to a CR is refused", level::may,
         {ref{"rfc3461/4.2"}},
         offered("DSN", stage::mail, "RCPT TO:<{to}> ORCPT=rfc822;x+0Dy@{domain}", false,
                 "RFC 3461 4.2 (a control octet in the address)"),
         {"B27"}, {}, {"extension", "rcpt"}},
        {"rfc3461/4.3/1", "MAIL with RET=HDRS and ENVID is accepted", level::must,
         {ref{"rfc3461/4.3"}, ref{"rfc3461/4.4"}},
         offered("DSN", stage::session, "MAIL FROM:<{from}> RET=HDRS ENVID=smtpspec+2Dprobe",
                 true, "RFC 3461 4.3, 4.4"),
         {}, {}, {"extension"}},
        {"rfc6531/3.4/1", "MAIL with the SMTPUTF8 parameter is accepted", level::must,
         {ref{"2.4"}, ref{"4.1.1.11"}},
         offered("SMTPUTF8", stage::session, "MAIL FROM:<{from}> SMTPUTF8", true, "RFC 6531"),
         {}, {}, {"extension"}},
        {"rfc2034/4/1", "with ENHANCEDSTATUSCODES every reply carries one of its class",
         level::must, {ref{"4.2"}, ref{"4.3.2"}},
         enhanced_codes, {}, {}, {"extension", "replies"}},
        {"rfc4954/5/1", "MAIL with AUTH=<> is accepted when AUTH is offered", level::must,
         {ref{"4.1.1.11"}, ref{"4.1.1.2"}},
         offered("AUTH", stage::session, "MAIL FROM:<{from}> AUTH=<>", true, "RFC 4954 5"),
         {"B33"}, {}, {"extension"}},
    };
    // clang-format on
    out.insert(out.end(), rows.begin(), rows.end());
}

}  // namespace smtpspec::validate::internal
