// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/server_session.hpp"

#include "grammar/extension.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "model/read.hpp"
#include "model/step.hpp"
#include "reference/internal/parameters.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <utility>

namespace smtpspec::reference
{

namespace
{
using spec::ref;

/// The section that defines each command, for the client lines of the trace.
ref command_ref(const grammar::command& c)
{
    struct visitor
    {
        ref operator()(const grammar::ehlo_command&) const { return {"4.1.1.1"}; }
        ref operator()(const grammar::helo_command&) const { return {"4.1.1.1"}; }
        ref operator()(const grammar::mail_command&) const { return {"4.1.1.2"}; }
        ref operator()(const grammar::rcpt_command&) const { return {"4.1.1.3"}; }
        ref operator()(const grammar::data_command&) const { return {"4.1.1.4"}; }
        ref operator()(const grammar::rset_command&) const { return {"4.1.1.5"}; }
        ref operator()(const grammar::vrfy_command&) const { return {"4.1.1.6"}; }
        ref operator()(const grammar::expn_command&) const { return {"4.1.1.7"}; }
        ref operator()(const grammar::help_command&) const { return {"4.1.1.8"}; }
        ref operator()(const grammar::noop_command&) const { return {"4.1.1.9"}; }
        ref operator()(const grammar::quit_command&) const { return {"4.1.1.10"}; }
    };
    return std::visit(visitor{}, c);
}

std::string strip_crlf(std::string_view line)
{
    if (line.ends_with("\r\n")) {
        line.remove_suffix(2);
    }
    return std::string{line};
}
}  // namespace

server_session::server_session(server_config config, message_store& store)
    : config_(std::move(config))
    , store_(&store)
{
}

server_session::server_session(server_config config)
    : config_(std::move(config))
    , store_(nullptr)
{
}

server_session::~server_session()
{
    if (config_.budget) {
        config_.budget->give(charged_);
    }
}

std::size_t server_session::held_octets() const noexcept
{
    // Octets of mail data, as --max-buffered counts them (the buffers'
    // spare room is not counted: a client cannot tell it).
    return (data_ ? data_->message().size() : 0) + chunk_data_.size()
        + (transaction_ ? transaction_->bdat.size() : 0)
        + (to_store_ ? to_store_->data.size() : storing_octets_);
}

void server_session::charge()
{
    if (!config_.budget) {
        return;
    }
    std::size_t now = held_octets();
    if (now <= charged_) {
        config_.budget->give(charged_ - now);
        charged_ = now;
        return;
    }
    if (config_.budget->take(now - charged_)) {
        charged_ = now;
        return;
    }
    // No room: this message is dropped as it arrives and refused at its end
    // with 452 (finish_data, finish_chunk); the other sessions go on.
    if (!over_budget_) {
        note("the server's memory for mail data (" + std::to_string(config_.budget->limit())
                 + " octets for all sessions) is used up: this message is dropped and will get "
                   "452",
             ref{"4.5.3.1.9"});
    }
    over_budget_ = true;
    if (data_) {
        data_->drop();
    }
    chunk_data_ = std::string{};
    if (transaction_) {
        transaction_->bdat = std::string{};
    }
    // What is left (a message waiting for its commit) was counted before.
    now = held_octets();
    config_.budget->give(charged_ - std::min(now, charged_));
    charged_ = std::min(now, charged_);
}

bool server_session::closed() const noexcept { return state_.at == model::phase::closed; }

bool server_session::tls_handshake_due() const noexcept
{
    return state_.at == model::phase::handshake;
}

std::string server_session::take_output() { return std::exchange(output_, {}); }

std::vector<trace_event> server_session::take_trace() { return std::exchange(trace_, {}); }

std::vector<memory_refusal> server_session::take_memory_refusals()
{
    return std::exchange(memory_refusals_, {});
}

std::string server_session::enhanced(std::string_view code) const
{
    // A server offering the extension prefixes the text of its 2yz, 4yz and
    // 5yz replies with an enhanced code, whether or not the client used EHLO
    // (RFC 2034 4, 5). RFC 2034 4 does not require one in the greeting or in
    // replies to EHLO/HELO; this server leaves it out only where RFC 5321 4.2
    // fixes the start of the text: the 220 greeting and the 250 to EHLO/HELO
    // (both begin with the server's Domain). Error replies to EHLO/HELO and a
    // 421 or 554 in place of the greeting carry one. 3yz replies never do.
    if (config_.profile.enhanced_status_codes) {
        return std::string{code} + ' ';
    }
    return {};
}

void server_session::reply(int code, std::vector<std::string> lines, const ref& why)
{
    assert(!lines.empty());
    for (auto& line : lines) {
        // 4.2: reply text is HT and printable ASCII only, and a reply line
        // is at most 512 octets with its CRLF (4.5.3.1.5). Text that echoes
        // the client's octets is cleaned and shortened here, for every reply.
        for (char& c : line) {
            if (c != '\t' && (c < 32 || c > 126)) {
                c = '?';
            }
        }
        constexpr std::size_t room = grammar::limits::reply_line_octets - 6;  // "250-", CRLF
        if (line.size() > room) {
            line.resize(room - 3);
            line += "...";
        }
    }
    if (config_.script && config_.script->multiline && lines.size() == 1) {
        // Scripted for client tests: the same reply over two lines (4.2.1).
        lines.emplace_back("(scripted multi-line reply)");
    }
    const grammar::reply r{code, std::move(lines)};
    const std::string wire = grammar::format_reply(r);
    output_ += wire;
    std::size_t start = 0;
    while (start < wire.size()) {
        const std::size_t end = wire.find("\r\n", start);
        const bool last = end + 2 == wire.size();
        // The annotation goes on the reply's last line, as in the client's trace.
        trace_.push_back({config_.session_id, trace_source::server,
                          wire.substr(start, end - start),
                          last ? std::optional<ref>{why} : std::nullopt});
        start = end + 2;
    }
}

void server_session::reply(const model::transition& t, std::vector<std::string> lines)
{
    reply(t.code, std::move(lines), t.why);
    state_ = t.next;
}

void server_session::note(std::string text, const ref& why)
{
    trace_.push_back({config_.session_id, trace_source::note, std::move(text), why});
}

void server_session::close_with_421(std::string_view text, const ref& why)
{
    if (closed()) {
        return;
    }
    reply(421, {enhanced("4.4.2") + config_.hostname + " " + std::string{text}}, why);
    state_.at = model::phase::closed;
    transaction_.reset();
    data_.reset();
    chunk_.reset();
}

void server_session::start()
{
    const auto out = model::step(config_.profile, state_, model::connect_event{});
    if (scripted("GREETING", out)) {
        return;
    }
    const auto& t = out.permitted.front();
    if (t.code == 554) {
        // 3.1: the 554 in place of the 220; RFC 3463 X.3.2: not accepting mail.
        reply(t, {enhanced("5.3.2") + config_.hostname + " no mail service here; send QUIT"});
    } else {
        reply(t, {config_.hostname + " ESMTP smtpspec reference server ready"});
    }
}

void server_session::start_overloaded()
{
    const auto out = model::step(config_.profile, state_, model::connect_event{});
    const auto* t = out.find(421);
    assert(t != nullptr);
    // RFC 3463 X.3.2: the system is not accepting network messages (now).
    reply(*t, {enhanced("4.3.2") + config_.hostname + " too many connections; try again later"});
}

namespace
{
/// Letters, digits and the octets of also, at most max of them: text from
/// the TLS library made safe for the trace and the Received field.
std::string only_safe(std::string_view text, std::string_view also, std::size_t max)
{
    std::string out;
    for (const char c : text) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || also.find(c) != std::string_view::npos;
        if (safe && out.size() < max) {
            out += c;
        }
    }
    return out;
}
}  // namespace

