// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for command lines themselves: the line terminator (2.3.8) and
// the length of a command line (4.5.3.1.4).

#include "validate/internal/case_bodies.hpp"

#include <algorithm>
#include <chrono>

namespace smtpspec::validate::internal
{

// rfc5321/2.3.8/1: only CRLF ends a line (R-2.3.8-1; known fault B48).
// "NOOP<LF>" is not a complete command, so no reply may come until the
// CRLF; a server that answers at once takes a bare LF as a line end, a
// named leniency. After the CRLF the line "NOOP<LF>" is malformed.
// spec: 2.3.8 R-2.3.8-1 check
finding bare_lf_is_not_a_line_end(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    std::error_code ec;
    s.connection().send("NOOP\n", ec);
    if (ec) {
        return {verdict::could_not_run, "sending NOOP<LF> failed: " + ec.message()};
    }
    // The wait is what lets a bare-LF server answer (a few round trips).
    bool failed = false;
    if (const auto early = s.poll_reply(s.quiet_wait(), failed)) {
        return probe_session::lenient(got("NOOP<LF> (no CR)", *early)
                                          + " before any CRLF: a bare LF was taken as the end "
                                            "of a line (2.3.8 R-2.3.8-1)",
                                      "bare-lf-command");
    }
    if (failed) {
        return s.aborted();
    }
    const auto r = s.exchange("\r\n", "the CRLF after NOOP<LF>");
    if (!r) {
        return s.aborted();
    }
    if (r->kind() == 2) {
        return probe_session::lenient("the line NOOP<LF><CRLF> " + got("", *r)
                                          + ": a command holding a bare LF was accepted "
                                            "(2.3.8 R-2.3.8-1)",
                                      "bare-lf-command");
    }
    const auto sync = s.command("NOOP");
    if (!sync) {
        return s.aborted();
    }
    if (sync->code() != 250) {
        return {verdict::violated, "after NOOP<LF><CRLF> got " + r->summary()
                                       + ", a NOOP " + got("", *sync)
                                       + ": replies out of step with commands (4.2 R-4.2-1)"};
    }
    return {verdict::conforming,
            "no reply before CRLF; NOOP<LF><CRLF> " + got("", *r) + "; NOOP then 250"};
}

// rfc5321/4.5.3.1.4/1: a command line longer than the 512 octets a server
// must accept (4.5.3.1.4) may be refused ("500 line too long",
// 4.5.3.1.9) or accepted, but it gets exactly one reply and the session
// goes on in step (4.2 R-4.2-1; known fault B38).
// spec: 4.5.3.1.4 check
// spec: 4.5.3.1.9 check
// spec: 4.2 R-4.2-1 check
finding long_command_line_one_reply(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    const std::string line = "NOOP " + std::string(600, 'a');
    const auto r = s.command(line);
    if (!r) {
        return s.aborted();
    }
    const auto sync = s.command("NOOP");
    if (!sync) {
        return s.aborted();
    }
    if (sync->code() != 250) {
        return {verdict::violated,
                "a 606-octet NOOP " + got("", *r) + ", the next NOOP " + got("", *sync)
                    + ": not one reply per command (4.2 R-4.2-1)"};
    }
    return {verdict::conforming, "a 606-octet NOOP " + got("", *r) + "; the next NOOP got 250"};
}

}  // namespace smtpspec::validate::internal
