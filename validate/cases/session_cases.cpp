// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for the session: EHLO and HELO forms, the syntax and function
// groups of replies (4.2), commands that keep the session going, VRFY, EXPN,
// HELP and TURN, command line limits, and the server's timeouts (4.5.3.2;
// tagged "slow": they wait five minutes each and run only when asked).

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

#include <chrono>

namespace smtpspec::validate::internal
{

namespace
{
using spec::ref;
using namespace std::chrono_literals;

/** Sends each line and checks every reply with check; the first problem wins. */
template <typename Check>
finding every_reply(probe_session& s, std::initializer_list<std::string_view> lines, Check check)
{
    const auto g = s.read_greeting();
    if (!g) {
        return s.aborted();
    }
    if (auto p = check(*g); !p.empty()) {
        return {verdict::violated, "greeting " + g->summary() + ": " + p};
    }
    for (const auto line : lines) {
        const auto l = expand(line, s.config());
        const auto r = s.command(l);
        if (!r) {
            return s.aborted();
        }
        if (auto p = check(*r); !p.empty()) {
            return {verdict::violated, got(l, *r) + ": " + p};
        }
    }
    return {verdict::conforming, "every reply to " + std::to_string(lines.size() + 1) +
                                     " commands (greeting included) is right"};
}

// spec: 4.2 R-4.2-12 check
// spec: 4.3.2 R-4.3.2-3 check
std::string code_problem(const server_reply& r)
{
    if (auto p = reply_syntax_problems(r); !p.empty()) {
        return p;
    }
    const int c = r.code();
    if (c / 100 < 2 || c / 100 > 5 || c / 10 % 10 > 5) {
        return "code outside 2yz-5yz with a second digit 0-5 (4.2 R-4.2-12)";
    }
    return {};
}

// spec: 4.2 R-4.2-6 check
std::string text_problem(const server_reply& r)
{
    for (const auto& l : r.lines) {
        if (l.text.find_first_not_of(" \r\n") == std::string::npos) {
            return "a reply line without text (4.2 R-4.2-6)";
        }
    }
    return {};
}

// spec: 4.2.1 R-4.2.1-3 check
std::string space_problem(const server_reply& r)
{
    for (const auto& l : r.lines) {
        if (l.octets.size() >= 3 && l.octets.find_first_of("\r\n") == 3) {
            return "a reply line of the code alone, without the space (4.2.1 R-4.2.1-3)";
        }
    }
    return {};
}

// rfc5321/4.2.1/2: a syntax error gets a code of the x0z group (4.2.1), or
// 553 for a mailbox whose syntax is wrong (4.2.3).
// spec: 4.2.1 check
// spec: 4.3.1 R-4.3.1-5 check
finding syntax_group(probe_session& s)
{
    return every_reply(s, {"EHLO {client}", "FROB", "MAIL FROM:<<>", "RCPT"},
                       [n = 0](const server_reply& r) mutable -> std::string {
                           const bool is_error = n++ >= 2;
                           // 553 names a malformed mailbox itself (4.2.3).
                           const bool syntax = r.code() / 10 % 10 == 0 || r.code() == 553;
                           if (is_error && r.kind() == 5 && !syntax) {
                               return "a syntax error answered outside the x0z group "
                                      "(4.2.1, R-4.3.1-5)";
                           }
                           return {};
                       });
}

// rfc5321/4.2.4/1: every command keyword the EHLO reply advertises is
// implemented: no 500 or 502 to it (R-4.2.4-4).
// spec: 4.2.4 R-4.2.4-4 check
// spec: 3.5.2 R-3.5.2-9 check
finding advertised_commands_work(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    std::string tried;
    for (const auto& [keyword, line] : {std::pair{"VRFY", "VRFY postmaster"},
                                        {"EXPN", "EXPN postmaster"},
                                        {"HELP", "HELP"},
                                        {"ETRN", "ETRN {domain}"}}) {
        if (!s.offers(keyword)) {
            continue;
        }
        const auto l = expand(line, s.config());
        const auto r = s.command(l);
        if (!r) {
            return s.aborted();
        }
        if (code_in(*r, {500, 502})) {
            return {verdict::violated, got(l, *r) + ": EHLO advertised " + std::string{keyword} +
                                           " (4.2.4 R-4.2.4-4)"};
        }
        tried += std::string{tried.empty() ? "" : ", "} + keyword;
    }
    if (tried.empty()) {
        return {verdict::conforming, "EHLO advertises none of VRFY, EXPN, HELP, ETRN"};
    }
    return {verdict::conforming, "advertised and answered: " + tried};
}

// rfc5321/4.1.4/8: after a 503 the state is unchanged (R-4.1.4-17).
// spec: 4.1.4 R-4.1.4-17 check
finding state_kept_after_503(probe_session& s)
{
    const auto r = command_in_session(s, "RCPT TO:<" + s.config().to + ">");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 503) {
        s.fail_setup("RCPT before MAIL", *r);
        return s.aborted();
    }
    if (!s.start_mail()) {
        return s.aborted();
    }
    const auto again = s.command("RCPT TO:<" + s.config().to + ">");
    if (!again) {
        return s.aborted();
    }
    if (again->kind() != 2) {
        return {verdict::violated,
                "after a 503 and a MAIL, RCPT " + got("", *again) + " (4.1.4 R-4.1.4-17)"};
    }
    return {verdict::conforming, "503, then MAIL and RCPT accepted"};
}

// rfc5321/3.8/1 and 4.1.1.5/3: errors and RSET never close the session.
// spec: 3.8 R-3.8-1 check
// spec: 4.1.1.5 R-4.1.1.5-3 check
finding stays_open(probe_session& s, std::initializer_list<std::string_view> lines)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    for (const auto line : lines) {
        if (!s.command(line)) {
            return s.aborted();
        }
    }
    const auto r = s.command("NOOP");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        return {verdict::violated, "NOOP afterwards " + got("", *r)};
    }
    return {verdict::conforming,
            std::to_string(lines.size()) + " commands, then NOOP 250: the session stayed open"};
}