void server_session::tls_established(std::string_view description)
{
    const auto out = model::step(config_.profile, state_, model::tls_established_event{});
    const auto& t = out.permitted.front();
    if (!t.next.tls) {
        return;
    }
    state_ = t.next;
    // RFC 3207 4.2: nothing learnt before the handshake survives it.
    transaction_.reset();
    client_name_.clear();
    tls_ = only_safe(description, " ._:/-", 128);
    note("TLS established: " + tls_ + "; session reset to the greeted state", t.why);
}

void server_session::tls_failed(std::string_view reason)
{
    note("TLS handshake failed: " + only_safe(reason, " ._:/-()", 160) + "; connection closed",
         ref{"rfc3207/4"});
    peer_closed();
}

void server_session::timed_out()
{
    close_with_421("idle too long, closing connection", ref{"4.5.3.2.7", {"R-4.5.3.2.7-1"}});
}

void server_session::shutting_down()
{
    close_with_421("server shutting down, closing connection", ref{"3.8", {"R-3.8-2"}});
}

void server_session::peer_closed()
{
    if (closed()) {
        return;
    }
    const auto out = model::step(config_.profile, state_, model::disconnect_event{});
    if (state_.at != model::phase::handshake) {
        // A failed TLS handshake is not a missing QUIT.
        deviation("connection closed without QUIT", ref{"4.1.1.10", {"R-4.1.1.10-3"}});
    }
    if (transaction_) {
        note("connection lost: open transaction dropped, nothing stored",
             out.permitted.front().why);
    }
    state_ = out.permitted.front().next;
    transaction_.reset();
    data_.reset();
    chunk_.reset();
    chunk_data_ = std::string{};
    process();  // Closed: reads nothing, and gives the dropped data's memory back.
}

