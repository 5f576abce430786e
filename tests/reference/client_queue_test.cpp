// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The retry queue of the reference client on a fake clock: the delivery is a
// function that answers per recipient, and "now" is a number.

#include "reference/net/client_queue.hpp"

#include "grammar/print.hpp"

#include "tests/reference/holds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace smtpspec::reference::net
{
namespace
{
namespace fs = std::filesystem;

struct scratch
{
    fs::path dir = fs::temp_directory_path() /
                   ("smtpspec-queue-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    scratch() { fs::remove_all(dir); }
    ~scratch() { fs::remove_all(dir); }
};

grammar::forward_path rcpt(const char* local)
{
    return grammar::forward_path{false, grammar::path{{}, {local, "example.org"}}};
}

queue_entry entry(std::int64_t created)
{
    queue_entry e;
    e.job.from = grammar::reverse_path{grammar::path{{}, {"a", "example.net"}}};
    e.job.to = {rcpt("b"), rcpt("c")};
    e.job.message = "Subject: t\r\n\r\nhello\r\n";
    e.created = created;
    e.next_attempt = created;
    return e;
}

/// Answers every recipient with the same outcome (its recipient set per entry).
auto each(const recipient_outcome& same)
{
    return [same](const queue_entry& e) {
        std::vector<recipient_outcome> out;
        for (const auto& to : e.job.to) {
            out.push_back(same);
            out.back().to = to;
        }
        return out;
    };
}

/// Answers every recipient with the same state, from mx.example.org.
auto always(recipient_state state, int code)
{
    return each({{}, state, code, "mx.example.org[127.0.0.2]", {"no"}, {}, {}});
}

// spec: 4.5.4.1 R-4.5.4.1-2 R-4.5.4.1-3 test
TEST(client_queue, retry_delay_doubles_up_to_the_maximum)
{
    const queue_policy p;  // 30 minutes, at most 4 hours.
    EXPECT_EQ(retry_delay(p, 1).count(), 1800);
    EXPECT_EQ(retry_delay(p, 2).count(), 3600);
    EXPECT_EQ(retry_delay(p, 4).count(), 14400);
    EXPECT_EQ(retry_delay(p, 40).count(), 14400);
}

TEST(client_queue, entries_survive_a_round_trip_with_quoting_B14)
{
    scratch s;
    client_queue q{s.dir};
    queue_entry e = entry(1000);
    e.job.to.push_back(grammar::forward_path{false, grammar::path{{}, {"\"a b\"", "example.org"}}});
    e.job.to.push_back(grammar::forward_path{false, grammar::path{{}, {"\"@\"", "example.org"}}});
    e.server = "127.0.0.1:2525";
    const std::string id = q.add(e);
    const auto all = q.list();
    ASSERT_EQ(all.size(), 1U);
    EXPECT_EQ(all[0].id, id);
    EXPECT_EQ(all[0].job.from, e.job.from);
    EXPECT_EQ(all[0].job.to, e.job.to);
    EXPECT_EQ(grammar::to_string(all[0].job.to[2]), "<\"a b\"@example.org>");
    EXPECT_EQ(all[0].job.message, e.job.message);
    EXPECT_EQ(all[0].server, "127.0.0.1:2525");
    EXPECT_EQ(all[0].created, 1000);
}

// spec: 4.5.4.1 R-4.5.4.1-1 R-4.5.4.1-2 test
TEST(client_queue, temporary_failures_wait_then_deliver)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(1000));
    const queue_policy p;
    auto r = run_queue(q, p, 1000, always(recipient_state::temporary, 451));
    EXPECT_EQ(r.tried, 1U);
    EXPECT_EQ(r.deferred, 2U);
    ASSERT_EQ(q.list().size(), 1U);
    EXPECT_EQ(q.list()[0].next_attempt, 1000 + 1800);
    EXPECT_EQ(q.list()[0].attempts, 1U);
    EXPECT_EQ(q.list()[0].last_error, "451 at mx.example.org[127.0.0.2]");

    // Too early: not tried.
    r = run_queue(q, p, 2799, always(recipient_state::delivered, 250));
    EXPECT_EQ(r.tried, 0U);
    r = run_queue(q, p, 2800, always(recipient_state::temporary, 421));
    EXPECT_EQ(q.list()[0].next_attempt, 2800 + 3600);
    r = run_queue(q, p, 6400, always(recipient_state::delivered, 250));
    EXPECT_EQ(r.delivered, 2U);
    EXPECT_TRUE(q.list().empty());
    EXPECT_TRUE(fs::is_empty(s.dir)) << "no .msg or .tmp left behind";
}

TEST(client_queue, only_the_recipients_left_stay)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(1000));
    run_queue(q, queue_policy{}, 1000, [](const queue_entry& e) {
        return std::vector<recipient_outcome>{
            {e.job.to[0], recipient_state::delivered, 250, "x", {}, {}, {}},
            {e.job.to[1], recipient_state::temporary, 452, "x", {}, {}, {}}};
    });
    ASSERT_EQ(q.list().size(), 1U);
    EXPECT_EQ(q.list()[0].job.to, std::vector<grammar::forward_path>{rcpt("c")});
}

