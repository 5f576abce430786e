// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/client_model.hpp"

#include <algorithm>

namespace smtpspec::model
{

namespace
{
using spec::ref;

/// RFC 2920 section 3.1: only these may be followed by more commands before
/// their reply; every other command is the last of a pipelined group.
bool may_be_followed(client_command c)
{
    return c == client_command::mail || c == client_command::rcpt || c == client_command::rset;
}

/// The stage the client reaches if every unanswered command succeeds.
client_stage projected(const client_state& s)
{
    client_stage st = s.stage;
    for (const client_command c : s.outstanding) {
        const bool open = st == client_stage::mail || st == client_stage::rcpt;
        if (c == client_command::mail && st == client_stage::ready) {
            st = client_stage::mail;
        } else if (c == client_command::rcpt && open) {
            st = client_stage::rcpt;
        } else if (c == client_command::rset && open) {
            st = client_stage::ready;
        }
    }
    return st;
}

client_verdict yes(const ref& why, std::string_view reason) { return {true, why, reason}; }

client_verdict no(const ref& why, std::string_view reason) { return {false, why, reason}; }
}  // namespace

const char* to_string(client_command c) noexcept
{
    switch (c) {
    case client_command::ehlo: return "EHLO";
    case client_command::helo: return "HELO";
    case client_command::mail: return "MAIL";
    case client_command::rcpt: return "RCPT";
    case client_command::data: return "DATA";
    case client_command::message_data: return "<data>";
    case client_command::rset: return "RSET";
    case client_command::vrfy: return "VRFY";
    case client_command::expn: return "EXPN";
    case client_command::help: return "HELP";
    case client_command::noop: return "NOOP";
    case client_command::quit: return "QUIT";
    }
    return "?";
}

const std::vector<client_command>& all_client_commands()
{
    using enum client_command;
    static const std::vector<client_command> all{ehlo, helo, mail, rcpt, data, message_data,
                                                 rset, vrfy, expn, help, noop, quit};
    return all;
}

const char* to_string(client_stage s) noexcept
{
    switch (s) {
    case client_stage::awaiting_greeting: return "awaiting-greeting";
    case client_stage::refused: return "refused";
    case client_stage::greeted: return "greeted";
    case client_stage::ready: return "ready";
    case client_stage::mail: return "mail";
    case client_stage::rcpt: return "rcpt";
    case client_stage::data: return "data";
    case client_stage::closed: return "closed";
    }
    return "?";
}

client_verdict may_send(const client_state& s, client_command c)
{
    using enum client_command;
    if (s.quit_sent || s.stage == client_stage::closed) {
        return no(ref{"4.1.1.10", {"R-4.1.1.10-4"}}, "the session is over");
    }
    if (s.stage == client_stage::awaiting_greeting) {
        return no(ref{"3.1"}, "the server speaks first: wait for the greeting");
    }
    if (s.stage == client_stage::data) {
        // After the 354 every line is mail data, whatever it looks like.
        if (c == message_data) {
            return yes(ref{"3.3", {"R-3.3-13"}}, "the server answered DATA with 354");
        }
        return no(ref{"3.3", {"R-3.3-13"}}, "after a 354 only the mail data may be sent");
    }
    if (c == message_data) {
        return no(ref{"3.3", {"R-3.3-12", "R-3.3-13"}}, "mail data only after a 354 to DATA");
    }
    if (!s.outstanding.empty()) {
        if (!s.pipelining) {
            return no(ref{"4.3.1", {"R-4.3.1-1"}}, "wait for the reply (no PIPELINING)");
        }
        if (!std::ranges::all_of(s.outstanding, may_be_followed)) {
            return no(ref{"4.3.1", {"R-4.3.1-1"}},
                      "an unanswered command ends the pipelined group (RFC 2920 3.1)");
        }
    }
    if (c == quit) {
        return yes(ref{"4.1.1.10", {"R-4.1.4-18", "R-4.1.1.10-3"}}, "QUIT may end any session");
    }
    if (s.stage == client_stage::refused) {
        return no(ref{"3.1", {"R-3.1-4", "R-4.1.4-19"}}, "after a refused greeting only QUIT");
    }
    const client_stage proj = projected(s);
    switch (c) {
    case ehlo: return yes(ref{"4.1.1.1", {"R-4.1.1.1-3", "R-4.1.4-3"}}, "EHLO opens or resets");
    case helo:
        if (s.ehlo_refused) {
            return yes(ref{"3.2", {"R-3.2-3"}}, "EHLO was refused: fall back to HELO");
        }
        return yes(ref{"3.2", {"R-3.2-1", "R-4.1.1.1-4"}}, "HELO may open a session");
    case mail:
        if (proj == client_stage::greeted) {
            return no(ref{"4.1.4", {"R-4.1.4-1", "R-4.1.1.1-6"}}, "EHLO or HELO comes first");
        }
        if (proj != client_stage::ready) {
            return no(ref{"4.1.4", {"R-4.1.4-13"}, {101}}, "a transaction is already open");
        }
        return yes(ref{"4.1.1.2", {"R-4.1.1.1-6", "R-3.3-17"}}, "MAIL opens a transaction");
    case rcpt:
        if (proj != client_stage::mail && proj != client_stage::rcpt) {
            return no(ref{"3.3", {"R-3.3-17"}}, "RCPT only after MAIL");
        }
        return yes(ref{"3.3", {"R-3.3-17"}}, "MAIL was accepted (or is pipelined)");
    case data:
        if (s.stage == client_stage::rcpt && s.outstanding.empty()) {
            return yes(ref{"3.3", {"R-3.3-17"}}, "a recipient was accepted");
        }
        if (s.pipelining && proj == client_stage::rcpt) {
            return yes(ref{"4.3.1", {"R-4.3.1-1"}}, "DATA ends a pipelined group (RFC 2920)");
        }
        return no(ref{"3.3", {"R-3.3-17", "R-3.3-11"}}, "no recipient has been accepted");
    case rset: return yes(ref{"4.1.1.5"}, "RSET is allowed in any session state");
    case vrfy: return yes(ref{"4.1.1.6"}, "VRFY is allowed outside the data");
    case expn: return yes(ref{"4.1.1.7"}, "EXPN is allowed outside the data");
    case help: return yes(ref{"4.1.1.8"}, "HELP is allowed outside the data");
    case noop: return yes(ref{"4.1.1.9"}, "NOOP is allowed outside the data");
    case message_data:
    case quit: break;
    }
    return no(ref{"4.1.1"}, "unknown command");
}

std::vector<client_command> permitted_commands(const client_state& s)
{
    std::vector<client_command> out;
    for (const client_command c : all_client_commands()) {
        if (may_send(s, c).allowed) {
            out.push_back(c);
        }
    }
    return out;
}

client_state after_send(const client_state& s, client_command c)
{
    client_state next = s;
    next.outstanding.push_back(c);
    if (c == client_command::quit) {
        next.quit_sent = true;
    }
    if (c == client_command::message_data) {
        // The transaction ends with the reply to the data, whatever it says.
        next.stage = client_stage::ready;
    }
    return next;
}

client_state after_reply(const client_state& s, int code, bool offers_pipelining)
{
    client_state next = s;
    const int digit = code / 100;
    if (s.stage == client_stage::closed) {
        return next;
    }
    if (code == 421) {
        // 3.8: the server is closing the channel, whatever was asked.
        next.stage = client_stage::closed;
        next.outstanding.clear();
        return next;
    }
    if (s.stage == client_stage::awaiting_greeting) {
        next.stage = digit == 2 ? client_stage::greeted : client_stage::refused;
        return next;
    }
    if (next.outstanding.empty()) {
        return next;  // A reply to nothing: the client has nothing to learn from it.
    }
    const client_command answered = next.outstanding.front();
    next.outstanding.erase(next.outstanding.begin());
    const bool positive = digit == 2;
    const bool open = s.stage == client_stage::mail || s.stage == client_stage::rcpt;
    switch (answered) {
    case client_command::ehlo:
        if (positive) {
            next.stage = client_stage::ready;
            next.pipelining = offers_pipelining;
            next.ehlo_refused = false;
        } else if (digit == 5) {
            next.ehlo_refused = true;
        }
        break;
    case client_command::helo:
        if (positive) {
            next.stage = client_stage::ready;
            next.pipelining = false;  // A HELO reply lists no extensions (3.2).
        }
        break;
    case client_command::mail:
        if (positive && s.stage == client_stage::ready) {
            next.stage = client_stage::mail;
        }
        break;
    case client_command::rcpt:
        if (positive && open) {
            next.stage = client_stage::rcpt;
        }
        break;
    case client_command::data:
        if (digit == 3) {
            next.stage = client_stage::data;
        }
        break;
    case client_command::rset:
        if (positive && open) {
            next.stage = client_stage::ready;
        }
        break;
    case client_command::quit: next.stage = client_stage::closed; break;
    case client_command::message_data:
    case client_command::vrfy:
    case client_command::expn:
    case client_command::help:
    case client_command::noop: break;
    }
    return next;
}

client_state after_close(const client_state& s)
{
    client_state next = s;
    next.stage = client_stage::closed;
    next.outstanding.clear();
    return next;
}

}  // namespace smtpspec::model