void server_session::feed(std::string_view bytes)
{
    if (closed()) {
        return;
    }
    input_.append(bytes);
    process();
}

void server_session::process()
{
    // While a message is being stored (store_outcome_ set), nothing more is
    // read: the reply to the end of data comes first (RFC 2920 3.1).
    while (!closed() && !store_outcome_ && !input_.empty()) {
        if (tls_handshake_due()) {
            // RFC 3207 4: no octet sent in clear after STARTTLS is a command
            // (known fault B07); the shell should not even feed them.
            note("dropped " + std::to_string(input_.size())
                     + " octets received in clear while the TLS handshake is due",
                 ref{"rfc3207/4"});
            input_.clear();
            break;
        }
        if (skip_left_ > 0) {
            const std::size_t n = static_cast<std::size_t>(
                std::min<std::uint64_t>(skip_left_, input_.size()));
            input_.erase(0, n);
            skip_left_ -= n;
            continue;
        }
        if (chunk_ || data_) {
            const bool ended = chunk_ ? read_chunk() : read_data();
            // Mail data is counted as it arrives, before its end is judged:
            // a message that finds no room is dropped here and refused there.
            charge();
            if (!ended) {
                break;
            }
            if (chunk_) {
                finish_chunk();
            } else {
                finish_data();
            }
            continue;
        }
        if (!process_command_bytes()) {
            break;
        }
    }
    // The one settling of the memory account for each input (feed, stored,
    // peer_closed, all of which end here): commands may have ended a
    // transaction (RSET, EHLO, QUIT), a message may have been stored or a
    // session closed, and that memory goes back to the budget.
    charge();
}

bool server_session::read_chunk()
{
    // RFC 3030 2: exactly chunk-size octets, taken as they are.
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, input_.size()));
    const std::size_t limit = config_.profile.max_message_size;
    const std::size_t held = (transaction_ ? transaction_->bdat.size() : 0) + chunk_data_.size();
    if (chunk_too_big_ || (limit != 0 && held + n > limit)) {
        chunk_too_big_ = true;
    } else if (!over_budget_) {
        chunk_data_.append(input_, 0, n);
    }
    input_.erase(0, n);
    chunk_left_ -= n;
    return chunk_left_ == 0;
}

bool server_session::read_data()
{
    const std::size_t used = data_->consume(input_);
    input_.erase(0, used);
    return data_->done();
}