// rfc5321/2.3.8/2 and /3: a bare CR or LF inside a command line never
// splits it into two commands (R-2.3.8-1; B48 for HELO<LF>MAIL<LF>).
// spec: 2.3.8 R-2.3.8-1 check
finding one_command(probe_session& s, std::string_view octets, std::string_view what)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    std::error_code ec;
    s.connection().send(octets, ec);
    bool failed = false;
    if (const auto early = s.poll_reply(s.quiet_wait(), failed)) {
        // A second reply shows that the rest of the line ran as a command
        // of its own too (HELO<LF>MAIL<LF>: the MAIL's reply).
        std::string text = got(std::string{what}, *early);
        if (const auto second = s.poll_reply(s.quiet_wait(), failed)) {
            text += ", then " + second->summary() + " (the rest ran as a second command)";
        }
        return probe_session::lenient(text +
                                          " before any CRLF: a bare line end was taken as "
                                          "the end of a command (2.3.8 R-2.3.8-1)",
                                      "bare-lf-command");
    }
    if (failed) {
        return s.aborted();
    }
    const auto r = s.exchange("\r\n", "the CRLF after " + std::string{what});
    if (!r) {
        return s.aborted();
    }
    const auto sync = s.command("NOOP");
    if (!sync) {
        return s.aborted();
    }
    if (sync->code() != 250) {
        return {verdict::violated, std::string{what} + "<CRLF> " + got("", *r) + ", then NOOP " +
                                       got("", *sync) +
                                       ": the line was taken as two commands (2.3.8 "
                                       "R-2.3.8-1, 4.2 R-4.2-1)"};
    }
    if (r->kind() == 2) {
        return probe_session::lenient(std::string{what} + "<CRLF> " + got("", *r) +
                                          ": a line holding a bare CR or LF was accepted",
                                      "bare-lf-command");
    }
    return {verdict::conforming, std::string{what} + "<CRLF> " + got("", *r) + "; NOOP then 250"};
}

