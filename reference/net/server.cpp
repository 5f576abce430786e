// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/server.hpp"

#include "reference/maildir.hpp"
#include "reference/maildir_committer.hpp"

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl.hpp>
#include <openssl/ssl.h>

#include <array>
#include <fstream>
#include <list>
#include <memory>
#include <optional>
#include <tuple>

namespace smtpspec::reference::net
{

namespace
{
using asio::ip::tcp;
constexpr auto no_throw = asio::experimental::as_tuple(asio::use_awaitable);

using tls_stream = asio::ssl::stream<tcp::socket&>;

/// Bounds on the steps that are not waits for a command.
constexpr std::chrono::seconds write_timeout{60};
constexpr std::chrono::seconds handshake_timeout{60};

/// One live connection; the server keeps them to close them on shutdown.
struct connection
{
    explicit connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    /// Cancels the socket's operations when the timer expires first.
    void arm(std::chrono::steady_clock::duration d)
    {
        timed_out = false;
        timer.expires_after(d);
        timer.async_wait([this](const asio::error_code& ec) {
            if (!ec) {
                timed_out = true;
                socket.cancel();
            }
        });
    }

    tcp::socket socket;
    std::unique_ptr<tls_stream> tls;  ///< Set once STARTTLS has begun.
    /// What a TLS read fills; made with the TLS stream.
    std::unique_ptr<std::array<char, 16 * 1024>> tls_buffer;
    asio::steady_timer timer;
    bool timed_out = false;
};

/// "TLSv1.3 TLS_AES_256_GCM_SHA384": what the trace and Received show.
std::string describe(tls_stream& s)
{
    const SSL* ssl = s.native_handle();
    return std::string{SSL_get_version(ssl)} + " " + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
}

std::unique_ptr<asio::ssl::context> make_tls_context(const tls_files& files)
{
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                     | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                     | asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    ctx->use_certificate_chain_file(files.certificate.string());
    ctx->use_private_key_file(files.private_key.string(), asio::ssl::context::pem);
    return ctx;
}

class server
{
public:
    server(asio::io_context& io, const server_options& options)
        : io_(io)
        , options_(options)
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
        if (options.tls.enabled && options.session.profile.starttls) {
            tls_files_ = resolve_tls_files(options.tls, options.session.hostname);
            tls_context_ = make_tls_context(tls_files_);
        }
        if (options.store == storage::maildir) {
            maildir_ = std::make_unique<maildir_store>(options.maildir);
            committer_ = std::make_unique<maildir_committer>(*maildir_, options.session.hostname,
                                                             options.commit_writers);
        }
        signals_.async_wait([this](const asio::error_code& ec, int signal) {
            if (!ec) {
                stop(signal);
            }
        });
    }

    void start()
    {
        log("event=listening address=" + bound_.str() + " store="
            + (committer_ ? "maildir maildir=" + options_.maildir.string()
                          : std::string{"discard warning=\"accepted mail is not kept\""})
            + " profile=" + std::string{options_.session.profile.name}
            + " max_connections=" + std::to_string(options_.max_connections) + " tls="
            + (tls_context_ ? "\"" + tls_files_.certificate.string() + "\"" : std::string{"off"}));
        if (!options_.ready_file.empty()) {
            // Written to a temporary name and renamed, so a reader never sees
            // a partial address.
            const auto tmp = options_.ready_file.string() + ".tmp";
            std::ofstream{tmp} << bound_.str() << '\n';
            std::filesystem::rename(tmp, options_.ready_file);
        }
        asio::co_spawn(io_, accept_loop(), asio::detached);
    }

    /// After the last session: how the group commits went, for tuning.
    void report_commits() const
    {
        if (committer_) {
            const commit_stats st = committer_->stats();
            log("event=commit_stats groups=" + std::to_string(st.groups) + " messages="
                + std::to_string(st.messages) + " largest_group=" + std::to_string(st.largest));
        }
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
        // Each session's coroutine sees stopping_, sends its 421 (3.8
        // R-3.8-2) within the write timeout, and closes.
        for (auto& c : connections_) {
            c->socket.cancel(ignored);
        }
    }

