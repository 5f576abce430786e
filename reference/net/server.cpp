// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/server.hpp"

#include "reference/maildir.hpp"
#include "reference/maildir_committer.hpp"
#include "reference/whole_file.hpp"

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl.hpp>
#include <openssl/ssl.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

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
/// Pause before accepting again after an accept failed (no descriptor left).
constexpr std::chrono::milliseconds accept_retry{100};

/// One live connection; the server keeps them to close them on shutdown.
struct connection
{
    explicit connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    /// Cancels the socket's operations if they are still pending after d.
    /// The timer is lazy: a later deadline than the one it waits for is
    /// only noted (the timer, when it fires, waits on for the rest), so a
    /// session's commands and replies cost no timer operation each.
    void arm(std::chrono::steady_clock::duration d)
    {
        timed_out = false;
        deadline = std::chrono::steady_clock::now() + d;
        if (!waiting || deadline < timer.expiry()) {
            wait_until(deadline);
        }
    }

    /// The operation armed for ended in time.
    void disarm() { deadline = std::chrono::steady_clock::time_point::max(); }

    tcp::socket socket;
    /// What a read in clear fills first: a command line fits, so does a
    /// pipelined group of short ones (RFC 2920); more goes on into the
    /// server's one big buffer.
    std::array<char, 1024> first{};
    std::unique_ptr<tls_stream> tls;  ///< Set once STARTTLS has begun.
    /// What a TLS read fills; made with the TLS stream.
    std::unique_ptr<std::array<char, 16 * 1024>> tls_buffer;
    asio::steady_timer timer;
    bool timed_out = false;

private:
    void wait_until(std::chrono::steady_clock::time_point at)
    {
        waiting = true;
        timer.expires_at(at);
        timer.async_wait([this](const asio::error_code& ec) {
            if (ec) {
                return;  // Re-armed earlier, or the connection is gone.
            }
            waiting = false;
            if (deadline == std::chrono::steady_clock::time_point::max()) {
                return;  // Nothing armed now.
            }
            if (std::chrono::steady_clock::now() < deadline) {
                wait_until(deadline);  // Armed again since: wait for the rest.
                return;
            }
            timed_out = true;
            socket.cancel();
        });
    }

    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    bool waiting = false;  // timer has a wait pending.
};

/// "TLSv1.3 TLS_AES_256_GCM_SHA384": what the trace and Received show.
std::string describe(tls_stream& s)
{
    const SSL* ssl = s.native_handle();
    return std::string{SSL_get_version(ssl)} + " " + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
}

/// The most octets a configured certificate chain or key file may hold.
constexpr std::size_t max_pem_octets = std::size_t{1} << 20;

/// A file that must be there and readable before OpenSSL is asked to load it.
void check_readable(setting which, const std::filesystem::path& file)
{
    // Read through once, bounded, before OpenSSL and the passphrase check
    // read it without a bound: /dev/zero as a key took 16 GiB and two
    // minutes, deaf to SIGTERM, before it was refused. The same read finds
    // a folder, which OpenSSL would report as "no start line".
    std::string pem;
    const std::error_code read = read_whole_file(file, max_pem_octets, pem);
    if (read == std::errc::is_a_directory) {
        throw startup_error(which, file.string(), "cannot read it",
                            "it is a folder, not a PEM file", startup_fault::folder);
    }
    if (read == std::errc::file_too_large) {
        throw startup_error(which, file.string(), "cannot read it",
                            "it holds more than " + std::to_string(max_pem_octets)
                                + " octets, more than any PEM certificate chain or key");
    }
    if (read) {
        throw startup_error(which, file.string(), "cannot read it", read.message());
    }
}

/// The settings that name files, checked before anything is bound or made
/// (and before the listening line, which a server that cannot start must
/// not log): the configured certificate and key must be readable files, the
/// ready file no folder. This is the one check of them; the command line
/// words a folder's failure as its own (startup_fault::folder).
void check_files(const server_options& options)
{
    const tls_files& pair = options.tls.configured;
    if (options.tls.enabled && options.session.profile.starttls
        && (!pair.certificate.empty() || !pair.private_key.empty())) {
        check_readable(setting::tls_certificate, pair.certificate);
        check_readable(setting::tls_key, pair.private_key);
    }
    std::error_code ec;
    if (!options.ready_file.empty() && std::filesystem::is_directory(options.ready_file, ec)) {
        throw startup_error(setting::ready_file, options.ready_file.string(), "cannot write it",
                            "it is a folder, not a file", startup_fault::folder);
    }
}

