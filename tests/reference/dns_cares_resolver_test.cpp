// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/dns/cares_resolver.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace smtpspec::reference::dns
{
namespace
{

using bytes = std::vector<unsigned char>;

void put16(bytes& out, int v)
{
    out.push_back(static_cast<unsigned char>((v >> 8) & 0xFF));
    out.push_back(static_cast<unsigned char>(v & 0xFF));
}

void put_name(bytes& out, const std::string& name)
{
    std::size_t start = 0;
    while (start < name.size()) {
        const std::size_t dot = name.find('.', start);
        const std::size_t end = dot == std::string::npos ? name.size() : dot;
        out.push_back(static_cast<unsigned char>(end - start));
        out.insert(out.end(), name.begin() + static_cast<std::ptrdiff_t>(start),
                   name.begin() + static_cast<std::ptrdiff_t>(end));
        start = end + 1;
    }
    out.push_back(0);
}

/// One answer record the fake server sends.
struct rr
{
    std::string owner;
    int type;
    bytes data;
};

rr cname_rr(const std::string& owner, const std::string& target)
{
    bytes d;
    put_name(d, target);
    return {owner, 5, d};
}

rr mx_rr(const std::string& owner, int preference, const std::string& exchange)
{
    bytes d;
    put16(d, preference);
    put_name(d, exchange);
    return {owner, 15, d};
}

rr a_rr(const std::string& owner, const std::string& address)
{
    bytes d(4);
    inet_pton(AF_INET, address.c_str(), d.data());
    return {owner, 1, d};
}

/// What the fake server does with a query: an RCODE and answers, or silence.
struct response
{
    bool silent = false;
    int rcode = 0;
    std::vector<rr> answers;
};

/// A DNS server on 127.0.0.1 and a port the system picks, in a thread; it
/// answers each UDP query with what `script` says for (name, type).
/// A UDP socket bound to 127.0.0.1 on a port the system picks; @p port gets it.
int loopback_udp_socket(std::uint16_t& port)
{
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    return fd;
}

class fake_dns
{
public:
    explicit fake_dns(std::function<response(const std::string&, int)> script)
        : script_(std::move(script))
    {
        fd_ = loopback_udp_socket(port_);
        thread_ = std::thread([this] { serve(); });
    }

    ~fake_dns()
    {
        stop_ = true;
        thread_.join();
        close(fd_);
    }

    fake_dns(const fake_dns&) = delete;
    fake_dns& operator=(const fake_dns&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }

private:
    void serve()
    {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) {
                continue;
            }
            unsigned char buf[512];
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const auto n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from),
                                    &len);
            if (n < 17) {
                continue;
            }
            std::string name;
            std::size_t i = 12;
            while (i < static_cast<std::size_t>(n) && buf[i] != 0) {
                if (!name.empty()) {
                    name += '.';
                }
                name.append(reinterpret_cast<const char*>(buf + i + 1), buf[i]);
                i += buf[i] + 1U;
            }
            const std::size_t question_end = i + 5;
            const int type = (buf[i + 1] << 8) | buf[i + 2];
            const response r = script_(name, type);
            if (r.silent) {
                continue;
            }
            bytes out(buf, buf + question_end);
            out[2] = 0x84;  // QR, AA
            out[3] = static_cast<unsigned char>(r.rcode);
            out[6] = 0;
            out[7] = static_cast<unsigned char>(r.answers.size());
            out[8] = out[9] = out[10] = out[11] = 0;
            for (const auto& a : r.answers) {
                put_name(out, a.owner);
                put16(out, a.type);
                put16(out, 1);
                put16(out, 0);
                put16(out, 60);
                put16(out, static_cast<int>(a.data.size()));
                out.insert(out.end(), a.data.begin(), a.data.end());
            }
            sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        }
    }

    std::function<response(const std::string&, int)> script_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

