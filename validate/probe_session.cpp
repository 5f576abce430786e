// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_session.hpp"

#include <asio/error.hpp>

#include <algorithm>

namespace smtpspec::validate
{

std::optional<server_reply> probe_session::finish(std::string_view what, const server_reply& r,
                                                  std::error_code ec)
{
    const std::string step{what};
    evidence_ = conn_.log().entries().size();
    if (!ec && r.code() == 421) {
        // 421 may answer any command when the server must close (3.8, 4.2.3):
        // the case cannot judge what it asked.
        aborted_ = {verdict::could_not_run,
                    step + " got " + r.summary() + ": the server is closing the channel (3.8)"};
        return std::nullopt;
    }
    if (!ec) {
        return r;
    }
    // What did come of a cut-off reply is named: a line without its CRLF
    // (2.3.8) is otherwise indistinguishable from silence in the report.
    const std::string only = r.unfinished() ? ", only " + r.unfinished_summary() : "";
    if (ec == asio::error::eof || ec == asio::error::connection_reset) {
        aborted_ = {verdict::violated,
                    "server closed the connection after " + step + " without a complete reply"
                        + only + "; it may close only after QUIT (4.1.1.10 R-4.1.1.10-2)"};
        aborted_.broken = level::must;
    } else if (ec == asio::error::timed_out) {
        aborted_ = {verdict::could_not_run,
                    "no complete reply to " + step + " within the timeout" + only};
    } else {
        aborted_ = {verdict::could_not_run, "reading the reply to " + step + ": " + ec.message()};
    }
    return std::nullopt;
}

std::optional<server_reply> probe_session::read_greeting()
{
    if (greeting_) {
        return greeting_;
    }
    std::error_code ec;
    const auto r = conn_.read_reply(ec);
    return finish("connecting (greeting)", r, ec);
}

std::optional<server_reply> probe_session::expect_greeting()
{
    auto r = read_greeting();
    if (r && r->code() != 220) {
        fail_setup("the greeting", *r);
        return std::nullopt;
    }
    return r;
}

std::optional<server_reply> probe_session::command(std::string_view line)
{
    std::string octets{line};
    octets += "\r\n";
    return exchange(octets, line);
}

std::optional<server_reply> probe_session::exchange(std::string_view octets,
                                                    std::string_view what)
{
    std::error_code ec;
    const auto sent = line_connection::clock::now();
    conn_.send(octets, ec);
    if (ec) {
        aborted_ = {verdict::could_not_run,
                    "sending " + std::string{what} + " failed: " + ec.message()};
        return std::nullopt;
    }
    const auto r = conn_.read_reply(ec);
    rtt_ = std::chrono::duration_cast<std::chrono::milliseconds>(line_connection::clock::now()
                                                                 - sent);
    return finish(what, r, ec);
}

std::optional<server_reply> probe_session::read_reply(std::string_view what)
{
    std::error_code ec;
    const auto r = conn_.read_reply(ec);
    return finish(what, r, ec);
}

std::optional<server_reply> probe_session::poll_reply(std::chrono::milliseconds wait,
                                                     bool& failed)
{
    failed = false;
    const auto saved = conn_.deadline();
    auto until = line_connection::clock::now() + wait;
    if (saved && *saved < until) {
        until = *saved;
    }
    conn_.set_deadline(until);
    std::error_code ec;
    // Only the wait for a first octet is short: a reply that has begun is
    // read with the usual timeout, so one split across writes (or cut off
    // by the short wait) is neither lost nor read from its middle later.
    const bool began = conn_.await_octets(ec);
    if (saved) {
        conn_.set_deadline(*saved);
    } else {
        conn_.clear_deadline();
    }
    if (!began && ec == asio::error::timed_out) {
        return std::nullopt;
    }
    const auto r = conn_.read_reply(ec);
    auto out = finish("the poll for an early reply", r, ec);
    failed = !out.has_value();
    return out;
}

bool probe_session::open_session()
{
    if (!expect_greeting()) {
        return false;
    }
    const auto r = ehlo();
    if (!r) {
        return false;
    }
    return r->code() == 250 || fail_setup("EHLO", *r);
}

std::optional<server_reply> probe_session::ehlo()
{
    auto r = command("EHLO " + config_.client_domain);
    if (r && r->code() == 250) {
        ehlo_ = r;
    }
    return r;
}

bool probe_session::open_session_with(std::string_view keyword)
{
    if (!open_session()) {
        return false;
    }
    if (!offers(keyword)) {
        aborted_ = {verdict::unimplemented,
                    "the EHLO reply does not offer " + std::string{keyword}};
        return false;
    }
    return true;
}

std::optional<std::string> probe_session::offer_params(std::string_view keyword) const
{
    return ehlo_ ? ehlo_->ehlo_offer(keyword) : std::nullopt;
}

bool probe_session::offers(std::string_view keyword) const
{
    return offer_params(keyword).has_value();
}

bool probe_session::enter_tls()
{
    std::error_code ec;
    const auto g = conn_.read_reply(ec);
    if (!finish("connecting (greeting)", g, ec)) {
        return false;
    }
    if (g.code() != 220) {
        return fail_setup("the greeting", g);
    }
    const auto e = ehlo();
    if (!e) {
        return false;
    }
    if (e->code() != 250) {
        return fail_setup("EHLO", *e);
    }
    if (!offers("STARTTLS")) {
        aborted_ = {verdict::unimplemented, "the EHLO reply does not offer STARTTLS"};
        return false;
    }
    const auto r = command("STARTTLS");
    if (!r) {
        return false;
    }
    if (r->code() != 220) {
        return fail_setup("STARTTLS", *r);
    }
    conn_.start_tls(ec);
    if (ec) {
        aborted_ = {verdict::could_not_run, "TLS handshake failed: " + ec.message()};
        return false;
    }
    greeting_ = g;
    ehlo_.reset();
    return true;
}

bool probe_session::start_data()
{
    if (!start_mail() || !add_recipient()) {
        return false;
    }
    const auto r = command("DATA");
    if (!r) {
        return false;
    }
    return r->code() == 354 || fail_setup("DATA", *r);
}

void probe_session::abandon_data()
{
    conn_.note("closing without the final CRLF.CRLF, so that nothing is delivered");
    conn_.close();
}

finding probe_session::lenient(std::string detail, std::string_view deviation)
{
    finding f{verdict::lenient, std::move(detail)};
    f.deviation = deviation;
    return f;
}

std::chrono::milliseconds probe_session::quiet_wait() const noexcept
{
    return std::clamp(rtt_ * 10, std::chrono::milliseconds{50},
                      std::max(config_.read_timeout, std::chrono::milliseconds{50}));
}

bool probe_session::start_mail()
{
    const auto r = command("MAIL FROM:<" + config_.from + ">");
    if (!r) {
        return false;
    }
    return r->code() == 250 || fail_setup("MAIL FROM:<" + config_.from + ">", *r);
}

bool probe_session::add_recipient()
{
    const auto r = command("RCPT TO:<" + config_.to + ">");
    if (!r) {
        return false;
    }
    return r->code() == 250 || r->code() == 251
        || fail_setup("RCPT TO:<" + config_.to + ">", *r);
}

bool probe_session::fail_setup(std::string_view step, const server_reply& r)
{
    aborted_ = {verdict::could_not_run,
                "cannot run: " + std::string{step} + " got " + r.summary()};
    return false;
}

}  // namespace smtpspec::validate
