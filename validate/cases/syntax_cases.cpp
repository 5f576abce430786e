// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for the syntax of paths and commands (2.4, 4.1.1, 4.1.2,
// 4.1.3): case, white space, brackets, quoted local parts, source routes,
// address literals, and the recipient rules of 4.5.1 and 4.5.3.1.8.

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

namespace smtpspec::validate::internal
{

namespace
{
using spec::ref;

// rfc5321/4.5.3.1.8/1 and /2: 100 recipients are buffered (R-4.5.3.1.8-1);
// the 101st may be refused, with 452 when an implementation limit is hit
// (R-4.5.3.1.10-2). RCPTs are pipelined when PIPELINING is offered.
// spec: 4.5.3.1.8 R-4.5.3.1.8-1 check
// spec: 4.5.3.1.10 R-4.5.3.1.10-2 check
finding many_recipients(probe_session& s, int count)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const std::string rcpt = "RCPT TO:<" + s.config().to + ">\r\n";
    const bool group = s.offers("PIPELINING");
    if (group) {
        std::string all;
        for (int i = 0; i < count; ++i) {
            all += rcpt;
        }
        std::error_code ec;
        s.connection().send(all, ec);
        if (ec) {
            return {verdict::could_not_run, "sending the RCPT group failed: " + ec.message()};
        }
    }
    int accepted_count = 0;
    std::optional<server_reply> last;
    for (int i = 0; i < count; ++i) {
        const auto what = "RCPT " + std::to_string(i + 1);
        auto r = group ? s.read_reply(what) : s.exchange(rcpt, what);
        if (!r) {
            return s.aborted();
        }
        if (r->kind() == 2) {
            ++accepted_count;
        } else if (i < 100) {
            return {verdict::violated, what + " " + got("", *r) +
                                           ": at least 100 recipients must be buffered "
                                           "(4.5.3.1.8 R-4.5.3.1.8-1)"};
        }
        last = std::move(r);
    }
    (void)s.command("RSET");
    if (count <= 100) {
        return {verdict::conforming, std::to_string(accepted_count) + " of " +
                                         std::to_string(count) + " RCPTs accepted"};
    }
    if (last->kind() == 2 || last->code() == 452) {
        return {verdict::conforming, "the 101st RCPT " + got("", *last)};
    }
    if (last->code() == 552) {
        return {verdict::informational,
                "the 101st RCPT got 552: a policy limit (R-4.5.3.1.10-4), where 452 is usual"};
    }
    return {verdict::violated, "the 101st RCPT " + got("", *last) +
                                   "; a recipient limit is signalled with 452 (4.5.3.1.10 "
                                   "R-4.5.3.1.10-2)"};
}
}  // namespace