response zone(const std::string& name, int type)
{
    if (name == "two.test" && type == 15) {
        return {false, 0, {mx_rr(name, 20, "b.two.test"), mx_rr(name, 10, "a.two.test")}};
    }
    if (name == "null.test" && type == 15) {
        return {false, 0, {mx_rr(name, 0, "")}};
    }
    if (name == "alias.test") {
        // An alias whose target the server does not chase: the resolver asks again.
        return {false, 0, {cname_rr(name, "target.test")}};
    }
    if (name == "target.test" && type == 1) {
        return {false, 0, {a_rr(name, "192.0.2.9")}};
    }
    if (name == "chased.test" && type == 1) {
        return {false, 0, {cname_rr(name, "mid.test"), cname_rr("mid.test", "end.test"),
                           a_rr("end.test", "192.0.2.10")}};
    }
    if (name == "a.two.test" && type == 1) {
        return {false, 0, {a_rr(name, "192.0.2.1"), a_rr(name, "192.0.2.2")}};
    }
    if (name == "broken.test") {
        return {false, 2, {}};
    }
    if (name == "silent.test") {
        return {true, 0, {}};
    }
    if (name.ends_with(".test") && name != "nx.test") {
        return {false, 0, {}};  // The name exists without that type.
    }
    return {false, 3, {}};
}

cares_resolver make(std::uint16_t port)
{
    cares_options o;
    o.server_address = "127.0.0.1";
    o.server_port = port;
    o.timeout = std::chrono::milliseconds{300};
    o.tries = 1;
    return cares_resolver{o};
}

// spec: 5.1 R-5.1-1 test
TEST(dns_cares_resolver, reads_mx_a_cname_and_statuses_from_a_real_server)
{
    fake_dns server{zone};
    cares_resolver r = make(server.port());

    answer mx = r.query("two.test", rr_type::mx);
    EXPECT_EQ(mx.status, status::ok);
    EXPECT_EQ(mx.mx, (std::vector<mx_record>{{20, "b.two.test"}, {10, "a.two.test"}}));

    answer null = r.query("null.test.", rr_type::mx);
    EXPECT_EQ(null.mx, (std::vector<mx_record>{{0, ""}}));

    answer a = r.query("A.Two.Test", rr_type::a);
    EXPECT_EQ(a.addresses, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));

    answer chased = r.query("chased.test", rr_type::a);
    EXPECT_EQ(chased.cname_chain, (std::vector<std::string>{"mid.test", "end.test"}));
    EXPECT_EQ(chased.addresses, std::vector<std::string>{"192.0.2.10"});

    answer unfinished = r.query("alias.test", rr_type::a);
    EXPECT_EQ(unfinished.status, status::ok);
    EXPECT_EQ(unfinished.cname_chain, std::vector<std::string>{"target.test"});
    EXPECT_EQ(unfinished.addresses, std::vector<std::string>{"192.0.2.9"});

    EXPECT_EQ(r.query("alias.test", rr_type::cname).cname_chain,
              std::vector<std::string>{"target.test"});
    EXPECT_EQ(r.query("two.test", rr_type::cname).status, status::nodata);
    EXPECT_EQ(r.query("plain.test", rr_type::mx).status, status::nodata);
    EXPECT_EQ(r.query("nx.test", rr_type::mx).status, status::nxdomain);
    EXPECT_EQ(r.query("broken.test", rr_type::mx).status, status::servfail);
}

// spec: 5.1 R-5.1-5 test
TEST(dns_cares_resolver, a_server_that_never_answers_is_a_timeout)
{
    fake_dns server{zone};
    cares_resolver r = make(server.port());
    const auto start = std::chrono::steady_clock::now();
    const answer a = r.query("silent.test", rr_type::mx);
    EXPECT_EQ(a.status, status::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
    EXPECT_EQ(a.detail, "no answer from DNS server 127.0.0.1:" + std::to_string(server.port()) +
                            " (timeout)");
}

/// A UDP port of 127.0.0.1 where nothing listens: bound, read, released.
std::uint16_t closed_udp_port()
{
    std::uint16_t port = 0;
    close(loopback_udp_socket(port));
    return port;
}

// Nothing listening is no answer at all, not a SERVFAIL from a server; it
// is still temporary (the message waits in the queue).
// spec: 5.1 R-5.1-5 test
TEST(dns_cares_resolver, a_port_where_nothing_listens_is_unreachable_not_servfail)
{
    const std::uint16_t port = closed_udp_port();
    cares_resolver r = make(port);
    const answer a = r.query("any.test", rr_type::mx);
    EXPECT_EQ(a.status, status::unreachable);
    EXPECT_TRUE(is_temporary(a.status));
    EXPECT_EQ(to_string(a.status), "unreachable");
    EXPECT_EQ(a.detail,
              "no answer from DNS server 127.0.0.1:" + std::to_string(port) + " (refused)");
}

}  // namespace
}  // namespace smtpspec::reference::dns