/// What the server offers at STARTTLS and where it came from.
struct tls_source
{
    std::unique_ptr<asio::ssl::context> context;
    std::string origin;  ///< The certificate's file, or "in-memory".
};

std::unique_ptr<asio::ssl::context> new_tls_context()
{
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                     | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                     | asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    return ctx;
}

/// True when the PEM file holds a private key protected by a passphrase.
bool encrypted_key(const std::filesystem::path& file)
{
    std::ifstream in{file, std::ios::binary};
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
            || line.starts_with("Proc-Type: 4,ENCRYPTED")) {
            return true;
        }
    }
    return false;
}

tls_source tls_from_files(const tls_files& files)
{
    tls_source tls{new_tls_context(), files.certificate.string()};
    // Never ask for a passphrase on the terminal: a server has nobody to ask.
    tls.context->set_password_callback(
        [](std::size_t, asio::ssl::context::password_purpose) { return std::string{}; });
    if (encrypted_key(files.private_key)) {
        throw startup_error(setting::tls_key, files.private_key.string(),
                            "cannot load a PEM private key for the certificate",
                            "it is protected by a passphrase; give the key unencrypted "
                            "(readable by the server's user only)");
    }
    asio::error_code ec;
    tls.context->use_certificate_chain_file(files.certificate.string(), ec);
    if (ec) {
        throw startup_error(setting::tls_certificate, files.certificate.string(),
                            "cannot load a PEM certificate chain", ec.message());
    }
    tls.context->use_private_key_file(files.private_key.string(), asio::ssl::context::pem, ec);
    if (ec) {
        throw startup_error(setting::tls_key, files.private_key.string(),
                            "cannot load a PEM private key for the certificate", ec.message());
    }
    return tls;
}

