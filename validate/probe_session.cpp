// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_session.hpp"

#include <asio/error.hpp>

namespace smtpspec::validate
{

std::optional<server_reply> probe_session::finish(std::string_view what, const server_reply& r,
                                                  std::error_code ec)
{
    const std::string step{what};
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
    if (ec == asio::error::eof || ec == asio::error::connection_reset) {
        aborted_ = {verdict::violated,
                    "server closed the connection after " + step
                        + " without a complete reply; it may close only after QUIT "
                          "(4.1.1.10 R-4.1.1.10-2)"};
    } else if (ec == asio::error::timed_out) {
        aborted_ = {verdict::could_not_run, "no complete reply to " + step + " within the timeout"};
    } else {
        aborted_ = {verdict::could_not_run, "reading the reply to " + step + ": " + ec.message()};
    }
    return std::nullopt;
}

std::optional<server_reply> probe_session::read_greeting()
{
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
    conn_.send(octets, ec);
    if (ec) {
        aborted_ = {verdict::could_not_run,
                    "sending " + std::string{what} + " failed: " + ec.message()};
        return std::nullopt;
    }
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
    const auto r = conn_.read_reply(ec);
    if (saved) {
        conn_.set_deadline(*saved);
    } else {
        conn_.clear_deadline();
    }
    if (ec == asio::error::timed_out && r.lines.empty()) {
        return std::nullopt;
    }
    auto out = finish("the poll for an early reply", r, ec);
    failed = !out.has_value();
    return out;
}

bool probe_session::open_session()
{
    if (!expect_greeting()) {
        return false;
    }
    const auto r = command("EHLO " + config_.client_domain);
    if (!r) {
        return false;
    }
    return r->code() == 250 || fail_setup("EHLO", *r);
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
