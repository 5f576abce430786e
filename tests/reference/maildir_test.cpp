// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/maildir.hpp"
#include "reference/maildir_committer.hpp"

#include "grammar/parse.hpp"
#include "grammar/trace.hpp"
#include "reference/net/endpoint.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

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

std::string file_text(const fs::path& p)
{
    std::ifstream in{p, std::ios::binary};
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

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
                                 "with ESMTP id <" + result.id + "@mx.example>\r\n\tfor "
                                 "<b@example.org>;\r\n\t"));
    EXPECT_TRUE(text.ends_with("\r\nSubject: x\r\n\r\nbody\r\n"));
}

/// The header's two fields, each checked against its rule of 4.4.
void expect_valid_trace_fields(const std::string& header)
{
    const std::size_t received = header.find("Received:");
    ASSERT_NE(received, std::string::npos) << header;
    const auto return_path = grammar::check_return_path_line(header.substr(0, received));
    EXPECT_FALSE(return_path.has_value()) << header << return_path->message;
    const auto stamp = grammar::check_received_line(header.substr(received));
    EXPECT_FALSE(stamp.has_value()) << header << stamp->message;
}

// The server's own Received field must pass the project's own check of it:
// a Maildir name as the id (dots: not an Atom) and every form of peer address.
// spec: 4.4 R-4.4-1 test
TEST_F(maildir_test, trace_fields_pass_the_4_4_grammar)
{
    maildir_store store{root_};
    const auto result = store.store(sample_envelope(), "x\r\n", "mx.example");
    ASSERT_TRUE(result.ok) << result.id;
    ASSERT_NE(result.id.find('.'), std::string::npos);
    const std::string text = file_text(root_ / "new" / result.id);
    ASSERT_TRUE(text.ends_with("\r\nx\r\n")) << text;
    expect_valid_trace_fields(text.substr(0, text.size() - 3));  // The data is "x" CRLF.
    for (const char* peer : {"192.0.2.1", "::1", "2001:db8::25", "::ffff:127.0.0.1"}) {
        auto env = sample_envelope();
        env.peer_address = peer;
        expect_valid_trace_fields(trace_header(env, "[192.0.2.9]", "1796.M1P2Q3.host", 0));
    }
}