void add_syntax_cases(std::vector<probe_case>& out)
{
    // clang-format off
    const std::vector<probe_case> rows{
        {"rfc5321/2.4/1", "verbs and keywords in lower case (mail from:) are accepted",
         level::must, {ref{"2.4", {"R-2.4-1"}}, ref{"4.1.1.2"}},
         check_accepted(stage::session, "mail from:<{from}>", "2.4: verbs are case-insensitive"),
         {}, {}, {"syntax", "abnf"}},
        {"rfc5321/2.4/2", "verbs in mixed case (RcPt To:) are accepted", level::must,
         {ref{"2.4", {"R-2.4-1"}}, ref{"4.1.1.3"}},
         check_accepted(stage::mail, "RcPt To:<{to}>", "2.4: verbs are case-insensitive"),
         {}, {}, {"syntax", "abnf"}},
        {"rfc5321/2.4/3", "a MAIL holding octets above 127 (no SMTPUTF8) is refused",
         level::should, {ref{"2.4", {"R-2.4-9"}}},
         check_refused(stage::session, "MAIL FROM:<j\xc3\xb6rg@{domain}>",
                 "2.4 without SMTPUTF8"),
         {}, {}, {"syntax"}},
        {"rfc5321/2.3.5/1", "RCPT TO:<postmaster> (lower case, no domain) is accepted",
         level::must, {ref{"2.3.5", {"R-2.3.5-4"}}, ref{"4.5.1", {"R-4.5.1-3"}}},
         check_accepted(stage::mail, "RCPT TO:<postmaster>", "4.1.1.3 \"<Postmaster>\""),
         {"B17"}, {}, {"rcpt"}},
        {"rfc5321/4.5.1/2", "RCPT TO:<postmaster@domain> of the configured domain is accepted",
         level::must, {ref{"4.5.1", {"R-4.5.1-3", "R-4.5.1-4"}}},
         check_accepted(stage::mail, "RCPT TO:<PostMaster@{domain}>", "4.5.1"),
         {}, {}, {"rcpt"}},
        {"rfc5321/4.1.1/2", "white space before CRLF of MAIL is tolerated (WG #105)",
         level::should, {ref{"4.1.1", {"R-4.1.1-1"}, {105}}},
         check_accepted(stage::session, "MAIL FROM:<{from}> ", "4.1.1 R-4.1.1-1"),
         {}, {}, {"syntax"}},
        {"rfc5321/4.1.1/3", "a TAB before CRLF (\"NOOP<TAB>\") is tolerated (WG #105)",
         level::should, {ref{"4.1.1", {"R-4.1.1-1"}, {105}}},
         check_accepted(stage::session, "NOOP\t", "4.1.1 R-4.1.1-1"),
         {}, {}, {"syntax"}},
        {"rfc5321/4.1.1.2/2", "MAIL FROM: <path> (space after the colon) is refused",
         level::must, {ref{"4.1.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM: <{from}>", "4.1.1.2 (no space before the path)",
                 "space-after-colon"),
         {}, {"space-after-colon"}, {"syntax"}},
        {"rfc5321/4.1.1.2/3", "MAIL FROM:mailbox without angle brackets is refused",
         level::must, {ref{"4.1.1.2"}, ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:{from}", "4.1.2 (a Path has angle brackets)",
                 "path-without-brackets"),
         {"B16"}, {"path-without-brackets"}, {"syntax"}},
        {"rfc5321/4.1.1.2/4", "a source-routed reverse-path is parsed and accepted",
         level::must, {ref{"4.1.1.2"}, ref{"F.2", {"R-F.2-1"}}},
         check_accepted(stage::session, "MAIL FROM:<@relay.example.net:{from}>",
                  "4.1.2 A-d-l, F.2"),
         {}, {}, {"syntax"}},
        {"rfc5321/4.1.1.3/2", "RCPT TO:Postmaster without angle brackets is refused",
         level::may, {ref{"4.1.1.3"}, ref{"4.1.2"}},
         check_refused(stage::mail, "RCPT TO:Postmaster", "4.1.1.3 (a Forward-path has brackets)",
                 "path-without-brackets"),
         {"B17"}, {"path-without-brackets"}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.1.3/3", "a source-routed forward-path is parsed (550 allowed)",
         level::must, {ref{"4.1.1.3", {"R-4.1.1.3-2", "R-4.1.1.3-7"}, {106}},
                       ref{"3.3", {"R-3.3-5"}}},
         check_accepted(stage::mail, "RCPT TO:<@relay.example.net,@hop.example.net:{to}>",
                  "4.1.1.3 R-4.1.1.3-2"),
         {}, {}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.1.3/4", "RCPT with text after the closing bracket is refused",
         level::may, {ref{"4.1.1.3"}, ref{"4.1.2"}},
         check_refused(stage::mail, "RCPT TO:<{to}>!", "4.1.1.3 (only SP parameters after '>')",
                 "malformed-path"),
         {"B18"}, {"malformed-path"}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.1.3/5", "two mailboxes in one RCPT are refused", level::may,
         {ref{"4.1.1.3"}, ref{"4.1.2"}},
         check_refused(stage::mail, "RCPT TO:<{to},second@{domain}>",
                 "4.1.2 (one Mailbox per path)", "malformed-path"),
         {"B25"}, {"malformed-path"}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.1.3/6", "an RCPT parameter of no offered extension gets 555 or 501",
         level::may, {ref{"4.1.1.11"}, ref{"4.1.1.3"}},
         check_refused(stage::mail, "RCPT TO:<{to}> XSMTPSPEC-PROBE=1",
                 "4.1.1.11 (unrecognised parameter)"),
         {"B30"}, {}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.2/2", "a quoted local part with a space (\"Alex Example\") is accepted",
         level::must, {ref{"4.1.2"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::session, "MAIL FROM:<\"Alex Example\"@{domain}>",
                  "4.1.2 Quoted-string"),
         {"B12"}, {}, {"syntax"}},
        {"rfc5321/4.1.2/3", "RCPT with a quoted local part is not refused for syntax",
         level::must, {ref{"4.1.2"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::mail, "RCPT TO:<\"odd user\"@{domain}>", "4.1.2 Quoted-string"),
         {"B12"}, {}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.2/4", "a quoted local part of one space (\" \") is accepted",
         level::must, {ref{"4.1.2"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::session, "MAIL FROM:<\" \"@{domain}>", "4.1.2 Quoted-string"),
         {"B13"}, {}, {"syntax"}},
        {"rfc5321/4.1.2/5", "a local part with stray quotes (just\"not\"right) is refused",
         level::must, {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<just\"not\"right@{domain}>",
                 "4.1.2 (neither Dot-string nor Quoted-string)", "malformed-path"),
         {"B13"}, {"malformed-path"}, {"syntax"}},
        {"rfc5321/4.1.2/6", "a local part with an unclosed quote is refused", level::must,
         {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<this is\"not\\allowed@{domain}>",
                 "4.1.2 (neither Dot-string nor Quoted-string)", "malformed-path"),
         {"B13"}, {"malformed-path"}, {"syntax"}},
        {"rfc5321/4.1.2/7", "a quoted local part holding \"@\" is accepted", level::must,
         {ref{"4.1.2"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::session, "MAIL FROM:<\"@\"@{domain}>", "4.1.2 Quoted-string"),
         {"B14"}, {}, {"syntax"}},
        {"rfc5321/4.1.2/8", "MAIL FROM:<>>>> (text after the path) is refused", level::must,
         {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<>>>>", "4.1.1.2 (only SP parameters after '>')",
                       "malformed-path"),
         {"B18"}, {"malformed-path"}, {"syntax"}},
        {"rfc5321/4.1.2/9", "MAIL FROM:<mailbox>>> is refused", level::must,
         {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<{from}>>>",
                       "4.1.1.2 (only SP parameters after '>')", "malformed-path"),
         {"B18"}, {"malformed-path"}, {"syntax"}},
        {"rfc5321/4.1.2/10", "an esmtp-value holding \"=\" is refused", level::must,
         {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<{from}> XTEST=a=b", "4.1.2 esmtp-value"),
         {"B29"}, {}, {"syntax"}},
        {"rfc5321/4.1.2/11", "a control octet in the path gets 501", level::must,
         {ref{"4.1.2", {"R-4.1.2-12"}}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<a\x01z@{domain}>",
                       "4.1.2 (atext has no CTLs)"),
         {}, {}, {"syntax"}},
        {"rfc5321/4.1.3/1", "an IPv4 address literal in RCPT is not refused for syntax",
         level::must, {ref{"4.1.3"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::mail, "RCPT TO:<postmaster@[127.0.0.1]>",
                        "4.1.3 IPv4-address-literal"),
         {"B19"}, {}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.3/2", "an IPv6 address literal in RCPT is not refused for syntax",
         level::must, {ref{"4.1.3"}, ref{"4.1.1", {"R-4.1.1-2"}}},
         check_accepted(stage::mail, "RCPT TO:<postmaster@[IPv6:::1]>",
                        "4.1.3 IPv6-address-literal"),
         {"B19"}, {}, {"syntax", "rcpt"}},
        {"rfc5321/4.1.3/3", "an address literal that is no address ([300.1.1.1]) is refused",
         level::must, {ref{"4.1.3"}, ref{"4.1.4", {"R-4.1.4-14"}}},
         check_refused(stage::session, "MAIL FROM:<a@[300.1.1.1]>", "4.1.3 Snum is at most 255",
                       "malformed-path"),
         {}, {"malformed-path"}, {"syntax"}},
        {"rfc5321/4.5.3.1.1/1", "a local part of 64 octets is accepted", level::must,
         {ref{"4.5.3.1.1"}, ref{"4.5.3.1", {"R-4.5.3.1-1"}}},
         check_accepted(stage::session,
                  "MAIL FROM:<smtpspec-probe-0123456789-0123456789-0123456789-0123456789-x@"
                  "{domain}>",
                  "4.5.3.1.1: 64 octets"),
         {}, {}, {"limits"}},
        {"rfc5321/4.5.3.1.8/1", "100 recipients in one transaction are accepted", level::must,
         {ref{"4.5.3.1.8", {"R-4.5.3.1.8-1", "R-4.5.3.1.8-5"}}},
         [](probe_session& s) { return many_recipients(s, 100); }, {}, {}, {"limits", "rcpt"}},
        {"rfc5321/4.5.3.1.10/1", "the 101st recipient is accepted or gets 452", level::must,
         {ref{"4.5.3.1.10", {"R-4.5.3.1.10-2", "R-4.5.3.1.10-4"}}},
         [](probe_session& s) { return many_recipients(s, 101); }, {}, {}, {"limits", "rcpt"}},
    };
    // clang-format on
    out.insert(out.end(), rows.begin(), rows.end());
}

}  // namespace smtpspec::validate::internal
