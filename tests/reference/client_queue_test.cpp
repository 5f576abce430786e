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
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

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
    client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
    q.add(entry(1000));
    const queue_policy p;
    auto r = run_queue(q, p, 1000, always(recipient_state::temporary, 451));
    EXPECT_EQ(r.tried, 1U);
    EXPECT_EQ(r.deferred, 2U);
    ASSERT_EQ(q.list().size(), 1U);
    EXPECT_EQ(q.list()[0].next_attempt, 1000 + 1800);
    EXPECT_EQ(q.list()[0].attempts, 1U);
    EXPECT_EQ(q.list()[0].last_error, "451 no (from mx.example.org[127.0.0.2])");

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
    client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
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
        client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
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
    client_queue q{s.dir, queue_open::create};
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

/// One queued entry and a policy that retries every 10 s and gives up after 100 s.
struct giving_up
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    queue_policy p;
    giving_up()
    {
        q.add(entry(0));
        p.retry_interval = std::chrono::seconds{10};
        p.give_up = std::chrono::seconds{100};
    }
};

// spec: 4.5.4.1 R-4.5.4.1-5 test
TEST(client_queue, give_up_time_ends_the_retries)
{
    giving_up g;
    auto& [s, q, p] = g;
    p.max_interval = std::chrono::seconds{40};
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
    giving_up g;
    auto& [s, q, p] = g;
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

/// Writes @p text to @p file.
void write(const fs::path& file, const std::string& text)
{
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr) << file;
    std::fputs(text.c_str(), f);
    std::fclose(f);
}

/// The whole content of @p file.
std::string content(const fs::path& file)
{
    std::ifstream in{file, std::ios::binary};
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(client_queue, a_missing_folder_is_an_error_and_is_not_created)
{
    scratch s;
    try {
        client_queue q{s.dir};
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string{e.what()}, "no such queue folder: " + s.dir.string());
    }
    EXPECT_FALSE(fs::exists(s.dir));
    // Only the command that enqueues creates it.
    client_queue created{s.dir, queue_open::create};
    EXPECT_TRUE(fs::is_directory(s.dir));
    EXPECT_TRUE(client_queue{s.dir}.list().empty());
}

TEST(client_queue, a_file_is_not_a_queue_folder)
{
    scratch s;
    fs::create_directories(s.dir);
    write(s.dir / "plain", "x");
    for (const auto mode : {queue_open::existing, queue_open::create}) {
        try {
            client_queue q{s.dir / "plain", mode};
            FAIL() << "no error";
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(std::string{e.what()},
                      "not a queue folder (not a directory): " + (s.dir / "plain").string());
        }
    }
}

TEST(client_queue, a_broken_entry_is_reported_with_file_and_line)
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    write(s.dir / "x.env", "from <a@example.net>\nto <b c@example.org>\n");
    const auto listing = q.scan();
    EXPECT_TRUE(listing.entries.empty());
    ASSERT_EQ(listing.damaged.size(), 1U);
    EXPECT_EQ(listing.damaged[0].id, "x");
    EXPECT_EQ(listing.damaged[0].file, s.dir / "x.env");
    EXPECT_EQ(listing.damaged[0].line, 2U);
    EXPECT_EQ(listing.damaged[0].error.rfind("not a path (", 0), 0U) << listing.damaged[0].error;
    EXPECT_EQ(listing.damaged[0].str().rfind((s.dir / "x.env").string() + ":2: not a path (", 0),
              0U);
}

/// Every kind of damage: the file and line named, the entry skipped.
TEST(client_queue, every_kind_of_damage_is_named)
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    const std::string good = "from <a@example.net>\nto <b@example.org>\ncreated 1000\n"
                             "next 1000\nattempts 1\nerror x\n";
    const struct
    {
        const char* id;
        std::string env;
        bool msg;
        std::size_t line;
        std::string error;
    } cases[] = {
        {"a-garbage", "garbage\n", true, 1, "unknown key \"garbage\""},
        {"b-number", "from <a@example.net>\ncreated 12x\n", true, 2,
         "bad value for created: \"12x\" is not a number"},
        {"c-envid", good + "envid +zz\n", true, 7, "bad value for envid: not xtext (RFC 3461 4)"},
        {"d-no-to", "from <a@example.net>\ncreated 1\nnext 1\nattempts 1\n", true, 0,
         "no \"to\" line"},
        {"e-no-from", "to <b@example.org>\ncreated 1\nnext 1\nattempts 1\n", true, 0,
         "no \"from\" line"},
        {"f-no-msg", good, false, 0, "cannot read: No such file or directory"},
    };
    for (const auto& c : cases) {
        write(s.dir / (std::string{c.id} + ".env"), c.env);
        if (c.msg) {
            write(s.dir / (std::string{c.id} + ".msg"), "Subject: x\r\n\r\nx\r\n");
        }
    }
    const auto listing = q.scan();
    EXPECT_TRUE(listing.entries.empty());
    ASSERT_EQ(listing.damaged.size(), std::size(cases));
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        const auto& d = listing.damaged[i];
        EXPECT_EQ(d.id, cases[i].id);
        EXPECT_EQ(d.line, cases[i].line) << d.id;
        EXPECT_EQ(d.error, cases[i].error) << d.id;
        EXPECT_EQ(d.file, s.dir / (std::string{cases[i].id} + (cases[i].msg ? ".env" : ".msg")));
    }
    EXPECT_EQ(listing.damaged[0].str(),
              (s.dir / "a-garbage.env").string() + ":1: unknown key \"garbage\"");
    EXPECT_EQ(listing.damaged[3].str(), (s.dir / "d-no-to.env").string() + ": no \"to\" line");
}

