// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/client.hpp"

#include <asio.hpp>

#include <array>

namespace smtpspec::reference::net
{

namespace
{
using asio::ip::tcp;

/// Runs the io_context until the operation finishes or the time is up; on
/// timeout the socket is closed, which ends the operation with an error.
bool run_for(asio::io_context& io, tcp::socket& socket, const bool& finished,
             std::chrono::seconds limit)
{
    io.restart();
    io.run_for(limit);
    if (finished) {
        return true;
    }
    asio::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();
    return false;
}
}  // namespace

std::string run_client(const client_options& options, client_session& session)
{
    asio::io_context io{1};
    tcp::socket socket{io};
    const auto emit = [&] {
        if (options.on_trace) {
            for (const auto& e : session.take_trace()) {
                options.on_trace(e);
            }
        } else {
            session.take_trace();
        }
    };

    asio::error_code ec;
    tcp::resolver resolver{io};
    const auto endpoints = resolver.resolve(options.server.host,
                                            std::to_string(options.server.port),
                                            tcp::resolver::numeric_service, ec);
    if (ec) {
        return "cannot resolve " + options.server.host + ": " + ec.message();
    }
    bool finished = false;
    asio::async_connect(socket, endpoints, [&](const asio::error_code& e, const tcp::endpoint&) {
        ec = e;
        finished = true;
    });
    if (!run_for(io, socket, finished, options.connect_timeout)) {
        return "timed out connecting to " + options.server.str();
    }
    if (ec) {
        return "cannot connect to " + options.server.str() + ": " + ec.message();
    }

    std::array<char, 16 * 1024> buffer{};
    while (!session.done()) {
        const std::string out = session.take_output();
        emit();
        if (!out.empty()) {
            asio::write(socket, asio::buffer(out), ec);
            if (ec) {
                session.peer_closed();
                break;
            }
            if (session.done()) {
                break;
            }
        }
        std::size_t n = 0;
        finished = false;
        socket.async_read_some(asio::buffer(buffer), [&](const asio::error_code& e, std::size_t k) {
            ec = e;
            n = k;
            finished = true;
        });
        if (!run_for(io, socket, finished, options.reply_timeout)) {
            emit();
            return "timed out waiting for a reply from " + options.server.str()
                + " (RFC 5321 4.5.3.2)";
        }
        if (ec) {
            session.peer_closed();
            break;
        }
        session.feed(std::string_view{buffer.data(), n});
    }
    emit();
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return {};
}

}  // namespace smtpspec::reference::net
