// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/line_connection.hpp"
#include "validate/probe_config.hpp"
#include "validate/probe_session.hpp"

#include "fake_smtp_server.hpp"

#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

namespace smtpspec::validate
{

namespace
{
using namespace std::chrono_literals;
using test::fake_session;
using test::fake_smtp_server;

endpoint at(const fake_smtp_server& s) { return {"127.0.0.1", s.port()}; }
}  // namespace

TEST(ValidateLineConnection, ReadsMultiLineRepliesAndRecordsTheTranscript)
{
    const fake_smtp_server server{test::conforming_script};
    line_connection c{2000ms};
    std::error_code ec;
    c.connect(at(server), ec);
    ASSERT_FALSE(ec) << ec.message();
    const auto greeting = c.read_reply(ec);
    ASSERT_FALSE(ec);
    EXPECT_EQ(greeting.code(), 220);

    c.send_line("EHLO probe.example.net", ec);
    const auto ehlo = c.read_reply(ec);
    ASSERT_FALSE(ec);
    ASSERT_EQ(ehlo.lines.size(), 3U);
    EXPECT_EQ(ehlo.lines[2].octets, "250 SIZE 1000000\r\n");
    EXPECT_TRUE(ehlo.consistent_codes());

    c.send_line("QUIT", ec);
    EXPECT_EQ(c.read_reply(ec).code(), 221);
    EXPECT_TRUE(c.wait_for_close(ec));
    EXPECT_FALSE(c.is_open());

    const auto& log = c.log().entries();
    ASSERT_GE(log.size(), 8U);
    EXPECT_EQ(log[1].from, direction::server);
    EXPECT_EQ(log[2].octets, "EHLO probe.example.net\r\n");
    EXPECT_EQ(log[2].from, direction::client);
}

TEST(ValidateLineConnection, ConnectsOverIpv6Loopback)
{
    std::unique_ptr<fake_smtp_server> server;
    try {
        server = std::make_unique<fake_smtp_server>(test::conforming_script,
                                                    "220 six.example.org\r\n", "::1");
    } catch (const std::system_error& e) {
        GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
    }
    const auto target = parse_endpoint("[::1]:" + std::to_string(server->port()));
    ASSERT_TRUE(target.has_value());
    line_connection c{2000ms};
    std::error_code ec;
    c.connect(*target, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(c.read_reply(ec).code(), 220);
    EXPECT_EQ(c.log().entries().front().octets, "connected to " + target->str());
}

TEST(ValidateLineConnection, EveryReadTimesOut)
{
    const fake_smtp_server server{[](std::string_view, fake_session&) { return std::string{}; }};
    line_connection c{200ms};
    std::error_code ec;
    c.connect(at(server), ec);
    ASSERT_FALSE(ec);
    (void)c.read_reply(ec);
    c.send_line("NOOP", ec);
    const auto start = std::chrono::steady_clock::now();
    (void)c.read_reply(ec);
    EXPECT_EQ(ec, asio::error::timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ValidateLineConnection, DeadlineShortensTheReadTimeout)
{
    const fake_smtp_server server{test::conforming_script, ""};  // no greeting at all
    line_connection c{5000ms};
    std::error_code ec;
    c.connect(at(server), ec);
    ASSERT_FALSE(ec);
    c.set_deadline(std::chrono::steady_clock::now() + 150ms);
    const auto start = std::chrono::steady_clock::now();
    (void)c.read_reply(ec);
    EXPECT_EQ(ec, asio::error::timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

// A short poll for an early reply must not cut a reply that begins within
// it: the octets that came are the start of the reply, read whole with the
// usual timeout, not dropped (the rest would then be read from its middle).
// spec: 4.2.1 test
TEST(ValidateLineConnection, APollReadsAReplySplitAcrossWritesWhole)
{
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    std::thread server{[&] {
        asio::ip::tcp::socket s{io};
        acceptor.accept(s);
        std::error_code ec;
        asio::write(s, asio::buffer(std::string_view{"220 split.example\r\n"}), ec);
        std::this_thread::sleep_for(50ms);
        asio::write(s, asio::buffer(std::string_view{"250-par"}), ec);
        std::this_thread::sleep_for(400ms);  // Longer than the poll's wait.
        asio::write(s, asio::buffer(std::string_view{"t one\r\n250 two\r\n"}), ec);
        char c = 0;
        s.read_some(asio::buffer(&c, 1), ec);  // Until the client closes.
    }};
    probe_config config;
    config.target = endpoint{"127.0.0.1", acceptor.local_endpoint().port()};
    line_connection conn{2000ms};
    std::error_code ec;
    conn.connect(config.target, ec);
    ASSERT_FALSE(ec) << ec.message();
    probe_session session{conn, config};
    ASSERT_TRUE(session.read_greeting());
    bool failed = true;
    const auto reply = session.poll_reply(200ms, failed);
    conn.close();
    server.join();
    EXPECT_FALSE(failed);
    ASSERT_TRUE(reply.has_value()) << session.aborted().detail;
    ASSERT_EQ(reply->lines.size(), 2U);
    EXPECT_EQ(reply->lines[0].octets, "250-part one\r\n");
    EXPECT_EQ(reply->lines[1].octets, "250 two\r\n");
    EXPECT_EQ(reply->code(), 250);
}

TEST(ValidateLineConnection, ReportsTheServerClosing)
{
    const fake_smtp_server server{[](std::string_view, fake_session& s) {
        s.close = true;
        return std::string{};
    }};
    line_connection c{2000ms};
    std::error_code ec;
    c.connect(at(server), ec);
    (void)c.read_reply(ec);
    c.send_line("NOOP", ec);
    (void)c.read_reply(ec);
    EXPECT_EQ(ec, asio::error::eof);
}

TEST(ValidateLineConnection, BoundsLineLength)
{
    const fake_smtp_server server{test::conforming_script,
                                  "220 " + std::string(100000, 'a') + "\r\n"};
    line_connection c{2000ms, connection_limits{1024, 10, 4096}};
    std::error_code ec;
    c.connect(at(server), ec);
    (void)c.read_reply(ec);
    EXPECT_EQ(ec, std::make_error_code(std::errc::message_size));
}

TEST(ValidateLineConnection, BoundsLinesPerReply)
{
    std::string endless;
    for (int i = 0; i < 50; ++i) {
        endless += "220-more\r\n";
    }
    const fake_smtp_server server{test::conforming_script, endless};
    line_connection c{2000ms, connection_limits{1024, 10, 4096}};
    std::error_code ec;
    c.connect(at(server), ec);
    const auto r = c.read_reply(ec);
    EXPECT_EQ(ec, std::make_error_code(std::errc::message_size));
    EXPECT_EQ(r.lines.size(), 10U);
}

TEST(ValidateLineConnection, ConnectFailsOnAClosedPort)
{
    std::uint16_t port = 0;
    {
        const fake_smtp_server server{test::conforming_script};
        port = server.port();
    }
    line_connection c{2000ms};
    std::error_code ec;
    c.connect(endpoint{"127.0.0.1", port}, ec);
    EXPECT_TRUE(ec);
    EXPECT_FALSE(c.is_open());
}

}  // namespace smtpspec::validate