/// An entry file that is a folder, a FIFO or a message file that is a folder
/// is named as such (not read as an empty file, nor waited on), skipped and
/// left in place.
TEST(client_queue, an_entry_that_is_no_regular_file_is_named_as_such)
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    std::filesystem::create_directory(s.dir / "5.env");
    ASSERT_EQ(::mkfifo((s.dir / "6.env").c_str(), 0600), 0);
    write(s.dir / "7.env", "from <a@example.net>\nto <b@example.org>\ncreated 1000\n"
                           "next 1000\nattempts 1\nerror x\n");
    std::filesystem::create_directory(s.dir / "7.msg");
    const auto listing = q.scan();
    EXPECT_TRUE(listing.entries.empty());
    ASSERT_EQ(listing.damaged.size(), 3U);
    EXPECT_EQ(listing.damaged[0].str(),
              (s.dir / "5.env").string() + ": is a directory, not a queue entry file");
    EXPECT_EQ(listing.damaged[1].str(),
              (s.dir / "6.env").string() +
                  ": is not a regular file (a FIFO, socket or device), not a queue entry file");
    EXPECT_EQ(listing.damaged[2].str(),
              (s.dir / "7.msg").string() + ": is a directory, not a queue entry file");
    EXPECT_TRUE(std::filesystem::is_directory(s.dir / "5.env"));
    EXPECT_TRUE(std::filesystem::is_fifo(s.dir / "6.env"));
}

/// One damaged entry does not stop the queue: the others are tried, the
/// damaged one is reported and left byte for byte.
// spec: 4.5.4.1 R-4.5.4.1-1 test
TEST(client_queue, a_damaged_entry_is_skipped_and_kept)
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    q.add(entry(1000));
    write(s.dir / "bad.env", "garbage\n");
    const auto r = run_queue(q, queue_policy{}, 1000, always(recipient_state::delivered, 250));
    EXPECT_EQ(r.tried, 1U);
    EXPECT_EQ(r.delivered, 2U);
    ASSERT_EQ(r.damaged.size(), 1U);
    EXPECT_EQ(r.damaged[0].str(), (s.dir / "bad.env").string() + ":1: unknown key \"garbage\"");
    EXPECT_EQ(content(s.dir / "bad.env"), "garbage\n");
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(s.dir)) {
        left.push_back(e.path().filename().string());
    }
    EXPECT_EQ(left, std::vector<std::string>{"bad.env"});
}

/// The queue keeps the reply that deferred a recipient, as the server sent it.
TEST(client_queue, the_last_error_is_the_server_reply)
{
    scratch s;
    client_queue q{s.dir, queue_open::create};
    q.add(entry(1000));
    recipient_outcome greylisted;
    greylisted.state = recipient_state::temporary;
    greylisted.code = 451;
    greylisted.where = "mx.example.org[127.0.0.2]";
    greylisted.text = {"4.0.0 try later", "really"};
    run_queue(q, queue_policy{}, 1000, each(greylisted));
    EXPECT_EQ(q.list().at(0).last_error,
              "451 4.0.0 try later / really (from mx.example.org[127.0.0.2])");
    recipient_outcome unreachable;
    unreachable.state = recipient_state::temporary;
    unreachable.status = "4.4.1";
    unreachable.detail = "cannot connect to 127.0.0.4 port 25: Connection refused";
    run_queue(q, queue_policy{}, 4000, each(unreachable));
    EXPECT_EQ(q.list().at(0).last_error,
              "4.4.1 cannot connect to 127.0.0.4 port 25: Connection refused");
}

}  // namespace
}  // namespace smtpspec::reference::net