/// The certificate to offer: the configured pair, or a self-signed one kept
/// in memory or in tls.directory.
tls_source make_tls(const tls_options& tls, const std::string& hostname)
{
    if (!tls.configured.certificate.empty() || !tls.configured.private_key.empty()) {
        return tls_from_files(tls.configured);  // Readable files (check_files).
    }
    const std::string where = tls.in_memory ? "in-memory" : tls.directory.string();
    tls_files files;
    tls_pem pem;
    try {
        if (tls.in_memory) {
            pem = make_self_signed_certificate(hostname);
        } else {
            files = ensure_self_signed_certificate(tls.directory, hostname);
        }
    } catch (const std::filesystem::filesystem_error& e) {
        throw startup_error(setting::tls_directory, e.path1().string(),
                            "cannot make the self-signed certificate", e.code().message());
    } catch (const std::runtime_error& e) {
        throw startup_error(setting::tls_directory, where,
                            "cannot make the self-signed certificate", e.what());
    }
    if (!tls.in_memory) {
        return tls_from_files(files);  // A failure to load names the file.
    }
    tls_source made{new_tls_context(), where};
    asio::error_code ec;
    made.context->use_certificate_chain(asio::buffer(pem.certificate), ec);
    if (!ec) {
        made.context->use_private_key(asio::buffer(pem.private_key), asio::ssl::context::pem, ec);
    }
    if (ec) {
        throw startup_error(setting::tls_directory, where,
                            "cannot load the self-signed certificate", ec.message());
    }
    return made;
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
        check_files(options);
        listen(options.listen);
        // The Maildir first: the certificate's default folder is beside it,
        // so a Maildir that cannot be made is reported as the Maildir's
        // fault, not as that of a --tls-dir nobody gave.
        if (options.store == storage::maildir) {
            try {
                maildir_ = std::make_unique<maildir_store>(options.maildir, options.flush);
            } catch (const std::filesystem::filesystem_error& e) {
                throw startup_error(setting::maildir, options.maildir.string(),
                                    "cannot create its folders tmp/, new/ and cur/ ("
                                        + e.path1().string() + ")",
                                    e.code().message());
            }
            committer_ = std::make_unique<maildir_committer>(*maildir_, options.session.hostname);
        }
        if (options.tls.enabled && options.session.profile.starttls) {
            tls_source tls = make_tls(options.tls, options.session.hostname);
            tls_context_ = std::move(tls.context);
            tls_origin_ = std::move(tls.origin);
        }
        signals_.async_wait([this](const asio::error_code& ec, int signal) {
            if (!ec) {
                stop(signal);
            }
        });
    }

    void start()
    {
        // The ready file is written first and moved into place last: a
        // start-up failure logs no "listening", and whoever waits for the
        // file finds the listening line already written.
        const auto ready = options_.ready_file.empty() ? std::optional<ready_plan>{}
                                                       : std::optional{write_ready_tmp()};
        log("event=listening address=" + bound_.str() + " store="
            + (committer_ ? "maildir maildir=" + log_quoted(options_.maildir.string())
                    + " group_flush="
                    + (options_.flush == group_flush::per_file ? "per-file" : "file-system")
                          : std::string{"discard warning=\"accepted mail is not kept\""})
            + " profile=" + std::string{options_.session.profile.name}
            + " max_connections=" + std::to_string(options_.max_connections)
            + " max_buffered=" + std::to_string(options_.max_buffered) + " tls="
            + (tls_context_ ? log_quoted(tls_origin_) : std::string{"off"}));
        if (options_.on_flush) {
            options_.on_flush();
        }
        if (ready) {
            publish_ready_file(*ready);
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
    void listen(const host_port& where)
    {
        const auto fail = [&](const char* problem, const asio::error_code& ec) {
            throw startup_error(setting::listen, where.str(), problem, ec.message());
        };
        asio::error_code ec;
        const auto address = asio::ip::make_address(where.host, ec);
        if (ec) {
            fail("not a numeric IPv4 or IPv6 address", ec);
        }
        const tcp::endpoint endpoint{address, where.port};
        acceptor_.open(endpoint.protocol(), ec);
        if (ec) {
            fail("cannot open a socket", ec);
        }
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
        acceptor_.bind(endpoint, ec);
        if (ec) {
            fail("cannot bind to it", ec);
        }
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            fail("cannot listen on it", ec);
        }
        bound_ = host_port{acceptor_.local_endpoint().address().to_string(),
                           acceptor_.local_endpoint().port()};
    }

    /// How the ready file's line is written. A regular file (or a new one)
    /// is written under a temporary name and renamed, so a reader never sees
    /// a partial address; through a symbolic link, the file it names is
    /// replaced and the link stays. Anything else (a device, a pipe such as
    /// /dev/stdout) is written into directly: renaming over it would replace
    /// it.
    struct ready_plan
    {
        std::filesystem::path target;  // What is renamed over or written into.
        std::string tmp;               // The temporary file; empty: written directly.
    };

    /// Writes "ADDR:PORT" to the ready file's temporary name, unless the
    /// ready file is written into directly (publish_ready_file).
    [[nodiscard]] ready_plan write_ready_tmp() const
    {
        const auto& path = options_.ready_file;
        const std::string file = path.string();
        std::error_code ec;
        // Follows links. A folder was refused at start (check_files).
        const auto st = std::filesystem::status(path, ec);
        if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
            return {path, {}};
        }
        ready_plan plan{path, {}};
        if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
            plan.target = std::filesystem::weakly_canonical(path, ec);
        }
        plan.tmp = plan.target.string() + ".tmp";
        std::ofstream out{plan.tmp};
        if (!out.is_open()) {
            throw startup_error(setting::ready_file, file,
                                "cannot create the temporary file " + plan.tmp,
                                std::strerror(errno));
        }
        out << bound_.str() << '\n';
        out.close();
        if (!out) {
            throw startup_error(setting::ready_file, file, "cannot write " + plan.tmp,
                                std::strerror(errno));
        }
        return plan;
    }

    /// Moves the written temporary file over the ready file, or writes the
    /// line into a ready file that is no regular file.
    void publish_ready_file(const ready_plan& plan) const
    {
        const std::string file = options_.ready_file.string();
        if (plan.tmp.empty()) {
            std::ofstream out{plan.target};
            out << bound_.str() << '\n';
            out.close();
            if (!out) {
                throw startup_error(setting::ready_file, file, "cannot write it",
                                    std::strerror(errno));
            }
            return;
        }
        std::error_code ec;
        std::filesystem::rename(plan.tmp, plan.target, ec);
        if (ec) {
            const std::string reason = ec.message();
            std::filesystem::remove(plan.tmp, ec);
            throw startup_error(setting::ready_file, file, "cannot rename " + plan.tmp + " to it",
                                reason);
        }
    }

    void log(const std::string& line, std::string_view level = "info") const
    {
        if (options_.on_log) {
            options_.on_log(level, line);
            flush_soon();
        }
    }

    /// One event per message committed to the Maildir, or failed (6.1).
    void log_store(std::uint64_t id, const store_result& r, std::size_t octets,
                   std::size_t recipients) const
    {
        const std::string session = "session=" + std::to_string(id);
        if (r.ok) {
            log("event=stored " + session + " file=" + r.id + " size=" + std::to_string(octets)
                + " recipients=" + std::to_string(recipients));
        } else {
            warn("event=store_failed " + session + " path=" + log_quoted(r.path)
                + " error=" + log_quoted(r.error.empty() ? r.id : r.error)
                + " size=" + std::to_string(octets) + " recipients=" + std::to_string(recipients));
        }
    }

    /// A line at level warning: something an operator should look at.
    void warn(const std::string& line) const { log(line, "warning"); }

    /// Output of this turn of the event loop goes out at its end, together.
    void flush_soon() const
    {
        if (options_.on_flush && !flush_posted_) {
            flush_posted_ = true;
            asio::post(io_, [this] {
                flush_posted_ = false;
                options_.on_flush();
            });
        }
    }

    void trace(std::vector<trace_event> events) const
    {
        if (options_.on_trace) {
            for (const auto& e : events) {
                options_.on_trace(e);
            }
            if (!events.empty()) {
                flush_soon();
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
        std::size_t sent = 0;
        if (!c.tls) {
            // A reply nearly always fits in the socket's buffer: written at
            // once, it needs no wait and no trip through the event loop.
            asio::error_code now;
            sent = c.socket.write_some(asio::buffer(out), now);
            if (now && now != asio::error::would_block && now != asio::error::try_again) {
                co_return now;
            }
            if (sent == out.size()) {
                co_return asio::error_code{};
            }
        }
        c.arm(write_timeout);
        const auto rest = asio::buffer(out.data() + sent, out.size() - sent);
        auto [ec, n] = c.tls ? co_await asio::async_write(*c.tls, rest, no_throw)
                             : co_await asio::async_write(c.socket, rest, no_throw);
        c.disarm();
        co_return ec;
    }

    asio::awaitable<void> accept_loop()
    {
        while (!stopping_) {
            // The peer's address comes with the accept (no getpeername).
            tcp::endpoint peer;
            auto [ec, socket] = co_await acceptor_.async_accept(peer, no_throw);
            if (ec) {
                if (stopping_) {
                    break;
                }
                // Out of descriptors (EMFILE, ENFILE) or memory, the error
                // stays until a connection ends: retrying at once would spin
                // and log without end. One line per streak of failures,
                // then a pause before each retry.
                if (accept_failures_++ == 0) {
                    warn("event=accept_error error=" + log_quoted(ec.message())
                        + " open_connections=" + std::to_string(connections_.size())
                        + " retry_ms=" + std::to_string(accept_retry.count()));
                }
                asio::steady_timer pause{io_, accept_retry};
                co_await pause.async_wait(no_throw);
                continue;
            }
            if (accept_failures_ > 0) {
                log("event=accept_resumed failed_attempts=" + std::to_string(accept_failures_));
                accept_failures_ = 0;
            }
            const std::uint64_t id = ++sessions_;
            connections_.push_back(std::make_unique<connection>(std::move(socket)));
            auto it = std::prev(connections_.end());
            asio::co_spawn(io_, serve(id, it, peer.address().to_string()), asio::detached);
        }
    }

    asio::awaitable<void> serve(std::uint64_t id, std::list<std::unique_ptr<connection>>::iterator it,
                                std::string peer_text)
    {
        connection& c = **it;
        asio::error_code ec;
        log("event=connect session=" + std::to_string(id) + " peer=" + peer_text);

        server_config config = options_.session;
        config.session_id = id;
        config.peer_address = peer_text;
        config.tls_available = tls_context_ != nullptr;
        config.budget = budget_;
        // Durable: the session hands each message out and its 250 waits for
        // the group commit; discard: stored at once.
        auto made = committer_ ? std::make_unique<server_session>(config)
                               : std::make_unique<server_session>(config, discard_);
        server_session& session = *made;

        if (connections_.size() > options_.max_connections) {
            warn("event=overloaded session=" + std::to_string(id)
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
        // 4.5.3.2.7: the idle timeout runs from the last reply (the last
        // complete command) or the last octets of mail data: a client that
        // drips a command line octet by octet does not hold its slot longer.
        auto idle_until = std::chrono::steady_clock::now() + options_.idle_timeout;
        while (true) {
            while (session.store_due()) {
                // Off the event loop; other sessions go on meanwhile.
                accepted_message message = session.take_message();
                const std::size_t octets = message.data.size();
                const std::size_t recipients = message.env.recipients.size();
                const store_result result = co_await commit(std::move(message));
                log_store(id, result, octets, recipients);
                session.stored(result);
            }
            // RFC 2920 3.2: the replies to everything one read held go out in
            // one write, as soon as that input is used up.
            const std::string out = session.take_output();
            trace(session.take_trace());
            for (const memory_refusal& r : session.take_memory_refusals()) {
                // What the operator must see: mail turned away for memory.
                warn("event=refused_for_memory session=" + std::to_string(id) + " reply=452"
                     + " max_buffered=" + std::to_string(r.limit)
                     + " held=" + std::to_string(r.held));
            }
            if (!out.empty()) {
                const asio::error_code wec = co_await write(c, out);
                if (wec) {
                    session.peer_closed();
                    break;
                }
                idle_until = std::chrono::steady_clock::now() + options_.idle_timeout;
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
                    warn("event=tls_failed session=" + std::to_string(id) + " error=scripted");
                    session.tls_failed("scripted tls-failure");
                    break;
                }
                if (const auto failed = co_await handshake(c, id); !failed.empty()) {
                    session.tls_failed(failed);
                    break;
                }
                session.tls_established(describe(*c.tls));
                continue;
            }
            c.arm(std::max<std::chrono::steady_clock::duration>(
                idle_until - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration{}));
            auto [rec, input] = co_await read(c);
            c.disarm();
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
            if (session.reading_data()) {
                idle_until = std::chrono::steady_clock::now() + options_.idle_timeout;
            }
            session.feed(input);
        }
        trace(session.take_trace());
        if (c.tls && !c.timed_out) {
            // Our close_notify; the peer's answer is awaited briefly at most.
            c.arm(std::chrono::seconds{2});
            co_await c.tls->async_shutdown(no_throw);
            c.disarm();
        }
        // close() alone sends the FIN (a shutdown first would add a system
        // call per session, failing whenever the client closed first).
        c.socket.close(ec);
        log("event=close session=" + std::to_string(id)
            + " state=" + model::to_string(session.state().at));
        connections_.erase(it);
    }

    /// Reads what the client sent. In clear, a session waits with a read
    /// into its own 1 KiB buffer (the socket stays registered as it is: no
    /// epoll_ctl per command); when that fills up, what else is there is
    /// read at once into the server's one buffer (one thread runs every
    /// session), behind a copy of it. Under TLS the session's own buffer is
    /// used, made at the handshake.
    asio::awaitable<std::tuple<asio::error_code, std::string_view>> read(connection& c)
    {
        if (c.tls) {
            auto [ec, n] = co_await c.tls->async_read_some(asio::buffer(*c.tls_buffer), no_throw);
            co_return std::tuple{ec, std::string_view{c.tls_buffer->data(), n}};
        }
        auto [ec, n] = co_await c.socket.async_read_some(asio::buffer(c.first), no_throw);
        if (ec || n < c.first.size()) {
            co_return std::tuple{ec, std::string_view{c.first.data(), n}};
        }
        std::memcpy(read_buffer_.data(), c.first.data(), n);
        asio::error_code more;
        const std::size_t m
            = c.socket.read_some(asio::buffer(read_buffer_.data() + n, read_buffer_.size() - n), more);
        // Nothing more yet (would_block), or an error or end that the next
        // read reports: what was read so far is handed on either way.
        co_return std::tuple{asio::error_code{}, std::string_view{read_buffer_.data(), n + (more ? 0 : m)}};
    }

    /// Hands a message to the group commit and waits, without blocking the
    /// event loop, for its completion, posted back from the committer thread.
    asio::awaitable<store_result> commit(accepted_message message)
    {
        auto w = std::make_shared<commit_waiter>(io_);
        w->wake.expires_at(asio::steady_timer::time_point::max());
        committer_->submit(std::move(message), [this, w](store_result r) {
            bool first = false;
            {
                const std::lock_guard lock{done_.mutex};
                first = done_.ready.empty();
                done_.ready.emplace_back(w, std::move(r));
            }
            // One wake-up of the event loop for a whole group's 250s.
            if (first) {
                asio::post(io_, [this] { wake_committed(); });
            }
        });
        while (!w->result) {
            co_await w->wake.async_wait(no_throw);
        }
        co_return std::move(*w->result);
    }

    /// On the event loop: hands every result posted so far to its session.
    void wake_committed()
    {
        std::vector<std::pair<std::shared_ptr<commit_waiter>, store_result>> ready;
        {
            const std::lock_guard lock{done_.mutex};
            ready.swap(done_.ready);
        }
        for (auto& [w, r] : ready) {
            w->result = std::move(r);
            w->wake.cancel();
        }
    }

    /// RFC 3207 4: the server side of the TLS handshake after a 220 to STARTTLS.
    /// @return empty when the handshake worked, else why it failed.
    asio::awaitable<std::string> handshake(connection& c, std::uint64_t id)
    {
        c.tls = std::make_unique<tls_stream>(c.socket, *tls_context_);
        c.tls_buffer = std::make_unique<std::array<char, 16 * 1024>>();
        // A client that goes silent after the 220 holds its slot no longer
        // than a silent one would (--idle-timeout), and at most 60 s.
        c.arm(std::min<std::chrono::steady_clock::duration>(handshake_timeout,
                                                             options_.idle_timeout));
        auto [ec] = co_await c.tls->async_handshake(asio::ssl::stream_base::server, no_throw);
        c.disarm();
        if (ec) {
            const std::string why = c.timed_out ? std::string{"timed out"} : ec.message();
            warn("event=tls_failed session=" + std::to_string(id) + " error=" + log_quoted(why));
            co_return why;
        }
        log("event=tls session=" + std::to_string(id) + " cipher=\"" + describe(*c.tls) + "\"");
        co_return std::string{};
    }

    /// A session waiting for its message's group commit.
    struct commit_waiter
    {
        explicit commit_waiter(asio::io_context& io) : wake(io) {}
        asio::steady_timer wake;
        std::optional<store_result> result;
    };

    asio::io_context& io_;
    const server_options& options_;
    /// Results from the committer thread not yet taken by the event loop;
    /// declared before committer_, which may still add to it as it stops.
    struct
    {
        std::mutex mutex;
        std::vector<std::pair<std::shared_ptr<commit_waiter>, store_result>> ready;
    } done_;
    std::unique_ptr<maildir_store> maildir_;
    std::unique_ptr<maildir_committer> committer_;  // Stopped before maildir_ goes.
    discard_store discard_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    host_port bound_;
    // The memory for mail data all sessions share.
    std::shared_ptr<data_budget> budget_ = std::make_shared<data_budget>(options_.max_buffered);
    std::string tls_origin_;  // The certificate's file, or "in-memory".
    std::unique_ptr<asio::ssl::context> tls_context_;
    std::list<std::unique_ptr<connection>> connections_;
    std::array<char, 64 * 1024> read_buffer_{};  // Every session's reads in clear.
    std::uint64_t sessions_ = 0;
    bool stopping_ = false;
    mutable bool flush_posted_ = false;  // An on_flush call is queued.
    std::uint64_t accept_failures_ = 0;  // Failed accepts since the last one that worked.
};
}  // namespace

int run_server(const server_options& options)
{
    // However the server ends (a start-up error included), what it logged
    // and traced is written out.
    struct flush_at_end
    {
        const std::function<void()>& flush;
        ~flush_at_end()
        {
            if (flush) {
                flush();
            }
        }
    } const written{options.on_flush};
    asio::io_context io{1};
    server s{io, options};
    s.start();
    io.run();
    s.report_commits();
    return 0;
}

}  // namespace smtpspec::reference::net
