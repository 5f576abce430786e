// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace smtpspec::reference::net
{
namespace
{

/// Answers one command line (without CRLF); "." stands for the end of data.
using script = std::function<std::string(const std::string& line)>;

/// A scripted SMTP server on a loopback address, one connection at a time,
/// in a thread; every wait is bounded by poll timeouts. The greeting gets
/// its CRLF unless end_greeting is false.
class scripted_smtp
{
public:
    scripted_smtp(const std::string& address, std::uint16_t port, std::string greeting,
                  script answer, bool end_greeting = true)
        : greeting_(std::move(greeting) + (end_greeting ? "\r\n" : ""))
        , answer_(std::move(answer))
    {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        const int on = 1;
        setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
        bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
            && listen(fd_, 4) == 0;
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }

    ~scripted_smtp()
    {
        stop_ = true;
        thread_.join();
        close(fd_);
    }

    scripted_smtp(const scripted_smtp&) = delete;
    scripted_smtp& operator=(const scripted_smtp&) = delete;

    [[nodiscard]] bool bound() const { return bound_; }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] int connections() const { return connections_; }

private:
    static void put(int fd, const std::string& text)
    {
        (void)!write(fd, text.data(), text.size());
    }

    void serve()
    {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int conn = accept(fd_, nullptr, nullptr);
            if (conn < 0) {
                continue;
            }
            ++connections_;
            converse(conn);
            close(conn);
        }
    }

    void converse(int conn)
    {
        put(conn, greeting_);
        if (greeting_[0] != '2') {
            return;
        }
        std::string buffer;
        bool in_data = false;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
        while (!stop_ && std::chrono::steady_clock::now() < deadline) {
            pollfd p{conn, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) {
                continue;
            }
            char chunk[4096];
            const auto n = read(conn, chunk, sizeof chunk);
            if (n <= 0) {
                return;
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            std::size_t end = 0;
            while ((end = buffer.find("\r\n")) != std::string::npos) {
                const std::string line = buffer.substr(0, end);
                buffer.erase(0, end + 2);
                if (in_data && line != ".") {
                    continue;
                }
                in_data = false;
                const std::string reply = line.starts_with("QUIT") ? "221 bye" : answer_(line);
                put(conn, reply + "\r\n");
                if (line.starts_with("QUIT")) {
                    return;
                }
                in_data = reply.starts_with("354");
            }
        }
    }

    std::string greeting_;
    script answer_;
    int fd_ = -1;
    bool bound_ = false;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// A server that accepts everything, and refuses recipients named in `refuse`.
script accepting(std::map<std::string, std::string> refuse = {})
{
    return [refuse](const std::string& line) -> std::string {
        if (line.starts_with("EHLO")) {
            return "250 mx.test";
        }
        if (line.starts_with("DATA")) {
            return "354 go";
        }
        for (const auto& [who, reply] : refuse) {
            if (line.find(who) != std::string::npos) {
                return reply;
            }
        }
        return "250 ok";
    };
}

client_job job(std::initializer_list<const char*> locals)
{
    client_job j;
    j.from = grammar::reverse_path{grammar::path{{}, {"a", "example.net"}}};
    for (const char* local : locals) {
        j.to.push_back(grammar::forward_path{false, grammar::path{{}, {local, "route.test"}}});
    }
    j.message = "Subject: t\n\nhello\n";
    return j;
}

route::plan plan_of(std::initializer_list<const char*> addresses)
{
    route::plan p;
    p.outcome = route::outcome::targets;
    std::uint16_t preference = 10;
    for (const char* a : addresses) {
        p.targets.push_back({std::string{"mx"} + a, a, preference});
        preference += 10;
    }
    return p;
}

/// A port free on 127.0.0.2, which the tests then use on every address.
std::uint16_t any_port()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.2", &addr.sin_addr);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

delivery_options quick(std::uint16_t port, std::vector<trace_event>* trace = nullptr)
{
    delivery_options o;
    o.port = port;
    o.reply_timeout = std::chrono::seconds{5};
    o.connect_timeout = std::chrono::seconds{5};
    if (trace != nullptr) {
        o.on_trace = [trace](const trace_event& e) { trace->push_back(e); };
    }
    return o;
}

// A 4yz to one recipient sends that recipient, alone, to the next address.
// spec: 5.1 R-5.1-11 test
TEST(client_delivery, temporary_recipient_failure_moves_to_the_next_address)
{
    const std::uint16_t port = any_port();
    scripted_smtp first{"127.0.0.2", port, "220 first",
                        accepting({{"<b@", "450 4.2.1 mailbox busy"}})};
    scripted_smtp second{"127.0.0.3", port, "220 second", accepting()};
    ASSERT_TRUE(first.bound() && second.bound());
    const auto result =
        deliver(plan_of({"127.0.0.2", "127.0.0.3"}), job({"b", "c"}), {}, quick(port));
    EXPECT_TRUE(result.delivered()) << result.error;
    EXPECT_EQ(result.recipients[0].where, "mx127.0.0.3[127.0.0.3]");
    EXPECT_EQ(result.recipients[1].where, "mx127.0.0.2[127.0.0.2]");
    EXPECT_EQ(result.attempts.size(), 2U);
    EXPECT_EQ(result.attempts[1].result.recipients.size(), 1U) << "only b is sent again";
}

// spec: 5.1 R-5.1-11 test
TEST(client_delivery, a_421_greeting_or_a_dead_address_moves_on)
{
    const std::uint16_t port = any_port();
    scripted_smtp busy{"127.0.0.2", port, "421 4.3.2 busy", accepting()};
    scripted_smtp good{"127.0.0.3", port, "220 good", accepting()};
    ASSERT_TRUE(busy.bound() && good.bound());
    std::vector<trace_event> trace;
    // 127.0.0.4: nothing listens there; the connection is refused.
    const auto result = deliver(plan_of({"127.0.0.4", "127.0.0.2", "127.0.0.3"}), job({"b"}),
                                {}, quick(port, &trace));
    EXPECT_TRUE(result.delivered()) << result.error;
    EXPECT_EQ(result.attempts.size(), 3U);
    EXPECT_FALSE(result.attempts[0].connection_error.empty());
    EXPECT_EQ(result.attempts[1].result.final_code, 421);
    EXPECT_EQ(busy.connections(), 1);
    EXPECT_EQ(trace.front().session, 1U);
    EXPECT_EQ(trace.back().session, 3U) << "each attempt has its own session number";
}

// A greeting line that never gets its CRLF, then silence: the timeout says
// which octets came, not only that no reply did.
// spec: 2.3.8 R-2.3.8-1 test
TEST(client_delivery, a_timeout_inside_a_greeting_line_shows_what_came)
{
    const std::uint16_t port = any_port();
    scripted_smtp unended{"127.0.0.2", port, "220 hi", accepting(), false};
    ASSERT_TRUE(unended.bound());
    auto options = quick(port);
    options.reply_timeout = std::chrono::seconds{1};
    const auto result = deliver(plan_of({"127.0.0.2"}), job({"b"}), {}, options);
    EXPECT_FALSE(result.delivered());
    ASSERT_EQ(result.attempts.size(), 1U);
    EXPECT_EQ(result.attempts[0].connection_error,
              "timed out waiting for a reply from 127.0.0.2:" + std::to_string(port)
                  + " (RFC 5321 4.5.3.2), only \"220 hi\" without the CRLF that ends a reply "
                    "line (RFC 5321 4.2, 2.3.8 R-2.3.8-1)");
}

// A 5yz concerns the message: no other address is tried.
// spec: 4.2.1 R-4.2-8 test
TEST(client_delivery, a_5yz_to_mail_is_final)
{
    const std::uint16_t port = any_port();
    scripted_smtp refusing{"127.0.0.2", port, "220 no",
                           accepting({{"MAIL", "550 5.7.1 not from you"}})};
    scripted_smtp unused{"127.0.0.3", port, "220 unused", accepting()};
    ASSERT_TRUE(refusing.bound() && unused.bound());
    const auto result =
        deliver(plan_of({"127.0.0.2", "127.0.0.3"}), job({"b", "c"}), {}, quick(port));
    EXPECT_FALSE(result.delivered());
    EXPECT_TRUE(result.permanent_failure());
    EXPECT_EQ(unused.connections(), 0);
    for (const auto& r : result.recipients) {
        EXPECT_EQ(r.state, recipient_state::permanent);
        EXPECT_EQ(r.code, 550);
    }
}

// spec: 4.2 R-4.2-10 test
TEST(client_delivery, a_5yz_recipient_fails_alone)
{
    const std::uint16_t port = any_port();
    scripted_smtp server{"127.0.0.2", port, "220 mx",
                         accepting({{"<b@", "550 5.1.1 no such user"}})};
    scripted_smtp unused{"127.0.0.3", port, "220 unused", accepting()};
    ASSERT_TRUE(server.bound() && unused.bound());
    const auto result =
        deliver(plan_of({"127.0.0.2", "127.0.0.3"}), job({"b", "c"}), {}, quick(port));
    EXPECT_EQ(result.recipients[0].state, recipient_state::permanent);
    EXPECT_EQ(result.recipients[0].code, 550);
    EXPECT_EQ(result.recipients[1].state, recipient_state::delivered);
    EXPECT_EQ(unused.connections(), 0);
}

// When every address fails for now, the recipients stay deferred (4.5.4.1).
// spec: 4.5.4.1 R-4.5.4.1-1 test
TEST(client_delivery, all_addresses_failing_for_now_defers)
{
    const std::uint16_t port = any_port();
    const auto result =
        deliver(plan_of({"127.0.0.4", "127.0.0.5"}), job({"b"}), {}, quick(port));
    EXPECT_FALSE(result.delivered());
    EXPECT_FALSE(result.permanent_failure());
    EXPECT_EQ(result.recipients[0].state, recipient_state::temporary);
}

// RFC 7505 / RFC 7504 4: a null MX fails every recipient with 556, no connection.
// spec: rfc7504/4 R-5.1-8 test
TEST(client_delivery, a_failed_plan_reports_its_code_without_connecting)
{
    route::plan p;
    p.outcome = route::outcome::permanent;
    p.reply_code = 556;
    p.enhanced = "5.1.10";
    p.error = "null MX";
    const auto result = deliver(p, job({"b"}), {}, quick(any_port()));
    EXPECT_TRUE(result.attempts.empty());
    EXPECT_EQ(result.recipients[0].state, recipient_state::permanent);
    EXPECT_EQ(result.recipients[0].code, 556);
    EXPECT_NE(result.error.find("5.1.10"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::reference::net