bool server_session::process_command_bytes()
{
    constexpr std::size_t limit = grammar::limits::command_line_octets;  // 4.5.3.1.4
    if (discarding_) {
        const std::size_t end = input_.find("\r\n");
        if (end == std::string::npos) {
            // Keep a final CR: its LF may come in the next read.
            const std::size_t keep = input_.ends_with('\r') ? 1 : 0;
            discarded_ += input_.size() - keep;
            input_.erase(0, input_.size() - keep);
            if (discarded_ > config_.max_overlong_line) {
                close_with_421("command line far too long, closing connection",
                               ref{"4.5.3.1.4"});
            }
            return false;
        }
        input_.erase(0, end + 2);
        discarding_ = false;
        trace_.push_back({config_.session_id, trace_source::client,
                          "<command line of " + std::to_string(discarded_ + end + 2)
                              + " octets>", std::nullopt});
        const auto out = model::step(config_.profile, state_, model::line_too_long_event{});
        reply(out.permitted.front(),
              {enhanced("5.5.2") + "Line too long: a command line is at most "
               + std::to_string(limit) + " octets with its CRLF (RFC 5321 4.5.3.1.4)"});
        return true;
    }
    const std::size_t end = input_.find("\r\n");
    if (end == std::string::npos) {
        if (input_.size() >= limit) {
            discarding_ = true;
            discarded_ = 0;
        }
        return discarding_;
    }
    const std::string line = input_.substr(0, end + 2);
    input_.erase(0, end + 2);
    if (line.size() > limit) {
        discarding_ = true;
        discarded_ = line.size() - 2;
        input_.insert(0, "\r\n");
        return true;
    }
    handle_line(line);
    return true;
}

void server_session::handle_line(std::string_view line)
{
    const std::string_view body = line.substr(0, line.size() - 2);
    if (sasl_) {
        // RFC 4954 4: while an AUTH exchange runs, a line is a SASL response.
        auth_response(body);
        return;
    }
    if (body.find_first_of("\r\n") != std::string_view::npos) {
        // 2.3.8: CRLF is the only line ending; a lone CR or LF inside the line
        // makes the whole line unusable, so it is one unrecognised command.
        trace_.push_back({config_.session_id, trace_source::client, strip_crlf(line),
                          std::nullopt});
        const auto out = model::step(config_.profile, state_, model::bad_line_event{500});
        const bool lf = body.find('\n') != std::string_view::npos;
        deviation(std::string{"command line holds a bare "} + (lf ? "LF" : "CR")
                      + " (known fault B48)",
                  ref{"2.3.8", {"R-2.3.8-1"}});
        reply(out.permitted.front().code,
              {enhanced("5.5.2") + "Line holds a bare " + (lf ? "LF" : "CR")
               + "; commands end only with CRLF (RFC 5321 2.3.8)"},
              ref{"2.3.8", {"R-2.3.8-1"}});
        state_ = out.permitted.front().next;
        return;
    }
    // One reading of a command line for the server and its oracles.
    model::command_reading reading = model::read_command_line(line, config_.profile);
    if (reading.ehlo_literal_text) {
        deviation("text after the EHLO address literal (WG #107)",
                  ref{"4.1.1.1", {"R-4.1.1.1-2"}, {107}});
    }
    if (const auto* ext = std::get_if<grammar::extension_command>(&reading.in)) {
        handle_extension(*ext, line);
        return;
    }
    grammar::command_result parsed = grammar::syntax_error{};
    if (auto* cmd = std::get_if<grammar::command>(&reading.in)) {
        parsed = std::move(*cmd);
    } else {
        parsed = std::move(reading.error)
                     .value_or(grammar::syntax_error{"command", 0, "unreadable line", 500});
    }

    if (const auto* error = std::get_if<grammar::syntax_error>(&parsed)) {
        trace_.push_back({config_.session_id, trace_source::client, strip_crlf(line),
                          std::nullopt});
        const auto out =
            model::step(config_.profile, state_, model::bad_line_event{error->reply_code});
        const auto& t = out.permitted.front();
        deviation("syntax a client must not send: rule " + error->rule + " at offset "
                      + std::to_string(error->offset),
                  ref{"4.1.2"});
        const std::string detail = error->message + " (rule " + error->rule + " at offset "
            + std::to_string(error->offset) + ")";
        // An error reply to EHLO/HELO carries an enhanced code too (enhanced()).
        if (t.code == 501) {
            reply(t, {enhanced("5.5.4") + "Syntax error in arguments: " + detail});
        } else {
            reply(t, {enhanced("5.5.2") + "Syntax error: " + detail});
        }
        skip_refused_chunk(body);
        return;
    }

    const auto& cmd = std::get<grammar::command>(parsed);
    trace_.push_back({config_.session_id, trace_source::client, strip_crlf(line),
                      command_ref(cmd)});
    if (body.ends_with(' ') || body.ends_with('\t')) {
        // Tolerated per the profile (WG #105), but no command's ABNF has it.
        deviation("white space before the CRLF (WG #105)", ref{"4.1.1", {"R-4.1.1-1"}, {105}});
    }
    if (state_.at == model::phase::greeted && std::holds_alternative<grammar::mail_command>(cmd)) {
        deviation("MAIL before EHLO or HELO (known fault B44)", ref{"4.1.4", {"R-4.1.4-1"}});
    }
    const bool grouped = !input_.empty();
    if (grouped && (!config_.profile.pipelining || !state_.extended)) {
        deviation("commands sent without waiting for the reply, and PIPELINING was not offered",
                  ref{"rfc2920/3.1"});
    }
    if (grouped && std::holds_alternative<grammar::data_command>(cmd)) {
        deviation("DATA is not the last command of its group (known fault B06)",
                  ref{"rfc2920/3.1"});
    }
    const auto out = model::step(config_.profile, state_, cmd);
    if (!scripted(internal::ascii_upper(body.substr(0, 4)), out)) {
        handle_command(cmd, out);
    }
}