// A permanent failure returns a notice to the sender with the null
// reverse-path; that notice, failing in turn, returns nothing.
// spec: 3.6.3 R-3.6.3-1 test
// spec: 4.5.5 R-4.5.5-2 test
TEST(client_queue, permanent_failure_queues_a_notice_to_the_sender)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(1000));
    auto r = run_queue(q, queue_policy{}, 1000, always(recipient_state::permanent, 550));
    EXPECT_EQ(r.failed, 2U);
    EXPECT_EQ(r.bounces, 1U);
    auto all = q.list();
    ASSERT_EQ(all.size(), 1U);
    EXPECT_TRUE(all[0].job.from.is_null());
    EXPECT_EQ(grammar::to_string(all[0].job.to.at(0)), "<a@example.net>");
    EXPECT_EQ(all[0].dsn.notify, "NEVER") << "RFC 3461 6.1";
    EXPECT_TRUE(all[0].dsn.ret.empty()) << "RFC 3461 6.1: no RET on a notice";
    const std::string& notice = all[0].job.message;
    EXPECT_TRUE(holds(notice, "Content-Type: multipart/report; report-type=delivery-status;"));
    // One paragraph per failed recipient, from the reply and the target.
    EXPECT_TRUE(holds(notice, "\r\n\r\nFinal-Recipient: rfc822;b@example.org\r\n"
                              "Action: failed\r\n"
                              "Status: 5.0.0\r\n"
                              "Remote-MTA: dns; mx.example.org\r\n"
                              "Diagnostic-Code: smtp; 550 no\r\n"
                              "Last-Attempt-Date: Thu, 01 Jan 1970 00:16:40 +0000\r\n"
                              "\r\nFinal-Recipient: rfc822;c@example.org\r\n"));
    EXPECT_TRUE(holds(notice, "Reporting-MTA: dns; smtpspec.localhost\r\n"
                              "Arrival-Date: Thu, 01 Jan 1970 00:16:40 +0000\r\n"));
    EXPECT_TRUE(holds(notice, "Content-Type: message/rfc822\r\n\r\nSubject: t\r\n\r\nhello\r\n"));
    r = run_queue(q, queue_policy{}, 1000, always(recipient_state::permanent, 550));
    EXPECT_EQ(r.bounces, 0U);
    EXPECT_TRUE(q.list().empty());
}