// rfc5321/4.5.3.1.4/3: 1 MiB with no CRLF: the server bounds its buffer
// (B38): it closes, or it answers once when the CRLF comes.
// spec: 4.5.3.1.4 check
// spec: 4.2 R-4.2-1 check
finding endless_line(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    // Whether the server's refusal or close reaches the prober while it is
    // still sending (a reset or broken pipe) or after is a race: one detail
    // for both, so that reruns give the same report.
    const finding gave_up{verdict::conforming,
                          "the server gave up on the 1 MiB line before its end"};
    std::error_code ec;
    s.connection().send("NOOP " + std::string(1024U * 1024U, 'a'), ec);
    if (ec) {
        return gave_up;
    }
    bool failed = false;
    if (const auto early = s.poll_reply(s.quiet_wait(), failed); early || failed) {
        return gave_up;
    }
    const auto r = s.exchange("\r\n", "the CRLF after 1 MiB");
    if (!r) {
        const bool closed = !s.connection().is_open() || s.aborted().outcome == verdict::violated;
        return closed ? finding{verdict::conforming, "the server closed after the 1 MiB line"}
                      : s.aborted();
    }
    const auto sync = s.command("NOOP");
    if (!sync) {
        return s.aborted();
    }
    if (sync->code() != 250) {
        return {verdict::violated,
                "the 1 MiB line " + got("", *r) + ", then NOOP " + got("", *sync)};
    }
    return {verdict::conforming, "the 1 MiB line " + got("", *r) + "; NOOP then 250"};
}

// rfc5321/4.5.3.2.7/1 and /2: the server waits at least 5 minutes for the
// next command, and for more mail data (R-4.5.3.2.7-1).
// spec: 4.5.3.2.7 R-4.5.3.2.7-1 check (WG #100)
finding waits_five_minutes(probe_session& s, bool in_data)
{
    if (!s.open_session() || (in_data && !s.start_data())) {
        return s.aborted();
    }
    constexpr auto minimum = std::chrono::minutes{5};
    auto& conn = s.connection();
    conn.set_read_timeout(minimum + 30s);
    conn.set_deadline(line_connection::clock::now() + minimum + 60s);
    if (in_data) {
        std::error_code ec;
        conn.send("Subject: smtpspec probe: data timeout\r\n\r\nhello\r\n", ec);
    }
    const auto start = line_connection::clock::now();
    bool failed = false;
    const auto r = s.poll_reply(minimum + 5s, failed);
    const auto waited =
        std::chrono::duration_cast<std::chrono::seconds>(line_connection::clock::now() - start);
    if (r || failed) {
        return {verdict::violated, "the server ended the session after " +
                                       std::to_string(waited.count()) +
                                       " s of silence; 4.5.3.2.7 asks for 5 minutes "
                                       "(R-4.5.3.2.7-1)"};
    }
    if (in_data) {
        s.abandon_data();
        return {verdict::conforming, "still open after 305 s in mail data"};
    }
    const auto noop = s.command("NOOP");
    if (!noop) {
        return s.aborted();
    }
    return {verdict::conforming, "still open after 305 s; NOOP " + got("", *noop)};
}
}  // namespace