    asio::awaitable<asio::error_code> write(connection& c, const std::string& out)
    {
        if (const auto& script = options_.session.script; script && script->delay.count() > 0) {
            // Scripted slow replies, for testing a client's timeouts (4.5.3.2).
            asio::steady_timer pause{c.socket.get_executor(), script->delay};
            co_await pause.async_wait(no_throw);
        }
        c.arm(write_timeout);
        auto [ec, n] = c.tls ? co_await asio::async_write(*c.tls, asio::buffer(out), no_throw)
                             : co_await asio::async_write(c.socket, asio::buffer(out), no_throw);
        c.timer.cancel();
        co_return ec;
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
        config.tls_available = tls_context_ != nullptr;
        // Durable: the session hands each message out and its 250 waits for
        // the group commit; discard: stored at once.
        auto made = committer_ ? std::make_unique<server_session>(config)
                               : std::make_unique<server_session>(config, discard_);
        server_session& session = *made;

        if (connections_.size() > options_.max_connections) {
            log("event=overloaded session=" + std::to_string(id)
                + " open_connections=" + std::to_string(connections_.size()));
            session.start_overloaded();
        } else {
            session.start();
        }
        // The client waits for each reply (or group of replies) before it
        // goes on: a small write must not wait for Nagle's algorithm.
        c.socket.set_option(tcp::no_delay(true), ec);
        // read() must never block the event loop, even on a spurious wake.
        c.socket.non_blocking(true, ec);
        while (true) {
            while (session.store_due()) {
                // Off the event loop; other sessions go on meanwhile.
                session.stored(co_await commit(session.take_message()));
            }
            // RFC 2920 3.2: the replies to everything one read held go out in
            // one write, as soon as that input is used up.
            const std::string out = session.take_output();
            trace(session.take_trace());
            if (!out.empty()) {
                const asio::error_code wec = co_await write(c, out);
                if (wec) {
                    session.peer_closed();
                    break;
                }
            }
            if (session.closed()) {
                break;
            }
            if (stopping_) {
                session.shutting_down();
                continue;
            }
            if (session.tls_handshake_due()) {
                if (options_.session.script && options_.session.script->tls_failure) {
                    // Scripted TLS failure: the connection ends where the
                    // handshake would begin (RFC 3207 4: the client decides).
                    log("event=tls_failed session=" + std::to_string(id) + " error=scripted");
                    session.peer_closed();
                    break;
                }
                if (!co_await handshake(c, id)) {
                    session.peer_closed();
                    break;
                }
                session.tls_established(describe(*c.tls));
                continue;
            }
            c.arm(options_.idle_timeout);
            auto [rec, n] = co_await read(c);
            c.timer.cancel();
            if (rec) {
                if (c.timed_out) {
                    session.timed_out();
                    continue;
                }
                if (stopping_) {
                    continue;
                }
                session.peer_closed();
                trace(session.take_trace());
                break;
            }
            session.feed(std::string_view{c.tls ? c.tls_buffer->data() : read_buffer_.data(), n});
        }
        trace(session.take_trace());
        if (c.tls && !c.timed_out) {
            // Our close_notify; the peer's answer is awaited briefly at most.
            c.arm(std::chrono::seconds{2});
            co_await c.tls->async_shutdown(no_throw);
            c.timer.cancel();
        }
        c.socket.shutdown(tcp::socket::shutdown_both, ec);
        c.socket.close(ec);
        log("event=close session=" + std::to_string(id)
            + " state=" + model::to_string(session.state().at));
        connections_.erase(it);
    }

    /// Reads what the client sent. In clear, an idle session holds no
    /// buffer: it waits until the socket is readable, then reads into the
    /// server's one buffer (one thread runs every session). Under TLS the
    /// session's own buffer is used, made at the handshake.
    asio::awaitable<std::tuple<asio::error_code, std::size_t>> read(connection& c)
    {
        if (c.tls) {
            co_return co_await c.tls->async_read_some(asio::buffer(*c.tls_buffer), no_throw);
        }
        while (true) {
            auto [ec] = co_await c.socket.async_wait(tcp::socket::wait_read, no_throw);
            if (ec) {
                co_return std::tuple{ec, std::size_t{0}};
            }
            asio::error_code rec;
            const std::size_t n = c.socket.read_some(asio::buffer(read_buffer_), rec);
            if (rec == asio::error::would_block || rec == asio::error::try_again) {
                continue;
            }
            co_return std::tuple{rec, n};
        }
    }

    /// Hands a message to the group commit and waits, without blocking the
    /// event loop, for its completion, posted back from the committer thread.
    asio::awaitable<store_result> commit(accepted_message message)
    {
        struct waiter
        {
            explicit waiter(asio::io_context& io) : wake(io) {}
            asio::steady_timer wake;
            std::optional<store_result> result;
        };
        auto w = std::make_shared<waiter>(io_);
        w->wake.expires_at(asio::steady_timer::time_point::max());
        committer_->submit(std::move(message), [w, &io = io_](store_result r) {
            asio::post(io, [w, r = std::move(r)]() mutable {
                w->result = std::move(r);
                w->wake.cancel();
            });
        });
        while (!w->result) {
            co_await w->wake.async_wait(no_throw);
        }
        co_return std::move(*w->result);
    }

    /// RFC 3207 4: the server side of the TLS handshake after a 220 to STARTTLS.
    asio::awaitable<bool> handshake(connection& c, std::uint64_t id)
    {
        c.tls = std::make_unique<tls_stream>(c.socket, *tls_context_);
        c.tls_buffer = std::make_unique<std::array<char, 16 * 1024>>();
        c.arm(handshake_timeout);
        auto [ec] = co_await c.tls->async_handshake(asio::ssl::stream_base::server, no_throw);
        c.timer.cancel();
        if (ec) {
            log("event=tls_failed session=" + std::to_string(id) + " error=\"" + ec.message()
                + "\"");
            co_return false;
        }
        log("event=tls session=" + std::to_string(id) + " cipher=\"" + describe(*c.tls) + "\"");
        co_return true;
    }

    asio::io_context& io_;
    const server_options& options_;
    std::unique_ptr<maildir_store> maildir_;
    std::unique_ptr<maildir_committer> committer_;  // Stopped before maildir_ goes.
    discard_store discard_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    host_port bound_;
    tls_files tls_files_;
    std::unique_ptr<asio::ssl::context> tls_context_;
    std::list<std::unique_ptr<connection>> connections_;
    std::array<char, 64 * 1024> read_buffer_{};  // Every session's reads in clear.
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
    s.report_commits();
    return 0;
}

}  // namespace smtpspec::reference::net
