// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/line_connection.hpp"

#include <asio/buffer.hpp>
#include <asio/connect.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

namespace smtpspec::validate
{

struct line_connection::impl
{
    impl(std::chrono::milliseconds timeout, connection_limits bounds)
        : read_timeout(timeout)
        , bounds(bounds)
        , log(bounds.transcript_octets)
    {
    }

    /** @return how long the next operation may wait; zero when the deadline passed. */
    std::chrono::milliseconds budget() const
    {
        if (!deadline) {
            return read_timeout;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            *deadline - clock::now());
        return std::clamp(left, std::chrono::milliseconds{0}, read_timeout);
    }

    /**
     * Runs the io_context until the started operation completes or the budget
     * is spent; in the latter case cancels it and waits for the cancellation.
     * @return false on timeout.
     */
    bool run_bounded(const bool& done)
    {
        io.restart();
        io.run_for(budget());
        if (done) {
            return true;
        }
        std::error_code ignored;
        socket.cancel(ignored);
        io.restart();
        io.run();
        return false;
    }

    /** Reads more octets into pending; sets ec on timeout, close or error. */
    void fill(std::error_code& ec)
    {
        if (budget().count() <= 0) {
            ec = asio::error::timed_out;
            return;
        }
        std::array<char, 4096> chunk{};
        bool done = false;
        std::size_t got = 0;
        std::error_code io_ec;
        const auto on_read = [&](std::error_code e, std::size_t n) {
            done = true;
            io_ec = e;
            got = n;
        };
        if (tls) {
            tls->async_read_some(asio::buffer(chunk), on_read);
        } else {
            socket.async_read_some(asio::buffer(chunk), on_read);
        }
        if (!run_bounded(done)) {
            ec = asio::error::timed_out;
            return;
        }
        pending.append(chunk.data(), got);
        if (io_ec) {
            ec = io_ec;
        }
    }

    /** Takes one line (through LF) from pending, reading as needed. */
    std::string read_line(std::error_code& ec)
    {
        // Bounded: every round either grows pending (up to max_line_octets),
        // or ends with an error, and every read waits at most the budget.
        for (;;) {
            const auto lf = pending.find('\n');
            if (lf != std::string::npos && lf < bounds.max_line_octets) {
                std::string line = pending.substr(0, lf + 1);
                pending.erase(0, lf + 1);
                log.add(direction::server, line);
                return line;
            }
            if (pending.size() >= bounds.max_line_octets) {
                log.add(direction::server, pending.substr(0, 200));
                log.add(direction::note, "line longer than "
                                             + std::to_string(bounds.max_line_octets)
                                             + " octets; reading stopped");
                pending.clear();
                ec = std::make_error_code(std::errc::message_size);
                return {};
            }
            fill(ec);
            if (ec) {
                if (!pending.empty() && pending.find('\n') == std::string::npos) {
                    log.add(direction::server, pending);
                    cut_off = std::exchange(pending, {});
                }
                return {};
            }
        }
    }

