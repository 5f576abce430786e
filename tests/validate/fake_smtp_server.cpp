// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "fake_smtp_server.hpp"

#include <asio/buffer.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <istream>
#include <thread>

namespace smtpspec::validate::test
{

namespace
{
std::string upper_verb(std::string_view line)
{
    std::string v;
    for (const char c : line) {
        if (c == ' ' || c == '\r' || c == '\n') {
            break;
        }
        v += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return v;
}

/** One connection: greeting, then line, reply, line, reply... */
class connection : public std::enable_shared_from_this<connection>
{
public:
    connection(asio::ip::tcp::socket socket, const fake_script& script,
               const std::string& line_end)
        : socket_(std::move(socket))
        , script_(script)
        , line_end_(line_end)
    {
    }

    void start(const std::string& greeting, bool close_at_once)
    {
        if (close_at_once) {
            std::error_code ignored;
            socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            socket_.close(ignored);
        } else if (greeting.empty()) {
            read();
        } else {
            send(greeting);
        }
    }

private:
    void send(std::string octets)
    {
        auto self = shared_from_this();
        auto data = std::make_shared<std::string>(std::move(octets));
        asio::async_write(socket_, asio::buffer(*data), [self, data](std::error_code ec, auto) {
            if (ec) {
                return;
            }
            if (self->session_.close) {
                std::error_code ignored;
                self->socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
                self->socket_.close(ignored);
                return;
            }
            self->read();
        });
    }

    void read()
    {
        auto self = shared_from_this();
        // Lines end at line_end_: CRLF (2.3.8) unless a faulty server is played.
        asio::async_read_until(socket_, buffer_, line_end_, [self](std::error_code ec, std::size_t n) {
            if (ec) {
                return;
            }
            std::string line(n, '\0');
            std::istream in{&self->buffer_};
            in.read(line.data(), static_cast<std::streamsize>(n));
            std::string reply = self->script_(line, self->session_);
            if (reply.empty() && !self->session_.close) {
                self->read();
            } else {
                self->send(std::move(reply));
            }
        });
    }

    asio::ip::tcp::socket socket_;
    asio::streambuf buffer_{64 * 1024};
    const fake_script& script_;
    const std::string& line_end_;
    fake_session session_;
};
}  // namespace

std::string conforming_script(std::string_view line, fake_session& s)
{
    if (s.in_data) {
        if (line == ".\r\n") {
            s.in_data = false;
            s.mail = false;
            s.recipients = 0;
            return "250 2.0.0 queued\r\n";
        }
        return {};
    }
    const std::string verb = upper_verb(line);
    const bool bare = line.size() == verb.size() + 2 || line == verb + " \r\n";
    const auto body = line.substr(0, line.size() - 2);
    if (body.find_first_of("\r\n") != std::string_view::npos) {
        return "500 5.5.2 bare CR or LF in a command\r\n";
    }
    if (line.size() > 512) {
        return "500 5.5.2 line too long\r\n";
    }
    if ((verb == "EHLO" || verb == "HELO") && bare) {
        return "501 5.5.4 a domain is required\r\n";
    }
    if (verb == "EHLO" && !bare) {
        s = fake_session{};
        s.greeted = true;
        return "250-fake.example.org greets you\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n";
    }
    if (verb == "HELO" && !bare) {
        s = fake_session{};
        s.greeted = true;
        return "250 fake.example.org\r\n";
    }
    if (verb == "NOOP") {
        return "250 2.0.0 OK\r\n";
    }
    if (verb == "RSET") {
        if (!bare) {
            return "501 5.5.4 RSET takes no argument\r\n";
        }
        s.mail = false;
        s.recipients = 0;
        return "250 2.0.0 OK\r\n";
    }
    if (verb == "QUIT") {
        s.close = true;
        return "221 2.0.0 bye\r\n";
    }
    if (verb == "MAIL") {
        if (!s.greeted || s.mail) {
            return "503 5.5.1 bad sequence of commands\r\n";
        }
        if (line.find(';') != std::string_view::npos || line.find("FROM:<") == line.npos) {
            return "501 5.1.7 bad reverse-path\r\n";
        }
        s.mail = true;
        return "250 2.1.0 OK\r\n";
    }
    if (verb == "RCPT") {
        if (!s.mail) {
            return "503 5.5.1 need MAIL first\r\n";
        }
        if (line.find("TO:<>") != std::string_view::npos) {
            return "501 5.1.3 a forward-path needs a mailbox\r\n";
        }
        ++s.recipients;
        return "250 2.1.5 OK\r\n";
    }
    if (verb == "DATA") {
        if (!s.mail || s.recipients == 0) {
            return "503 5.5.1 need RCPT first\r\n";
        }
        s.in_data = true;
        return "354 end with <CRLF>.<CRLF>\r\n";
    }
    return "500 5.5.2 command not recognized\r\n";
}

struct fake_smtp_server::impl
{
    impl(fake_script s, const std::string& address)
        : script(std::move(s))
        , acceptor(io, asio::ip::tcp::endpoint{asio::ip::make_address(address), 0})
    {
    }

    void accept()
    {
        acceptor.async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
            if (ec) {
                return;
            }
            auto c = std::make_shared<connection>(std::move(socket), script, line_end);
            c->start(greeting, close_at_once);
            accept();
        });
    }

    fake_script script;
    std::string greeting;
    std::string line_end;
    bool close_at_once = false;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor;
    std::thread thread;
};

fake_smtp_server::fake_smtp_server(fake_script script, std::string greeting,
                                   const std::string& address, std::string line_end,
                                   bool close_at_once)
    : impl_(std::make_unique<impl>(std::move(script), address))
{
    impl_->greeting = std::move(greeting);
    impl_->line_end = std::move(line_end);
    impl_->close_at_once = close_at_once;
    impl_->accept();
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

fake_smtp_server::~fake_smtp_server()
{
    impl_->io.stop();
    impl_->thread.join();
}

std::uint16_t fake_smtp_server::port() const noexcept
{
    return impl_->acceptor.local_endpoint().port();
}

}  // namespace smtpspec::validate::test
