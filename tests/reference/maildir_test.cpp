// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir.hpp"

#include "grammar/parse.hpp"
#include "reference/net/endpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace smtpspec::reference
{
namespace
{

namespace fs = std::filesystem;

class maildir_test : public ::testing::Test
{
protected:
    void SetUp() override
    {
        root_ = fs::temp_directory_path()
            / ("smtpspec-maildir-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
    }

    void TearDown() override { fs::remove_all(root_); }

    fs::path root_;
};

envelope sample_envelope()
{
    envelope env;
    env.client_name = "client.example.net";
    env.extended = true;
    env.peer_address = "127.0.0.1";
    env.from = grammar::reverse_path{grammar::path{{}, {"a", "example.net"}}};
    env.recipients.push_back(grammar::forward_path{false, grammar::path{{}, {"b", "example.org"}}});
    return env;
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, stores_trace_lines_then_data_in_new)
{
    maildir_store store{root_};
    const auto result = store.store(sample_envelope(), "Subject: x\r\n\r\nbody\r\n", "mx.example");
    ASSERT_TRUE(result.ok) << result.id;
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
    ASSERT_TRUE(fs::exists(root_ / "new" / result.id));
    std::ifstream in{root_ / "new" / result.id, std::ios::binary};
    std::stringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    EXPECT_TRUE(text.starts_with("Return-Path: <a@example.net>\r\nReceived: from "
                                 "client.example.net ([127.0.0.1])\r\n\tby mx.example (smtpspec) "
                                 "with ESMTP id " + result.id + "\r\n\tfor <b@example.org>;\r\n\t"));
    EXPECT_TRUE(text.ends_with("\r\nSubject: x\r\n\r\nbody\r\n"));
}

// spec: 4.4 R-4.4-6 test
TEST_F(maildir_test, no_for_clause_with_two_recipients)
{
    maildir_store store{root_};
    auto env = sample_envelope();
    env.recipients.push_back(env.recipients.front());
    const auto header = trace_header(env, "mx.example", "id1", 0);
    EXPECT_EQ(header.find("for <"), std::string::npos);
}

TEST_F(maildir_test, null_sender_gives_empty_return_path)
{
    auto env = sample_envelope();
    env.from = grammar::reverse_path{};
    EXPECT_TRUE(trace_header(env, "mx.example", "id1", 0).starts_with("Return-Path: <>\r\n"));
}

TEST(endpoint, parses_ipv4_ipv6_and_rejects_others)
{
    const auto v4 = net::parse_host_port("127.0.0.1:2525");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "127.0.0.1");
    EXPECT_EQ(v4->port, 2525);
    const auto v6 = net::parse_host_port("[::1]:25");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->str(), "[::1]:25");
    EXPECT_FALSE(net::parse_host_port("::1:25"));
    EXPECT_FALSE(net::parse_host_port("127.0.0.1"));
    EXPECT_FALSE(net::parse_host_port("127.0.0.1:99999"));
    EXPECT_FALSE(net::parse_host_port("127.0.0.1:x"));
}

}  // namespace
}  // namespace smtpspec::reference
