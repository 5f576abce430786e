// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/server.hpp"

#include "reference/maildir.hpp"

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>

#include <array>
#include <fstream>
#include <list>
#include <memory>

namespace smtpspec::reference::net
{

namespace
{
using asio::ip::tcp;
constexpr auto no_throw = asio::experimental::as_tuple(asio::use_awaitable);

/// One live connection; the server keeps them to close them on shutdown.
struct connection
{
    explicit connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    tcp::socket socket;
    asio::steady_timer timer;
    server_session* session = nullptr;
    bool timed_out = false;
};

class server
{
public:
    server(asio::io_context& io, const server_options& options)
        : io_(io)
        , options_(options)
        , store_(options.maildir)
        , acceptor_(io)
        , signals_(io, SIGINT, SIGTERM)
    {
        const auto address = asio::ip::make_address(options.listen.host);
        const tcp::endpoint endpoint{address, options.listen.port};
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen();
        bound_ = host_port{acceptor_.local_endpoint().address().to_string(),
                           acceptor_.local_endpoint().port()};
        signals_.async_wait([this](const asio::error_code& ec, int signal) {
            if (!ec) {
                stop(signal);
            }
        });
    }

    void start()
    {
        log("event=listening address=" + bound_.str() + " maildir=" + options_.maildir.string()
            + " profile=" + std::string{options_.session.profile.name});
        if (!options_.ready_file.empty()) {
            // Written to a temporary name and renamed, so a reader never sees
            // a partial address.
            const auto tmp = options_.ready_file.string() + ".tmp";
            std::ofstream{tmp} << bound_.str() << '\n';
            std::filesystem::rename(tmp, options_.ready_file);
        }
        asio::co_spawn(io_, accept_loop(), asio::detached);
    }

private:
    void log(const std::string& line) const
    {
        if (options_.on_log) {
            options_.on_log(line);
        }
    }

    void trace(std::vector<trace_event> events) const
    {
        if (options_.on_trace) {
            for (const auto& e : events) {
                options_.on_trace(e);
            }
        }
    }

    void stop(int signal)
    {
        log("event=stopping signal=" + std::to_string(signal)
            + " open_connections=" + std::to_string(connections_.size()));
        stopping_ = true;
        asio::error_code ignored;
        acceptor_.close(ignored);
        for (auto& c : connections_) {
            if (c->session != nullptr) {
                c->session->shutting_down();
                // A best-effort 421 (3.8 R-3.8-2); the socket is closed next.
                asio::write(c->socket, asio::buffer(c->session->take_output()), ignored);
                trace(c->session->take_trace());
            }
            c->socket.close(ignored);
            c->timer.cancel();
        }
    }

    asio::awaitable<void> accept_loop()
    {
        while (!stopping_) {
            auto [ec, socket] = co_await acceptor_.async_accept(no_throw);
            if (ec) {
                if (stopping_) {
                    break;
                }
                log("event=accept_error error=\"" + ec.message() + "\"");
                continue;
            }
            const std::uint64_t id = ++sessions_;
            connections_.push_back(std::make_unique<connection>(std::move(socket)));
            auto it = std::prev(connections_.end());
            asio::co_spawn(io_, serve(id, it), asio::detached);
        }
    }

    asio::awaitable<void> serve(std::uint64_t id, std::list<std::unique_ptr<connection>>::iterator it)
    {
        connection& c = **it;
        asio::error_code ec;
        const auto peer = c.socket.remote_endpoint(ec);
        const std::string peer_text = ec ? std::string{"unknown"} : peer.address().to_string();
        log("event=connect session=" + std::to_string(id) + " peer=" + peer_text);

        server_config config = options_.session;
        config.session_id = id;
        config.peer_address = peer_text;
        server_session session{config, store_};
        c.session = &session;

        if (connections_.size() > options_.max_connections) {
            session.shutting_down();
        } else {
            session.start();
        }
        std::array<char, 16 * 1024> buffer{};
        while (true) {
            const std::string out = session.take_output();
            trace(session.take_trace());
            if (!out.empty()) {
                auto [wec, n] = co_await asio::async_write(c.socket, asio::buffer(out), no_throw);
                if (wec) {
                    session.peer_closed();
                    break;
                }
            }
            if (session.closed() || stopping_) {
                break;
            }
            c.timed_out = false;
            c.timer.expires_after(options_.idle_timeout);
            c.timer.async_wait([&c](const asio::error_code& tec) {
                if (!tec) {
                    c.timed_out = true;
                    c.socket.cancel();
                }
            });
            auto [rec, n] = co_await c.socket.async_read_some(asio::buffer(buffer), no_throw);
            c.timer.cancel();
            if (rec) {
                if (c.timed_out) {
                    session.timed_out();
                    continue;
                }
                session.peer_closed();
                trace(session.take_trace());
                break;
            }
            session.feed(std::string_view{buffer.data(), n});
        }
        c.session = nullptr;
        c.socket.shutdown(tcp::socket::shutdown_both, ec);
        c.socket.close(ec);
        log("event=close session=" + std::to_string(id)
            + " state=" + model::to_string(session.state().at));
        connections_.erase(it);
    }

    asio::io_context& io_;
    const server_options& options_;
    maildir_store store_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    host_port bound_;
    std::list<std::unique_ptr<connection>> connections_;
    std::uint64_t sessions_ = 0;
    bool stopping_ = false;
};
}  // namespace

int run_server(const server_options& options)
{
    asio::io_context io{1};
    server s{io, options};
    s.start();
    io.run();
    return 0;
}

}  // namespace smtpspec::reference::net