void server_session::finish_data()
{
    const auto reader = std::move(data_);
    const std::size_t lines = static_cast<std::size_t>(
        std::ranges::count(reader->message(), '\n'));
    // The end-of-data line ".\r\n" is not part of the mail data.
    note("mail data: " + std::to_string(reader->wire_octets() - 3) + " octets on the wire, "
             + std::to_string(lines) + " lines",
         ref{"4.1.1.4"});
    trace_.push_back({config_.session_id, trace_source::client, ".",
                      ref{"4.1.1.4", {"R-4.1.1.4-5"}}});

    const bool dropped = std::exchange(over_budget_, false);
    const bool acceptable =
        !reader->bare_lf() && !reader->bare_cr() && !reader->too_big() && !dropped;
    const auto out = model::step(config_.profile, state_, model::end_of_data_event{acceptable});
    const model::transition* t = &out.permitted.front();
    const auto pick = [&](int code) { t = out.find(code); };

    if (reader->bare_lf() || reader->bare_cr()) {
        deviation("mail data holds a bare LF or CR (known faults B01-B03)",
                  ref{"2.3.8", {"R-2.3.8-1"}});
        pick(554);
        reply(*t, {enhanced("5.6.0") + "Refused: mail data holds a bare "
                   + std::string{reader->bare_lf() ? "LF" : "CR"}
                   + "; lines end only with CRLF (RFC 5321 2.3.8)"});
        transaction_.reset();
        return;
    }
    if (reader->too_big()) {
        pick(552);
        reply(*t, {enhanced("5.3.4") + "Message larger than this server takes"});
        transaction_.reset();
        return;
    }
    if (dropped) {
        refuse_for_memory(out);
        return;
    }
    if (scripted("DATA-END", out)) {
        return;
    }
    if (reader->longest_line() > grammar::limits::text_line_octets) {
        // 4.5.3.1.6 sets the minimum a server must take; this server takes
        // longer lines and only records the client's deviation.
        note("a text line of " + std::to_string(reader->longest_line())
                 + " octets exceeds the 1000 a client may rely on",
             ref{"4.5.3.1.6"});
        deviation("text line over 1000 octets (known fault B46)", ref{"4.5.3.1.6"});
    }
    store_message(out, reader->take_message());
}

void server_session::store_message(const model::outcome& out, std::string data)
{
    if (store_ == nullptr) {
        to_store_ = accepted_message{std::move(transaction_->env), std::move(data)};
        transaction_.reset();
        store_outcome_ = std::make_unique<model::outcome>(out);
        return;
    }
    const store_result stored = store_->store(transaction_->env, data, config_.hostname);
    transaction_.reset();
    answer_store(out, stored);
}

accepted_message server_session::take_message()
{
    assert(to_store_.has_value());
    accepted_message m = std::move(*to_store_);
    to_store_.reset();
    storing_octets_ = m.data.size();  // Still counted until stored().
    return m;
}

void server_session::refuse_for_memory(const model::outcome& out)
{
    // 4.2.3: 452, insufficient system storage; RFC 3463: 4.3.1, mail
    // system full. Temporary: the client tries again later.
    reply(*out.find(452), {enhanced("4.3.1") + "Insufficient system storage: too much mail "
                                                "data held at once; try again later"});
    transaction_.reset();
    // Only a session with a budget runs out of it (charge()).
    memory_refusals_.push_back({config_.budget->limit(), config_.budget->held()});
}