// The DSN parameters are stored with the message and shape the notice:
// ENVID, ORCPT and RET (RFC 3461 6.3 a and d, 6.2).
// spec: rfc3461/6.3 test
TEST(client_queue, envid_orcpt_and_ret_survive_the_queue_and_reach_the_notice)
{
    scratch s;
    client_queue q{s.dir};
    queue_entry e = entry(1000);
    e.dsn.envid = "id+1=x y";
    e.dsn.orcpt = true;
    e.dsn.ret = "HDRS";
    e.dsn.notify = "FAILURE,DELAY";
    q.add(e);
    const auto stored = q.list();
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0].dsn.envid, "id+1=x y");
    EXPECT_TRUE(stored[0].dsn.orcpt);
    EXPECT_EQ(stored[0].dsn.ret, "HDRS");
    EXPECT_EQ(stored[0].dsn.notify, "FAILURE,DELAY");

    queue_policy p;
    p.reporting_mta = "client.example.net";
    run_queue(q, p, 1000, [](const queue_entry& x) {
        return std::vector<recipient_outcome>{
            {x.job.to[0], recipient_state::delivered, 250, "mx[127.0.0.2]", {"ok"}, {}, {}},
            {x.job.to[1],
             recipient_state::permanent,
             550,
             "mx.example.org[127.0.0.2]",
             {"5.1.1 no such user", "5.1.1 really"},
             {},
             {}}};
    });
    const auto all = q.list();
    ASSERT_EQ(all.size(), 1U);
    const std::string& notice = all[0].job.message;
    EXPECT_TRUE(holds(notice, "Original-Envelope-Id: id+1=x y\r\n"
                              "Reporting-MTA: dns; client.example.net\r\n"));
    EXPECT_TRUE(holds(notice, "\r\n\r\nOriginal-Recipient: rfc822;c@example.org\r\n"
                              "Final-Recipient: rfc822;c@example.org\r\n"
                              "Action: failed\r\n"
                              "Status: 5.1.1\r\n"
                              "Remote-MTA: dns; mx.example.org\r\n"
                              "Diagnostic-Code: smtp; 550-5.1.1 no such user\r\n"
                              " 550 5.1.1 really\r\n"));
    EXPECT_EQ(notice.find("b@example.org"), std::string::npos) << "b was delivered";
    EXPECT_TRUE(holds(notice, "Content-Type: text/rfc822-headers\r\n\r\nSubject: t\r\n\r\n--"));
}

// RFC 3461 4.1: NEVER, or a list without FAILURE, asks for no failure notice.
// spec: rfc3461/4.1 test
TEST(client_queue, notify_without_failure_sends_no_notice)
{
    for (const char* notify : {"NEVER", "SUCCESS", "delay,success"}) {
        scratch s;
        client_queue q{s.dir};
        queue_entry e = entry(1000);
        e.dsn.notify = notify;
        q.add(e);
        const auto r = run_queue(q, queue_policy{}, 1000, always(recipient_state::permanent, 550));
        EXPECT_EQ(r.failed, 2U) << notify;
        EXPECT_EQ(r.bounces, 0U) << notify;
        EXPECT_TRUE(q.list().empty()) << notify;
    }
}

// A failure of a message with the null reverse-path is never reported (4.5.5).
// spec: 4.5.5 R-4.5.5-2 test
TEST(client_queue, null_reverse_path_gets_no_notice)
{
    scratch s;
    client_queue q{s.dir};
    queue_entry e = entry(1000);
    e.job.from = grammar::reverse_path{};
    q.add(e);
    const auto r = run_queue(q, queue_policy{}, 1000, always(recipient_state::permanent, 550));
    EXPECT_EQ(r.failed, 2U);
    EXPECT_EQ(r.bounces, 0U);
    EXPECT_TRUE(q.list().empty());
}

// A target given as an address (--server) is a domain-literal in Remote-MTA
// (RFC 3461 9.3).
TEST(client_queue, an_address_target_is_a_domain_literal_in_remote_mta)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(1000));
    run_queue(
        q, queue_policy{}, 1000,
        each({{}, recipient_state::permanent, 550, "127.0.0.1[127.0.0.1]", {"5.7.1 no"}, {}, {}}));
    const std::string notice = q.list().at(0).job.message;
    EXPECT_TRUE(holds(notice, "Status: 5.7.1\r\nRemote-MTA: dns; [127.0.0.1]\r\n"));
}