// spec: 4.1.3 test
TEST(trace_header, tcp_info_is_an_address_literal)
{
    EXPECT_EQ(address_literal("192.0.2.1"), "[192.0.2.1]");
    EXPECT_EQ(address_literal("::1"), "[IPv6:::1]");
    EXPECT_EQ(address_literal("2001:db8::25"), "[IPv6:2001:db8::25]");
    EXPECT_EQ(address_literal("::ffff:127.0.0.1"), "[127.0.0.1]");
    auto env = sample_envelope();
    EXPECT_NE(trace_header(env, "mx.example", "id1", 0).find(" with ESMTP id id1\r\n"),
              std::string::npos);
    EXPECT_NE(trace_header(env, "mx.example", "a.b", 0).find(" with ESMTP id <a.b@mx.example>"),
              std::string::npos);
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

/// The group protocol: stage three, flush them together, publish them.
void commit_three(maildir_store& store, const fs::path& root)
{
    std::vector<maildir_store::staged> group;
    for (const char* body : {"one\r\n", "two\r\n", "three\r\n"}) {
        group.push_back(store.stage(sample_envelope(), body, "mx.example"));
        ASSERT_TRUE(group.back().result.ok) << group.back().result.id;
        ASSERT_GE(group.back().fd, 0);
    }
    // Staged files are in tmp/ only: nothing is in new/ before publish().
    EXPECT_TRUE(fs::is_empty(root / "new"));
    store.flush(group);
    for (const auto& s : group) {
        EXPECT_EQ(s.fd, -1);
        EXPECT_TRUE(s.result.ok);
        EXPECT_TRUE(fs::exists(root / "tmp" / s.name));
    }
    store.publish(group);
    EXPECT_TRUE(fs::is_empty(root / "tmp"));
    const char* bodies[] = {"one\r\n", "two\r\n", "three\r\n"};
    for (std::size_t i = 0; i < group.size(); ++i) {
        ASSERT_TRUE(group[i].result.ok) << group[i].result.id;
        EXPECT_EQ(group[i].result.id, group[i].name);
        const std::string text = file_text(root / "new" / group[i].name);
        EXPECT_TRUE(text.ends_with(std::string{"\r\n"} + bodies[i])) << text;
    }
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, group_flushed_with_one_syncfs_is_whole_in_new)
{
    maildir_store store{root_, group_flush::file_system};
    commit_three(store, root_);
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, group_flushed_file_by_file_is_whole_in_new)
{
    maildir_store store{root_, group_flush::per_file};
    commit_three(store, root_);
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, publish_flushes_what_was_not_flushed)
{
    maildir_store store{root_};
    std::vector<maildir_store::staged> group;
    group.push_back(store.stage(sample_envelope(), "x\r\n", "mx.example"));
    store.publish(group);
    ASSERT_TRUE(group[0].result.ok);
    EXPECT_EQ(group[0].fd, -1);
    EXPECT_TRUE(fs::exists(root_ / "new" / group[0].name));
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, a_file_that_cannot_be_flushed_fails_alone_and_leaves_nothing)
{
    maildir_store store{root_, group_flush::per_file};
    std::vector<maildir_store::staged> group;
    group.push_back(store.stage(sample_envelope(), "good\r\n", "mx.example"));
    group.push_back(store.stage(sample_envelope(), "bad\r\n", "mx.example"));
    // A pipe cannot be flushed (fdatasync answers EINVAL): the second file
    // stands for one whose flush fails.
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ::close(p[1]);
    ::close(group[1].fd);
    group[1].fd = p[0];
    store.publish(group);
    ASSERT_TRUE(group[0].result.ok);
    ASSERT_FALSE(group[1].result.ok);
    EXPECT_EQ(group[1].result.id, "cannot flush " + (root_ / "tmp" / group[1].name).string()
                                      + ": Invalid argument");
    EXPECT_EQ(group[1].result.error, "Invalid argument");
    EXPECT_TRUE(fs::exists(root_ / "new" / group[0].name));
    EXPECT_FALSE(fs::exists(root_ / "new" / group[1].name));
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, a_group_whose_rename_fails_is_failed_and_removed_from_tmp)
{
    maildir_store store{root_};
    std::vector<maildir_store::staged> group;
    group.push_back(store.stage(sample_envelope(), "a\r\n", "mx.example"));
    group.push_back(store.stage(sample_envelope(), "b\r\n", "mx.example"));
    fs::remove(root_ / "new");
    store.publish(group);
    for (const auto& s : group) {
        ASSERT_FALSE(s.result.ok);
        EXPECT_EQ(s.result.id, "cannot move into " + (root_ / "new" / s.name).string()
                                   + ": No such file or directory");
        EXPECT_EQ(s.result.path, (root_ / "new" / s.name).string());
    }
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, committer_answers_every_message_once_it_is_in_new)
{
    maildir_store store{root_};
    constexpr int threads = 4;
    constexpr int each = 25;
    std::mutex m;
    std::vector<store_result> results;
    {
        maildir_committer committer{store, "mx.example"};
        std::vector<std::thread> senders;
        for (int t = 0; t < threads; ++t) {
            senders.emplace_back([&, t] {
                for (int i = 0; i < each; ++i) {
                    accepted_message msg{sample_envelope(),
                                         "n: " + std::to_string(t * each + i) + "\r\n"};
                    committer.submit(std::move(msg), [&](store_result r) {
                        // The completion comes only once the file is in new/.
                        EXPECT_TRUE(!r.ok || fs::exists(root_ / "new" / r.id)) << r.id;
                        const std::lock_guard lock{m};
                        results.push_back(std::move(r));
                    });
                }
            });
        }
        for (auto& s : senders) {
            s.join();
        }
        // The destructor commits what is still queued before it returns.
    }
    ASSERT_EQ(results.size(), static_cast<std::size_t>(threads * each));
    std::set<std::string> bodies;
    for (const auto& r : results) {
        ASSERT_TRUE(r.ok) << r.id;
        const std::string text = file_text(root_ / "new" / r.id);
        bodies.insert(text.substr(text.rfind("\r\nn: ") + 2));
    }
    EXPECT_EQ(bodies.size(), static_cast<std::size_t>(threads * each));
    EXPECT_TRUE(bodies.contains("n: 0\r\n"));
    EXPECT_TRUE(bodies.contains("n: 99\r\n"));
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST_F(maildir_test, committer_counts_groups_and_reports_failures)
{
    maildir_store store{root_};
    fs::remove(root_ / "new");
    std::vector<store_result> results;
    std::mutex m;
    commit_stats stats;
    {
        maildir_committer committer{store, "mx.example"};
        for (int i = 0; i < 3; ++i) {
            committer.submit({sample_envelope(), "x\r\n"}, [&](store_result r) {
                const std::lock_guard lock{m};
                results.push_back(std::move(r));
            });
        }
        while (committer.stats().messages < 3) {
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
        stats = committer.stats();
    }
    ASSERT_EQ(results.size(), 3U);
    for (const auto& r : results) {
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(r.error, "No such file or directory");
    }
    EXPECT_EQ(stats.messages, 3U);
    EXPECT_GE(stats.groups, 1U);
    EXPECT_LE(stats.groups, 3U);
    EXPECT_GE(stats.largest, 1U);
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
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