void server_session::stored(const store_result& result)
{
    assert(store_outcome_ != nullptr);
    const auto out = std::move(store_outcome_);
    storing_octets_ = 0;
    if (closed()) {
        note("store " + std::string{result.ok ? "completed" : "failed"} + " after the session ended: "
                 + result.id,
             ref{"6.1", {"R-6.1-1"}, {114}});
    } else {
        answer_store(*out, result);
    }
    // Goes on with the input already fed (none once closed), and gives the
    // stored message's memory back.
    process();
}

void server_session::answer_store(const model::outcome& out, const store_result& stored)
{
    if (!stored.ok) {
        note("store failed: " + stored.id, ref{"6.1", {"R-6.1-1"}, {114}});
        reply(*out.find(451), {enhanced("4.3.0") + "Could not store the message; try again later"});
        return;
    }
    note("stored as " + stored.id, ref{"6.1", {"R-6.1-1"}, {114}});
    reply(out.permitted.front(),
          {enhanced("2.0.0")
           + (stored.discarded ? "Accepted and discarded (" + stored.id + "): this server keeps "
                                   "nothing"
                               : "Accepted and stored as " + stored.id)});
}

void server_session::skip_refused_chunk(std::string_view body)
{
    // RFC 3030 2: the chunk's octets follow a BDAT line whatever its reply,
    // and they are never commands. A refused line that still begins with
    // "BDAT" and a size has its chunk read and dropped, so octets the client
    // sent as data cannot run as commands (a smuggled RCPT, say).
    // A line of "BDAT" and more whose size cannot be read exactly (a tab, a
    // sign, a number too large) leaves the end of its chunk unknown, where a
    // laxer reader in front of this server might find one: the session
    // cannot stay in step with the client, so it ends (421).
    constexpr std::string_view verb = "BDAT";
    if (body.size() <= verb.size() || !internal::iequals(body.substr(0, verb.size()), verb)
        || std::isalnum(static_cast<unsigned char>(body[verb.size()])) != 0) {
        return;  // Another verb, or BDAT alone: no chunk can follow.
    }
    const char* first = body.data() + verb.size() + 1;
    const char* last = body.data() + body.size();
    std::uint64_t size = 0;
    const auto [end, error] = std::from_chars(first, last, size);
    if (body[verb.size()] != ' ' || error != std::errc{} || end == first) {
        close_with_421("BDAT line whose chunk size cannot be read: closing, the end of its "
                       "chunk is unknown",
                       ref{"rfc3030/2"});
        return;
    }
    skip_left_ = size;
    note("the refused BDAT line gives a chunk size of " + std::to_string(size)
             + " octets: they are read and dropped, never taken as commands",
         ref{"rfc3030/2"});
}

void server_session::finish_chunk()
{
    const grammar::bdat_command cmd = *chunk_;
    chunk_.reset();
    std::string data = std::exchange(chunk_data_, {});
    const bool too_big = std::exchange(chunk_too_big_, false);
    note("BDAT chunk of " + std::to_string(cmd.chunk_size) + " octets read"
             + (cmd.last ? " (LAST)" : ""),
         ref{"rfc3030/2"});
    const auto out = model::step(config_.profile, state_,
                                 model::input{grammar::extension_command{cmd}});
    const model::transition* t = &out.permitted.front();
    if (t->code != 250) {
        reply(*t, {enhanced("5.5.1") + "Bad sequence of commands; the chunk was dropped"});
        return;
    }
    if (too_big) {
        // RFC 1870 6.3, RFC 3030 2: the chunk is read, then refused.
        reply(*out.find(552), {enhanced("5.3.4") + "Message larger than this server takes"});
        transaction_.reset();
        over_budget_ = false;
        return;
    }
    if (std::exchange(over_budget_, false)) {
        refuse_for_memory(out);
        return;
    }
    if (transaction_->bdat.empty()) {
        transaction_->bdat = std::move(data);
    } else {
        transaction_->bdat += data;
    }
    if (!cmd.last) {
        reply(*t, {enhanced("2.0.0") + std::to_string(cmd.chunk_size) + " octets received"});
        return;
    }
    std::string message = std::move(transaction_->bdat);
    store_message(out, std::move(message));
}

}  // namespace smtpspec::reference