// No server reply (a null MX): the route's status and reason, no Remote-MTA.
TEST(client_queue, a_failure_without_reply_reports_the_routing_status)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(1000));
    run_queue(q, queue_policy{}, 1000,
              each({{},
                    recipient_state::permanent,
                    556,
                    "",
                    {},
                    "5.1.10",
                    "example.org has a null MX (RFC 7505)"}));
    const std::string notice = q.list().at(0).job.message;
    EXPECT_TRUE(holds(notice,
                      "Final-Recipient: rfc822;b@example.org\r\n"
                      "Action: failed\r\n"
                      "Status: 5.1.10\r\n"
                      "Diagnostic-Code: X-smtpspec; example.org has a null MX (RFC 7505)\r\n"
                      "Last-Attempt-Date: "));
    EXPECT_EQ(notice.find("Remote-MTA:"), std::string::npos);
}

// spec: 4.5.4.1 R-4.5.4.1-5 test
TEST(client_queue, give_up_time_ends_the_retries)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(0));
    queue_policy p;
    p.retry_interval = std::chrono::seconds{10};
    p.max_interval = std::chrono::seconds{40};
    p.give_up = std::chrono::seconds{100};
    std::int64_t now = 0;
    int runs = 0;
    for (int i = 0; i < 20; ++i) {  // Bounded: 20 runs at most.
        const auto all = q.list();
        const auto it =
            std::ranges::find_if(all, [](const queue_entry& e) { return !e.job.from.is_null(); });
        if (it == all.end()) {
            break;
        }
        now = it->next_attempt;
        run_queue(q, p, now, always(recipient_state::temporary, 421));
        ++runs;
    }
    // Attempts at 0, 10, 30, 70, 110 (10, 20, 40, 40): the one at 110 is past 100.
    EXPECT_EQ(now, 110);
    EXPECT_EQ(runs, 5);
    ASSERT_EQ(q.list().size(), 1U);
    EXPECT_TRUE(q.list()[0].job.from.is_null()) << "the notice to the sender";
    // The last reply was a 421 without an enhanced code: 4.0.0, and the
    // diagnostic says the queue gave up.
    const std::string notice = q.list()[0].job.message;
    EXPECT_TRUE(holds(notice, "Action: failed\r\n"
                              "Status: 4.0.0\r\n"
                              "Remote-MTA: dns; mx.example.org\r\n"
                              "Diagnostic-Code: smtp; 421 no\r\n"
                              "Last-Attempt-Date: Thu, 01 Jan 1970 00:01:50 +0000\r\n"));
}

// Given up with no reply ever (connection refused each time): 4.4.1 and why.
// spec: 4.5.4.1 R-4.5.4.1-5 test
TEST(client_queue, give_up_without_a_reply_says_so)
{
    scratch s;
    client_queue q{s.dir};
    q.add(entry(0));
    queue_policy p;
    p.retry_interval = std::chrono::seconds{10};
    p.give_up = std::chrono::seconds{100};
    const auto refused = each({{},
                               recipient_state::temporary,
                               0,
                               "",
                               {},
                               "4.4.1",
                               "cannot connect to 127.0.0.4 port 25: Connection refused"});
    run_queue(q, p, 0, refused);
    const auto r = run_queue(q, p, 200, refused);
    EXPECT_EQ(r.failed, 2U);
    const std::string notice = q.list().at(0).job.message;
    EXPECT_TRUE(holds(notice, "Status: 4.4.1\r\n"
                              "Diagnostic-Code: X-smtpspec; still not delivered after 2 attempts, "
                              "the queue gave up (RFC 5321 4.5.4.1); last: cannot connect to "
                              "127.0.0.4 port 25: Connection refused\r\n"));
}

TEST(client_queue, a_broken_entry_is_reported_with_file_and_line)
{
    scratch s;
    client_queue q{s.dir};
    fs::create_directories(s.dir);
    {
        std::FILE* f = std::fopen((s.dir / "x.env").c_str(), "w");
        std::fputs("from <a@example.net>\nto <b c@example.org>\n", f);
        std::fclose(f);
    }
    try {
        (void)q.list();
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string{e.what()}.find("x.env:2: not a path"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace smtpspec::reference::net