void add_session_cases(std::vector<probe_case>& out)
{
    // clang-format off
    const std::vector<probe_case> rows{
        {"rfc5321/4.1.1.1/3", "\"ehlo\" in lower case is accepted", level::must,
         {ref{"4.1.1.1"}, ref{"2.4", {"R-2.4-1"}}},
         check_accepted(stage::greeted, "ehlo {client}", "2.4: verbs are case-insensitive"),
         {}, {}, {"ehlo", "syntax", "abnf"}},
        {"rfc5321/4.1.1.1/4", "EHLO with an IPv4 address literal is accepted", level::must,
         {ref{"4.1.1.1"}, ref{"4.1.3"}},
         check_accepted(stage::greeted, "EHLO [127.0.0.1]", "4.1.3 address-literal"),
         {}, {}, {"ehlo", "syntax", "abnf"}},
        {"rfc5321/4.1.1.1/5", "EHLO with an IPv6 address literal is accepted", level::must,
         {ref{"4.1.1.1"}, ref{"4.1.3"}},
         check_accepted(stage::greeted, "EHLO [IPv6:::1]", "4.1.3 IPv6-address-literal"),
         {}, {}, {"ehlo", "syntax", "abnf"}},
        {"rfc5321/4.1.1.1/6", "HELO without a domain is refused", level::must,
         {ref{"4.1.1.1"}, ref{"4.1.4", {"R-4.1.4-5"}}},
         check_refused(stage::greeted, "HELO", "4.1.1.1 (the domain is required)",
                 "ehlo-without-domain"),
         {"B43"}, {}, {"ehlo", "syntax"}},
        {"rfc5321/4.1.1.1/7", "EHLO with text after the address literal (WG #107)",
         level::may, {ref{"4.1.1.1", {"R-4.1.1.1-2"}, {107}}},
         check_refused(stage::greeted, "EHLO [127.0.0.1] probe-laptop",
                 "4.1.1.1 (only the address literal after EHLO)", "ehlo-literal-trailing-text"),
         {}, {"ehlo-literal-trailing-text"}, {"ehlo", "syntax"}},
        {"rfc5321/4.1.1.10/2", "QUIT with an argument gets 501", level::should,
         {ref{"4.3.2", {"R-4.3.2-5"}}, ref{"4.1.1", {"R-4.1.1-4"}}},
         check_codes(stage::session, "QUIT now", {501}, "4.3.2 R-4.3.2-5"),
         {}, {}, {"syntax", "session"}},
        {"rfc5321/4.1.1.9/2", "NOOP with an argument gets 250", level::should,
         {ref{"4.1.1.9", {"R-4.1.1.9-1"}}},
         check_codes(stage::session, "NOOP ignored argument", {250}, "R-4.1.1.9-1"),
         {}, {}, {"syntax", "session"}},
        {"rfc5321/4.1.1.8/1", "HELP gets 211 or 214", level::should,
         {ref{"4.1.1.8", {"R-4.1.1.8-2"}}},
         check_codes(stage::session, "HELP", {211, 214}, "R-4.1.1.8-2"),
         {}, {}, {"session"}},
        {"rfc5321/4.1.1.5/2", "RSET before EHLO gets 250", level::should,
         {ref{"4.1.4", {"R-4.1.4-11"}}, ref{"4.1.1.5", {"R-4.1.1.5-2"}}},
         check_codes(stage::greeted, "RSET", {250}, "R-4.1.4-11"),
         {}, {}, {"sequence"}},
        {"rfc5321/4.1.1.5/3", "RSET never closes the session", level::must,
         {ref{"4.1.1.5", {"R-4.1.1.5-3"}}},
         [](probe_session& s) { return stays_open(s, {"RSET", "RSET", "RSET"}); },
         {}, {}, {"session"}},
        {"rfc5321/3.8/1", "syntax errors do not close the session", level::must,
         {ref{"3.8", {"R-3.8-1"}}, ref{"4.1.1.10", {"R-4.1.1.10-2"}}},
         [](probe_session& s) {
             return stays_open(s, {"FROB", "MAIL FROM:<<<", "RCPT", "@@@"});
         },
         {}, {}, {"session"}},
        {"rfc5321/4.1.4/8", "after a 503 the state is unchanged", level::must,
         {ref{"4.1.4", {"R-4.1.4-16", "R-4.1.4-17"}, {101}}},
         state_kept_after_503, {}, {}, {"sequence"}},
        {"rfc5321/4.1.4/9", "VRFY before EHLO does not get 503", level::should,
         {ref{"4.1.4", {"R-4.1.4-11"}}},
         [](probe_session& s) {
             if (!s.expect_greeting()) {
                 return s.aborted();
             }
             const auto r = s.command("VRFY postmaster");
             if (!r) {
                 return s.aborted();
             }
             return r->code() == 503
                      ? finding{verdict::violated, got("VRFY before EHLO", *r) + " (R-4.1.4-11)"}
                      : finding{verdict::conforming, got("VRFY before EHLO", *r)};
         },
         {}, {}, {"sequence", "vrfy"}},
        {"rfc5321/4.1.4/10", "a HELO session carries a MAIL", level::must,
         {ref{"4.1.1.1", {"R-4.1.1.1-5"}}, ref{"2.2.1", {"R-2.2.1-4"}}},
         [](probe_session& s) {
             if (!s.expect_greeting()) {
                 return s.aborted();
             }
             const auto h = s.command("HELO " + s.config().client_domain);
             if (!h) {
                 return s.aborted();
             }
             if (h->code() != 250) {
                 return finding{verdict::violated, got("HELO", *h) + " (R-4.1.1.1-5)"};
             }
             const auto m = s.command("MAIL FROM:<" + s.config().from + ">");
             if (!m) {
                 return s.aborted();
             }
             return m->code() == 250
                      ? finding{verdict::conforming, "HELO 250, " + got("MAIL", *m)}
                      : finding{verdict::violated, "after HELO, " + got("MAIL", *m)};
         },
         {}, {}, {"sequence", "ehlo"}},
        {"rfc5321/4.2/1", "every reply has Reply-line syntax and a code 2yz-5yz", level::must,
         {ref{"4.2", {"R-4.2-12"}}, ref{"4.3.2", {"R-4.3.2-3"}}, ref{"4.2.1", {"R-4.2.1-5"}}},
         [](probe_session& s) {
             return every_reply(s, {"EHLO {client}", "NOOP", "HELP", "FROB", "VRFY postmaster",
                                    "RSET"},
                                code_problem);
         },
         {"B36"}, {}, {"replies"}},
        {"rfc5321/4.2/2", "every reply line carries text after the code", level::should,
         {ref{"4.2", {"R-4.2-6"}}},
         [](probe_session& s) {
             return every_reply(s, {"EHLO {client}", "NOOP", "FROB", "RSET"}, text_problem);
         },
         {"B35"}, {}, {"replies"}},
        {"rfc5321/4.2.1/1", "a reply line without text still has the space", level::should,
         {ref{"4.2.1", {"R-4.2.1-3"}}},
         [](probe_session& s) {
             return every_reply(s, {"EHLO {client}", "NOOP", "FROB", "RSET"}, space_problem);
         },
         {"B35"}, {}, {"replies"}},
        {"rfc5321/4.2.1/2", "syntax errors get codes of the x0z group", level::must,
         {ref{"4.2.1"}, ref{"4.3.1", {"R-4.3.1-5"}}},
         syntax_group, {}, {}, {"replies"}},
        {"rfc5321/4.2.4/1", "commands advertised in EHLO are not answered 500 or 502",
         level::must, {ref{"4.2.4", {"R-4.2.4-4"}}, ref{"3.5.2", {"R-3.5.2-9"}}},
         advertised_commands_work, {}, {}, {"ehlo", "replies"}},
        {"rfc5321/2.3.8/2", "a bare CR inside a command line does not split it", level::must,
         {ref{"2.3.8", {"R-2.3.8-1"}}},
         [](probe_session& s) { return one_command(s, "NOOP\rNOOP", "NOOP<CR>NOOP"); },
         {"B48"}, {"bare-lf-command"}, {"syntax"}},
        {"rfc5321/2.3.8/3", "HELO<LF>MAIL FROM:<><LF> is never run as two commands",
         level::must, {ref{"2.3.8", {"R-2.3.8-1"}}},
         [](probe_session& s) {
             return one_command(s, "HELO " + s.config().client_domain + "\nMAIL FROM:<>\n",
                                "HELO<LF>MAIL FROM:<><LF>");
         },
         {"B48"}, {"bare-lf-command"}, {"syntax"}},
        {"rfc5321/4.5.3.1.4/2", "a command line of exactly 512 octets is accepted", level::must,
         {ref{"4.5.3.1.4"}, ref{"4.5.3.1", {"R-4.5.3.1-1"}}},
         [](probe_session& s) {
             return expect_codes(s, stage::session, "NOOP " + std::string(505, 'a'), {250},
                                 "4.5.3.1.4: 512 octets with CRLF");
         },
         {"B38"}, {}, {"limits"}},
        {"rfc5321/4.5.3.1.4/3", "1 MiB without CRLF: the server bounds its buffer", level::must,
         {ref{"4.5.3.1.4"}, ref{"4.2", {"R-4.2-1"}}},
         endless_line, {"B38"}, {}, {"limits"}},
        {"rfc5321/3.5.3/1", "VRFY is implemented: 250, 251, 252 or a mailbox refusal",
         level::must, {ref{"4.5.1", {"R-4.5.1-2"}}, ref{"7.3", {"R-7.3-2"}, {104}},
                       ref{"3.5.3", {"R-3.5.3-4"}, {104}}},
         check_codes(stage::session, "VRFY postmaster", {250, 251, 252, 550, 551, 553},
               "VRFY must be implemented; disabled, it answers 252: 7.3 R-7.3-2"),
         {}, {}, {"vrfy"}},
        {"rfc5321/3.5.3/2", "VRFY without an argument is refused", level::must,
         {ref{"3.5.3"}, ref{"4.1.1.6"}},
         check_refused(stage::session, "VRFY", "4.1.1.6 (VRFY takes a String)"),
         {}, {}, {"vrfy", "syntax", "abnf"}},
        {"rfc5321/3.5.2/1", "EXPN is implemented or answered 252", level::should,
         {ref{"3.5.2", {"R-3.5.2-7"}, {104}}, ref{"7.3", {"R-7.3-3"}}},
         check_codes(stage::session, "EXPN postmaster", {250, 252, 550},
               "3.5.2 R-3.5.2-7"),
         {}, {}, {"vrfy"}},
        {"rfc5321/F.1/1", "TURN is refused (WG #108)", level::should,
         {ref{"F.1", {"R-F.1-1"}, {108}}},
         [](probe_session& s) {
             const auto r = command_in_session(s, "TURN");
             if (!r) {
                 return s.aborted();
             }
             if (r->kind() == 2) {
                 return finding{verdict::violated,
                                got("TURN", *r) + ": TURN without authentication "
                                    + (s.profile().turn_must_not ? "MUST NOT" : "SHOULD NOT")
                                    + " be used (F.1, WG #108)"};
             }
             return finding{verdict::conforming, got("TURN", *r)};
         },
         {}, {}, {"session"}},
        {"rfc5321/4.5.3.2.7/1", "the server waits 5 minutes for the next command", level::should,
         {ref{"4.5.3.2.7", {"R-4.5.3.2.7-1"}, {100}}},
         [](probe_session& s) { return waits_five_minutes(s, false); }, {}, {},
         {"slow", "timeouts"}},
        {"rfc5321/4.5.3.2.7/2", "the server waits 5 minutes for more mail data", level::should,
         {ref{"4.5.3.2.7", {"R-4.5.3.2.7-1"}, {100}}, ref{"4.5.3.2.6"}},
         [](probe_session& s) { return waits_five_minutes(s, true); }, {}, {},
         {"slow", "timeouts", "data"}},
    };
    // clang-format on
    out.insert(out.end(), rows.begin(), rows.end());
}

}  // namespace smtpspec::validate::internal
