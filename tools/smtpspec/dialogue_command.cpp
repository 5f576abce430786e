// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// `smtpspec dialogue run FILE --server ADDR:PORT`: plays a dialogue script
// (docs/lint.md) against a server and checks every reply it expects.

#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include "lint/dialogue.hpp"
#include "lint/script.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace smtpspec::tools
{

namespace
{

struct dialogue_cli
{
    std::string file;
    std::string server;
    unsigned timeout = 10;  ///< Whole seconds, 1 to max_timeout_seconds.
    std::string record;
};

/// The longest --timeout, in seconds.
constexpr std::uint64_t max_timeout_seconds = 600;

/// The longest reply line read; a longer one fails the step (4.5.3.1.5 sets 512).
constexpr std::size_t max_reply_line = 64U * 1024U;

/// A failed expectation or a broken connection, with the script line.
struct step_failure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// The server could not be reached at all (exit 3, as for `probe`).
struct connect_failure : step_failure
{
    using step_failure::step_failure;
};

/// One TCP connection, plain or (after starttls) TLS, with bounded reads.
class connection
{
public:
    connection(const reference::net::host_port& to, unsigned timeout) : timeout_(timeout)
    {
        sockaddr_storage address{};
        socklen_t size = 0;
        auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
        if (inet_pton(AF_INET, to.host.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(to.port);
            size = sizeof *v4;
        } else if (inet_pton(AF_INET6, to.host.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(to.port);
            size = sizeof *v6;
        } else {
            throw step_failure("--server needs a numeric address, got " + to.host);
        }
        fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        timeval tv{static_cast<time_t>(timeout), 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0) {
            throw connect_failure("cannot connect to " + to.str() + ": " + std::strerror(errno));
        }
    }

    ~connection()
    {
        if (ssl_ != nullptr) {
            SSL_free(ssl_);
        }
        if (ctx_ != nullptr) {
            SSL_CTX_free(ctx_);
        }
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    void send(std::string_view octets)
    {
        while (!octets.empty()) {
            const long n = ssl_ != nullptr
                               ? SSL_write(ssl_, octets.data(), static_cast<int>(octets.size()))
                               : ::send(fd_, octets.data(), octets.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                throw step_failure("send failed: " + std::string(std::strerror(errno)));
            }
            octets.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    /// @return one line with its CRLF; empty when the server closed first.
    std::string read_line()
    {
        for (;;) {
            const std::size_t end = buffer_.find("\r\n");
            if (end != std::string::npos) {
                std::string line = buffer_.substr(0, end + 2);
                buffer_.erase(0, end + 2);
                return line;
            }
            if (buffer_.size() > max_reply_line) {
                throw step_failure("reply line over " + std::to_string(max_reply_line) + " octets");
            }
            if (!fill()) {
                std::string rest = std::move(buffer_);
                buffer_.clear();
                if (!rest.empty()) {
                    throw step_failure("the server closed in the middle of a line: " +
                                       lint::escape_line(rest));
                }
                return rest;
            }
        }
    }

    /// @return the octets the server sent before closing; throws on a timeout.
    std::string read_to_close()
    {
        while (fill()) {
        }
        std::string rest = std::move(buffer_);
        buffer_.clear();
        return rest;
    }

    /// @return octets already read and not consumed.
    [[nodiscard]] const std::string& buffered() const noexcept { return buffer_; }

    void start_tls()
    {
        ctx_ = SSL_CTX_new(TLS_client_method());
        ssl_ = ctx_ != nullptr ? SSL_new(ctx_) : nullptr;
        // The reference server's certificate is self-signed: the handshake is
        // tested, not the certificate chain.
        if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1 || SSL_connect(ssl_) != 1) {
            const char* reason = ERR_reason_error_string(ERR_get_error());
            throw step_failure(std::string("TLS handshake failed: ") +
                               (reason != nullptr ? reason : "no detail"));
        }
    }

private:
    /// @return false when the server closed; throws on a timeout or an error.
    bool fill()
    {
        char chunk[4096];
        const long n = ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof chunk)
                                       : ::recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0 || (ssl_ != nullptr &&
                       SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_ZERO_RETURN)) {
            return false;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            std::ostringstream text;
            text << "no reply within " << timeout_ << " s";
            throw step_failure(text.str());
        }
        if (errno == ECONNRESET) {
            return false;
        }
        throw step_failure("read failed: " + std::string(std::strerror(errno)));
    }

    int fd_ = -1;
    unsigned timeout_;
    std::string buffer_;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
};

/// Plays the steps; records what was said in the dialogue format.
class player
{
public:
    player(const reference::net::host_port& to, unsigned timeout, std::ostream& record)
        : to_(to), timeout_(timeout), record_(record)
    {}

    void play(const lint::step& s)
    {
        if (!conn_ && s.kind != lint::entry_kind::reconnect) {
            open();
        }
        switch (s.kind) {
        case lint::entry_kind::client:
            conn_->send(s.octets);
            for (std::string_view rest = s.octets; !rest.empty();) {
                const std::size_t end = rest.find("\r\n");
                const std::size_t n = end == std::string_view::npos ? rest.size() : end + 2;
                record_ << "C: " << lint::escape_line(rest.substr(0, n)) << '\n';
                rest.remove_prefix(n);
            }
            break;
        case lint::entry_kind::server: {
            const std::string line = reply_line();
            if (!lint::matches_line(s.octets, line)) {
                throw step_failure("expected S: " + lint::escape_line(s.octets) +
                                   "\n  got      S: " + lint::escape_line(line));
            }
            break;
        }
        case lint::entry_kind::expect_reply:
            expect_reply(s.code);
            break;
        case lint::entry_kind::expect_close: {
            const std::string rest = conn_->read_to_close();
            if (!rest.empty()) {
                throw step_failure("expected the server to close, got S: " +
                                   lint::escape_line(rest));
            }
            record_ << "expect close\n";
            conn_.reset();
            break;
        }
        case lint::entry_kind::starttls:
            if (!conn_->buffered().empty()) {
                // RFC 3207 4.2: nothing the server sent before the handshake may be used.
                throw step_failure("the server sent octets after its 220 and before the TLS "
                                   "handshake: S: " +
                                   lint::escape_line(conn_->buffered()));
            }
            conn_->start_tls();
            record_ << "starttls\n";
            break;
        case lint::entry_kind::reconnect:
            conn_.reset();
            record_ << "reconnect\n";
            open();
            break;
        }
    }

private:
    void open() { conn_ = std::make_unique<connection>(to_, timeout_); }

    std::string reply_line()
    {
        std::string line = conn_->read_line();
        if (line.empty()) {
            throw step_failure("the server closed the connection");
        }
        record_ << "S: " << lint::escape_line(line) << '\n';
        return line;
    }

    void expect_reply(const std::string& pattern)
    {
        for (;;) {
            const std::string line = reply_line();
            const bool digits = line.size() >= 5 &&
                                std::isdigit(static_cast<unsigned char>(line[0])) &&
                                std::isdigit(static_cast<unsigned char>(line[1])) &&
                                std::isdigit(static_cast<unsigned char>(line[2]));
            const int code = digits ? std::stoi(line.substr(0, 3)) : 0;
            if (!lint::matches_code(pattern, code)) {
                throw step_failure("expected a " + pattern +
                                   " reply, got S: " + lint::escape_line(line));
            }
            if (line[3] != '-') {
                return;
            }
        }
    }

    reference::net::host_port to_;
    unsigned timeout_;
    std::ostream& record_;
    std::unique_ptr<connection> conn_;
};

void run(const dialogue_cli& cli)
{
    const reference::net::host_port to = host_port_argument(cli.server, "--server");
    if (in6_addr any{}; inet_pton(AF_INET, to.host.c_str(), &any) != 1
                        && inet_pton(AF_INET6, to.host.c_str(), &any) != 1) {
        std::cerr << "smtpspec dialogue: --server needs a numeric address (127.0.0.1:2525 or "
                     "[::1]:2525), got \"" << to.host << "\"\n";
        throw CLI::RuntimeError(exit_usage);
    }
    std::string text;
    if (const std::string error = read_file(cli.file, text); !error.empty()) {
        std::cerr << "smtpspec dialogue: " << error << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
    auto parsed = lint::parse_script(text);
    if (auto* error = std::get_if<lint::format_error>(&parsed)) {
        std::cerr << "smtpspec dialogue: " << cli.file << ':' << error->line << ": "
                  << error->message << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
    std::ostringstream record;
    player p(to, cli.timeout, record);
    const auto steps = lint::plan(std::get<std::vector<lint::entry>>(parsed));
    int status = exit_ok;
    for (const lint::step& s : steps) {
        try {
            p.play(s);
        } catch (const connect_failure& e) {
            std::cerr << cli.file << ':' << s.line << ": " << e.what() << '\n';
            status = exit_connection;
            break;
        } catch (const step_failure& e) {
            std::cerr << cli.file << ':' << s.line << ": " << e.what() << '\n';
            status = exit_failed;
            break;
        }
    }
    if (!cli.record.empty()) {
        if (const std::string error = write_file(cli.record, record.str()); !error.empty()) {
            std::cerr << "smtpspec dialogue: " << error << '\n';
            throw CLI::RuntimeError(exit_usage);
        }
    }
    if (status != exit_ok) {
        std::cerr << "what was said:\n" << record.str();
        throw CLI::RuntimeError(status);
    }
    std::cout << cli.file << ": " << steps.size() << " steps passed\n";
}

}  // namespace

void add_dialogue_command(CLI::App& app)
{
    auto cli = std::make_shared<dialogue_cli>();
    CLI::App* dialogue = app.add_subcommand("dialogue", "Dialogue scripts (docs/lint.md)");
    dialogue->require_subcommand(1);
    CLI::App* sub = dialogue->add_subcommand(
        "run", "Play a dialogue script against a server and check every expected reply");
    sub->add_option("FILE", cli->file, "The dialogue script")->required();
    sub->add_option("--server", cli->server, "ADDR:PORT of the server (numeric address)")
        ->required();
    sub->add_option("--timeout", cli->timeout, "Seconds to wait for any reply")
        ->check(whole_number(1, max_timeout_seconds))
        ->capture_default_str();
    sub->add_option("--record", cli->record, "Write what was said to this file, as a transcript");
    sub->footer("Exit status: 0 every expectation met, 1 one was not, 2 bad arguments or "
                "script, 3 the server could not be reached.");
    sub->callback([cli] { run(*cli); });
}

}  // namespace smtpspec::tools