    asio::io_context io;
    asio::ip::tcp::socket socket{io};
    std::unique_ptr<asio::ssl::context> tls_context;
    std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls;
    std::chrono::milliseconds read_timeout;
    std::optional<clock::time_point> deadline;
    connection_limits bounds;
    transcript log;
    std::string pending;
    /// The octets of a line the last failed read_line() left unended.
    std::string cut_off;
};

line_connection::line_connection(std::chrono::milliseconds read_timeout,
                                 connection_limits bounds)
    : impl_(std::make_unique<impl>(read_timeout, bounds))
{
}

line_connection::~line_connection() { close(); }

void line_connection::connect(const endpoint& to, std::error_code& ec)
{
    ec.clear();
    const auto address = asio::ip::make_address(to.host, ec);
    if (ec) {
        return;
    }
    const asio::ip::tcp::endpoint target{address, to.port};
    bool done = false;
    std::error_code io_ec;
    impl_->socket.async_connect(target, [&](std::error_code e) {
        done = true;
        io_ec = e;
    });
    if (!impl_->run_bounded(done)) {
        ec = asio::error::timed_out;
    } else {
        ec = io_ec;
    }
    impl_->log.add(direction::note, ec ? "connect to " + to.str() + " failed: " + ec.message()
                                       : "connected to " + to.str());
    if (ec) {
        close();
    }
}

void line_connection::send(std::string_view octets, std::error_code& ec)
{
    ec.clear();
    if (!impl_->socket.is_open()) {
        ec = asio::error::not_connected;
        return;
    }
    for (std::size_t start = 0; start < octets.size();) {
        const auto lf = octets.find('\n', start);
        const auto end = lf == std::string_view::npos ? octets.size() : lf + 1;
        impl_->log.add(direction::client, octets.substr(start, end - start));
        start = end;
    }
    bool done = false;
    std::error_code io_ec;
    const auto on_write = [&](std::error_code e, std::size_t) {
        done = true;
        io_ec = e;
    };
    if (impl_->tls) {
        asio::async_write(*impl_->tls, asio::buffer(octets.data(), octets.size()), on_write);
    } else {
        asio::async_write(impl_->socket, asio::buffer(octets.data(), octets.size()), on_write);
    }
    if (!impl_->run_bounded(done)) {
        ec = asio::error::timed_out;
    } else {
        ec = io_ec;
    }
    if (ec) {
        impl_->log.add(direction::note, "send failed: " + ec.message());
    }
}

void line_connection::send_line(std::string_view line, std::error_code& ec)
{
    std::string octets{line};
    octets += "\r\n";
    send(octets, ec);
}

bool line_connection::await_octets(std::error_code& ec)
{
    ec.clear();
    if (!impl_->socket.is_open()) {
        ec = asio::error::not_connected;
        return false;
    }
    if (impl_->pending.empty()) {
        impl_->fill(ec);
    }
    return !impl_->pending.empty();
}

server_reply line_connection::read_reply(std::error_code& ec)
{
    ec.clear();
    server_reply reply;
    if (!impl_->socket.is_open()) {
        ec = asio::error::not_connected;
        return reply;
    }
    for (std::size_t n = 0; n < impl_->bounds.max_reply_lines; ++n) {
        const std::string line = impl_->read_line(ec);
        if (ec) {
            reply.unterminated = std::exchange(impl_->cut_off, {});
            impl_->log.add(direction::note, "reading a reply: " + ec.message());
            return reply;
        }
        reply.lines.push_back(observe_reply_line(line));
        // A first line with no three-digit code is no reply at all; its
        // fourth octet ("SSH-2.0-...") says nothing about continuation lines.
        if (reply.lines.back().last || (n == 0 && reply.lines.back().code == 0)) {
            return reply;
        }
    }
    impl_->log.add(direction::note, "reply longer than "
                                        + std::to_string(impl_->bounds.max_reply_lines)
                                        + " lines; reading stopped");
    ec = std::make_error_code(std::errc::message_size);
    return reply;
}

bool line_connection::wait_for_close(std::error_code& ec)
{
    ec.clear();
    if (!impl_->socket.is_open()) {
        return true;
    }
    // Bounded: at most max_line_octets are read before giving up.
    std::size_t seen = 0;
    while (seen < impl_->bounds.max_line_octets) {
        if (!impl_->pending.empty()) {
            seen += impl_->pending.size();
            impl_->log.add(direction::server, impl_->pending);
            impl_->pending.clear();
        }
        std::error_code io_ec;
        impl_->fill(io_ec);
        if (io_ec == asio::error::eof || io_ec == asio::error::connection_reset) {
            if (!impl_->pending.empty()) {
                impl_->log.add(direction::server, impl_->pending);
                impl_->pending.clear();
            }
            impl_->log.add(direction::note, "server closed the connection");
            close();
            return true;
        }
        if (io_ec == asio::error::timed_out) {
            impl_->log.add(direction::note, "connection still open after the timeout");
            return false;
        }
        if (io_ec) {
            ec = io_ec;
            return false;
        }
    }
    impl_->log.add(direction::note, "server kept sending instead of closing");
    return false;
}

void line_connection::start_tls(std::error_code& ec)
{
    ec.clear();
    if (!impl_->socket.is_open()) {
        ec = asio::error::not_connected;
        return;
    }
    if (!impl_->pending.empty()) {
        impl_->log.add(direction::server, impl_->pending);
        impl_->log.add(direction::note, "octets in clear after the 220 to STARTTLS");
        ec = std::make_error_code(std::errc::protocol_error);
        return;
    }
    impl_->tls_context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    impl_->tls_context->set_verify_mode(asio::ssl::verify_none);
    impl_->tls = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(
        impl_->socket, *impl_->tls_context);
    bool done = false;
    std::error_code io_ec;
    impl_->tls->async_handshake(asio::ssl::stream_base::client, [&](std::error_code e) {
        done = true;
        io_ec = e;
    });
    ec = impl_->run_bounded(done) ? io_ec : std::error_code{asio::error::timed_out};
    if (ec) {
        impl_->log.add(direction::note, "TLS handshake failed: " + ec.message());
        impl_->tls.reset();
        close();
        return;
    }
    impl_->log.add(direction::note, std::string{"TLS established: "}
                                        + SSL_get_version(impl_->tls->native_handle()) + " "
                                        + SSL_get_cipher_name(impl_->tls->native_handle()));
}

bool line_connection::tls_active() const noexcept { return impl_->tls != nullptr; }

void line_connection::set_deadline(clock::time_point when) noexcept { impl_->deadline = when; }

void line_connection::set_read_timeout(std::chrono::milliseconds timeout) noexcept
{
    impl_->read_timeout = timeout;
}

void line_connection::clear_deadline() noexcept { impl_->deadline.reset(); }

std::optional<line_connection::clock::time_point> line_connection::deadline() const noexcept
{
    return impl_->deadline;
}

void line_connection::shutdown_send(std::error_code& ec)
{
    if (impl_->tls) {
        ec = asio::error::operation_not_supported;
        return;
    }
    impl_->socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (!ec) {
        impl_->log.add(direction::note, "the prober closed its sending side (FIN)");
    }
}

void line_connection::close() noexcept
{
    if (impl_ && impl_->socket.is_open()) {
        std::error_code ignored;
        impl_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        impl_->socket.close(ignored);
    }
}

bool line_connection::is_open() const noexcept { return impl_->socket.is_open(); }

const transcript& line_connection::log() const noexcept { return impl_->log; }

void line_connection::note(std::string_view text) { impl_->log.add(direction::note, text); }

}  // namespace smtpspec::validate
