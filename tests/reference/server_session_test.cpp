// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/server_session.hpp"

#include "grammar/extension.hpp"
#include "grammar/parse.hpp"
#include "model/step.hpp"
#include "spec/catalogue.hpp"
#include "tests/reference/session_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace smtpspec::reference
{
namespace
{

using testing::reply_codes;
using testing::server_harness;
using codes = std::vector<int>;

using testing::ehlo;
using testing::open_transaction;

// spec: 3.1 test
TEST(server_session, greeting_is_220_with_hostname)
{
    server_harness h;
    EXPECT_EQ(h.greeting(), "220 smtpspec.localhost ESMTP smtpspec reference server ready\r\n");
}

// spec: 4.1.1.4 R-4.1.1.4-6 test
TEST(server_session, delivers_one_message_exactly)
{
    server_harness h;
    EXPECT_EQ(h.send(ehlo), codes{250});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.net>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("DATA\r\n"), codes{354});
    EXPECT_EQ(h.send("Subject: t\r\n\r\nbody\r\n..dot\r\n.\r\n"), codes{250});
    EXPECT_EQ(h.send("QUIT\r\n"), codes{221});
    EXPECT_TRUE(h.session().closed());
    ASSERT_EQ(h.store().messages().size(), 1U);
    const auto& m = h.store().messages().front();
    EXPECT_EQ(m.data, "Subject: t\r\n\r\nbody\r\n.dot\r\n");
    EXPECT_EQ(m.env.client_name, "client.example.net");
    EXPECT_TRUE(m.env.extended);
    ASSERT_EQ(m.env.recipients.size(), 1U);
}

// A session without a store hands the message out; its 250 (and whatever
// was pipelined after the end of data) waits for stored().
// spec: 6.1 R-6.1-1 test (WG #114)
TEST(server_session, deferred_store_answers_only_once_stored)
{
    server_session s{server_config{}};
    s.start();
    s.take_output();
    s.feed("EHLO client.example.net\r\nMAIL FROM:<a@example.net>\r\n"
           "RCPT TO:<b@example.org>\r\nDATA\r\n");
    EXPECT_EQ(reply_codes(s.take_output()), (codes{250, 250, 250, 354}));
    s.feed("Subject: t\r\n\r\n..x\r\n.\r\nNOOP\r\n");
    ASSERT_TRUE(s.store_due());
    EXPECT_EQ(s.take_output(), "");
    s.feed("QUIT\r\n");  // Kept, not read, until the store answers.
    EXPECT_EQ(s.take_output(), "");
    const accepted_message m = s.take_message();
    EXPECT_FALSE(s.store_due());
    EXPECT_EQ(m.data, "Subject: t\r\n\r\n.x\r\n");
    ASSERT_EQ(m.env.recipients.size(), 1U);
    s.stored({true, "id-1"});
    EXPECT_EQ(s.take_output(), "250 2.0.0 Accepted and stored as id-1\r\n250 2.0.0 OK\r\n"
                               "221 2.0.0 smtpspec.localhost closing connection\r\n");
    EXPECT_TRUE(s.closed());
}

// spec: 6.1 R-6.1-1 test (WG #114)
TEST(server_session, deferred_store_failure_is_451_and_session_goes_on)
{
    server_session s{server_config{}};
    s.start();
    s.feed("EHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
           "x\r\n.\r\n");
    s.take_output();
    ASSERT_TRUE(s.store_due());
    s.take_message();
    s.stored({false, "disk full"});
    EXPECT_EQ(s.take_output(), "451 4.3.0 Could not store the message; try again later\r\n");
    EXPECT_EQ(s.state().at, model::phase::ready);
    s.feed("RSET\r\n");
    EXPECT_EQ(reply_codes(s.take_output()), codes{250});
}

// RFC 6531 3.7.1: EHLO and HELO carry only ASCII domains (LDH labels or
// A-labels), even where SMTPUTF8 is offered; a U-label there is a syntax
// error, so it never reaches the Received field.
// spec: rfc6531/3.7.1 test
TEST(server_session, utf8_domain_in_ehlo_is_501_even_with_smtputf8)
{
    server_config config;
    config.profile.smtputf8 = true;
    server_harness h{config};
    EXPECT_EQ(h.send("EHLO h\xC3\xA9llo.test\r\n"), codes{501});
    EXPECT_EQ(h.send("HELO h\xC3\xA9llo.test\r\n"), codes{501});
    EXPECT_EQ(h.send("EHLO xn--hllo-bpa.test\r\n"), codes{250});
    EXPECT_NE(h.last_output().find("250 SMTPUTF8\r\n"), std::string::npos);
}

TEST(server_session, ehlo_lists_extensions)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.last_output(),
              "250-smtpspec.localhost greets client.example.net\r\n250-PIPELINING\r\n"
              "250-8BITMIME\r\n250-SIZE 33554432\r\n250-DSN\r\n250-CHUNKING\r\n"
              "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n");
}

// RFC 2920 3.2: a pipelined group sent in one write gets its replies, in
// order, in one piece of output (the shell writes it at once).
TEST(server_session, pipelined_group_replies_come_together)
{
    server_harness h;
    h.send(ehlo);
    const auto c = h.send("RSET\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
                          "RCPT TO:<>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
    EXPECT_EQ(c, (codes{250, 250, 250, 501, 250, 354}));
    EXPECT_EQ(h.send("x\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<d@example.org>\r\nQUIT\r\n"),
              (codes{250, 250, 250, 221}));
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().env.recipients.size(), 2U);
}

TEST(server_session, pipelining_can_be_switched_off)
{
    server_config config;
    config.profile.pipelining = false;
    server_harness h{config};
    h.send(ehlo);
    EXPECT_EQ(h.last_output().find("PIPELINING"), std::string::npos);
}

// spec: 3.8 R-3.8-1 test
TEST(server_session, overloaded_server_answers_421_and_closes)
{
    memory_store store;
    server_session s{{}, store};
    s.start_overloaded();
    EXPECT_EQ(s.take_output(),
              "421 4.3.2 smtpspec.localhost too many connections; try again later\r\n");
    EXPECT_TRUE(s.closed());
}

// RFC 2034 4 and 5: enhanced codes whether or not EHLO was used.
TEST(server_session, enhanced_codes_before_ehlo_and_in_errors_to_ehlo)
{
    // Codes do not wait for EHLO (RFC 2034 4, 5); only the 220 greeting and
    // the 250 to EHLO/HELO, whose text begins with the Domain, have none.
    server_harness h;
    EXPECT_EQ(h.greeting(), "220 smtpspec.localhost ESMTP smtpspec reference server ready\r\n");
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
    EXPECT_EQ(h.last_output(), "250 2.0.0 OK\r\n");
    EXPECT_EQ(h.send("EHLO\r\n"), codes{501});
    EXPECT_TRUE(h.last_output().starts_with("501 5.5.4 Syntax error in arguments: "))
        << h.last_output();
    EXPECT_EQ(h.send("HELO bad domain!\r\n"), codes{501});
    EXPECT_TRUE(h.last_output().starts_with("501 5.5.4 Syntax error in arguments: "))
        << h.last_output();
    EXPECT_EQ(h.send("HELO client.example.net\r\n"), codes{250});
    EXPECT_EQ(h.last_output(), "250 smtpspec.localhost greets client.example.net\r\n");
    EXPECT_EQ(h.send("EHLO client.example.net\r\n"), codes{250});
    EXPECT_TRUE(h.last_output().starts_with(
        "250-smtpspec.localhost greets client.example.net\r\n"))
        << h.last_output();

    // Without the extension, no reply carries one.
    server_config plain;
    plain.profile.enhanced_status_codes = false;
    server_harness p{plain};
    EXPECT_EQ(p.send("NOOP\r\n"), codes{250});
    EXPECT_EQ(p.last_output(), "250 OK\r\n");
    memory_store store;
    server_session s{plain, store};
    s.start_overloaded();
    EXPECT_EQ(s.take_output(),
              "421 smtpspec.localhost too many connections; try again later\r\n");
}

// spec: 3.1 R-3.1-3 test
TEST(server_session, greeting_554_carries_an_enhanced_code)
{
    server_config config;
    config.profile.greeting_554 = true;
    server_harness h{config};
    EXPECT_EQ(h.greeting(), "554 5.3.2 smtpspec.localhost no mail service here; send QUIT\r\n");
}

TEST(server_session, starttls_offered_only_with_a_certificate)
{
    server_harness plain;
    plain.send(ehlo);
    EXPECT_EQ(plain.last_output().find("STARTTLS"), std::string::npos);
    server_config config;
    config.tls_available = true;
    server_harness tls{config};
    tls.send(ehlo);
    EXPECT_NE(tls.last_output().find("250-STARTTLS\r\n"), std::string::npos);
}

TEST(server_session, tls_established_outside_a_handshake_is_ignored)
{
    server_harness h;
    open_transaction(h);
    h.session().tls_established("TLSv1.3 X");
    EXPECT_FALSE(h.session().state().tls);
    EXPECT_EQ(h.session().state().at, model::phase::rcpt);
}

// Known fault B38. spec: 4.5.3.1.4 test
TEST(server_session, overlong_command_line_is_500_and_session_continues_B38)
{
    server_harness h;
    EXPECT_EQ(h.send("NOOP " + std::string(600, 'a') + "\r\n"), codes{500});
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
}

// Known fault B38: a megabyte without CRLF ends the session with 421.
TEST(server_session, endless_line_closes_with_421_B38)
{
    server_harness h;
    const std::string chunk(64 * 1024, 'a');
    codes seen;
    for (int i = 0; i < 16 && !h.session().closed(); ++i) {
        const auto c = h.send(chunk);
        seen.insert(seen.end(), c.begin(), c.end());
    }
    EXPECT_EQ(seen, codes{421});
    EXPECT_TRUE(h.session().closed());
}

// Known fault B01: smuggled commands inside the data are never run.
TEST(server_session, smuggling_lf_dot_crlf_gets_one_reply_B01)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("DATA\r\n"), codes{354});
    const auto c = h.send("Subject: a\r\n\r\nhello\n.\r\nMAIL FROM:<boss@example.com>\r\n"
                          "RCPT TO:<victim@example.org>\r\nDATA\r\nFrom: boss@example.com\r\n"
                          "\r\nfake\r\n.\r\n");
    EXPECT_EQ(c, codes{554});
    EXPECT_TRUE(h.store().messages().empty());
    EXPECT_EQ(h.session().state().at, model::phase::ready);
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
}

// Known fault B03: <CRLF>.<LF>QUIT is data; QUIT is not run.
TEST(server_session, crlf_dot_lf_quit_is_data_B03)
{
    server_harness h;
    open_transaction(h);
    h.send("DATA\r\n");
    EXPECT_EQ(h.send("hello\r\n.\nQUIT\r\n"), codes{});
    EXPECT_FALSE(h.session().closed());
    EXPECT_EQ(h.send(".\r\n"), codes{554});
}

TEST(server_session, disconnect_mid_data_stores_nothing)
{
    server_harness h;
    open_transaction(h);
    h.send("DATA\r\nSubject: half\r\n");
    h.session().peer_closed();
    EXPECT_TRUE(h.store().messages().empty());
    EXPECT_TRUE(h.session().closed());
}

// Known fault B06: what follows an accepted DATA is data, as the state says.
TEST(server_session, pipelined_group_with_data_B06)
{
    server_harness h;
    h.send(ehlo);
    const auto c = h.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
                          "Subject: x\r\n\r\nbody\r\n.\r\n");
    EXPECT_EQ(c, (codes{250, 250, 354, 250}));
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().data, "Subject: x\r\n\r\nbody\r\n");
}

// Known fault B28. RFC 6152 2.
TEST(server_session, body_parameter_values_B28)
{
    for (const auto& [param, code] : {std::pair{"BODY=8bitMIME", 250}, {"BODY=7bit", 250},
                                      {"BODY=9BIT", 501}}) {
        server_harness h;
        h.send(ehlo);
        EXPECT_EQ(h.send(std::string{"MAIL FROM:<a@example.org> "} + param + "\r\n"),
                  codes{code})
            << param;
    }
}

// Known fault B30: parameters of an extension not offered are refused.
// spec: 4.1.1 R-4.1.1-4 test
TEST(server_session, rcpt_notify_without_dsn_is_555_B30)
{
    server_config config;
    config.profile.dsn = false;
    server_harness h{config};
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.org>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE\r\n"), codes{555});
}

TEST(server_session, size_over_limit_is_552)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> SIZE=999999999999\r\n"), codes{552});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> SIZE=1000\r\n"), codes{250});
}

TEST(server_session, parameters_after_helo_are_555)
{
    server_harness h;
    h.send("HELO client.example.net\r\n");
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n"), codes{555});
}

// spec: 4.1.1.5 R-4.1.1.5-1 test
TEST(server_session, rset_drops_the_transaction)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("RSET\r\n"), codes{250});
    EXPECT_EQ(h.send("DATA\r\n"), codes{503});
}

// spec: 7.3 R-7.3-2 test
TEST(server_session, vrfy_and_expn_are_252)
{
    server_harness h;
    EXPECT_EQ(h.send("VRFY postmaster\r\nEXPN staff\r\n"), (codes{252, 252}));
}

TEST(server_session, unknown_verb_and_garbage_are_500)
{
    server_harness h;
    EXPECT_EQ(h.send("XYZZY\r\n"), codes{500});
    EXPECT_EQ(h.send(std::string{"NO\0OP\r\n", 7}), codes{500});
    EXPECT_EQ(h.send("\xff\xfe\x01\x02\r\n"), codes{500});
}

// WG #105: white space before CRLF is tolerated by default.
TEST(server_session, trailing_space_follows_profile_wg105)
{
    server_harness lenient;
    EXPECT_EQ(lenient.send("NOOP \r\n"), codes{250});
    EXPECT_EQ(lenient.send("NOOP\t\r\n"), codes{250});
    EXPECT_EQ(lenient.send("RSET\t \r\n"), codes{250});
    server_config strict_config;
    strict_config.profile.tolerate_trailing_space = false;
    server_harness strict{strict_config};
    EXPECT_EQ(strict.send("RSET \r\n"), codes{501});
    EXPECT_EQ(strict.send("NOOP\t\r\n"), codes{501});
}

// WG #116: HELO resets the transaction only under the 5321bis reading.
TEST(server_session, helo_reset_follows_profile_wg116)
{
    for (const auto* p : {&model::rfc5321(), &model::rfc5321bis()}) {
        server_config config;
        config.profile = *p;
        server_harness h{config};
        h.send(ehlo);
        h.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n");
        h.send("HELO client.example.net\r\n");
        const codes expected{p->helo_resets_transaction ? 503 : 354};
        EXPECT_EQ(h.send("DATA\r\n"), expected) << p->name;
    }
}

/// A session that offers STARTTLS (the shell has a certificate).
server_config tls_config()
{
    server_config config;
    config.tls_available = true;
    return config;
}

// Known fault B07: nothing sent in clear after STARTTLS runs.
// spec: rfc3207/4 test
TEST(server_session, starttls_drops_pipelined_commands_B07)
{
    server_harness h{tls_config()};
    open_transaction(h);
    EXPECT_EQ(h.send("STARTTLS\r\nRSET\r\n"), codes{220});
    EXPECT_EQ(h.last_output(), "220 2.0.0 Ready to start TLS\r\n");
    EXPECT_TRUE(h.session().tls_handshake_due());
    EXPECT_EQ(h.send("QUIT\r\n"), codes{});
    EXPECT_FALSE(h.session().closed());
    const auto trace = h.session().take_trace();
    const auto commands = std::ranges::count_if(trace, [](const trace_event& e) {
        return e.source == trace_source::client && (e.text == "RSET" || e.text == "QUIT");
    });
    EXPECT_EQ(commands, 0);
    h.session().tls_established("TLSv1.3 TLS_AES_128_GCM_SHA256");
    EXPECT_FALSE(h.session().tls_handshake_due());
    EXPECT_EQ(h.session().state().at, model::phase::greeted);
    EXPECT_TRUE(h.session().state().tls);
}

// spec: rfc3207/4.2 test
TEST(server_session, after_tls_the_session_starts_again)
{
    server_harness h{tls_config()};
    open_transaction(h);
    h.send("STARTTLS\r\n");
    h.session().tls_established("TLSv1.3 TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(h.send("MAIL FROM:<a@example.net>\r\n"), codes{503});
    EXPECT_EQ(h.send(ehlo), codes{250});
    EXPECT_EQ(h.last_output().find("STARTTLS"), std::string::npos);
    EXPECT_EQ(h.send("STARTTLS\r\n"), codes{503});
    EXPECT_EQ(h.send("DATA\r\n"), codes{503});
    h.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    EXPECT_EQ(h.send("x\r\n.\r\n"), codes{250});
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().env.tls, "TLSv1.3 TLS_AES_128_GCM_SHA256");
}

TEST(server_session, starttls_without_certificate_is_454)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("STARTTLS\r\n"), codes{454});
    EXPECT_EQ(h.send("STARTTLS x\r\n"), codes{501});
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
}

TEST(server_session, received_says_esmtps_under_tls)
{
    envelope env;
    env.client_name = "client.example.net";
    env.extended = true;
    env.tls = "TLSv1.3 TLS_AES_128_GCM_SHA256";
    const std::string header = trace_header(env, "mx.example.org", "id1", 0);
    EXPECT_NE(header.find("with ESMTPS (TLSv1.3 TLS_AES_128_GCM_SHA256) id id1"),
              std::string::npos)
        << header;
}

// spec: rfc3030/2 test
TEST(server_session, bdat_chunks_are_counted_exactly_across_reads)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("BDAT 12\r\nSubject: "), codes{});
    EXPECT_EQ(h.send("x\r\n"), codes{250});
    // No dot-unstuffing and no end-of-data line inside BDAT data.
    EXPECT_EQ(h.send("BDAT 10 LAST\r\n\r\n.\r\n..x\r\n"), codes{250});
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().data, "Subject: x\r\n\r\n.\r\n..x\r\n");
    EXPECT_EQ(h.session().state().at, model::phase::ready);
}

TEST(server_session, bdat_byte_by_byte)
{
    server_harness h;
    open_transaction(h);
    const std::string wire = "BDAT 4\r\nab\r\nBDAT 0 LAST\r\nNOOP\r\n";
    codes all;
    for (const char c : wire) {
        const auto got = h.send(std::string(1, c));
        all.insert(all.end(), got.begin(), got.end());
    }
    EXPECT_EQ(all, (codes{250, 250, 250}));
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().data, "ab\r\n");
}

// spec: rfc3030/2 test
TEST(server_session, bdat_and_data_do_not_mix)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("BDAT 3\r\nabc"), codes{250});
    EXPECT_EQ(h.send("DATA\r\n"), codes{503});
    EXPECT_EQ(h.send("RCPT TO:<c@example.org>\r\n"), codes{503});
    EXPECT_EQ(h.send("RSET\r\n"), codes{250});
    // After BDAT LAST the transaction is over: another BDAT is out of sequence,
    // and its octets are read and dropped, never run as commands.
    open_transaction(h);
    EXPECT_EQ(h.send("BDAT 0 LAST\r\n"), codes{250});
    EXPECT_EQ(h.send("BDAT 6\r\nQUIT\r\n"), codes{503});
    EXPECT_FALSE(h.session().closed());
    EXPECT_EQ(h.store().messages().size(), 1U);
}

TEST(server_session, bdat_without_recipient_is_refused_after_its_chunk)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("BDAT 6\r\nRSET\r\n"), codes{503});
    h.send("MAIL FROM:<a@example.net>\r\n");
    EXPECT_EQ(h.send("BDAT 6 LAST\r\nRSET\r\n"), codes{503});
    EXPECT_TRUE(h.store().messages().empty());
}

TEST(server_session, bdat_over_the_size_limit_is_552)
{
    server_config config;
    config.profile.max_message_size = 10;
    server_harness h{config};
    open_transaction(h);
    EXPECT_EQ(h.send("BDAT 8\r\n12345678"), codes{250});
    EXPECT_EQ(h.send("BDAT 8 LAST\r\n12345678NOOP\r\n"), (codes{552, 250}));
    EXPECT_TRUE(h.store().messages().empty());
    EXPECT_EQ(h.session().state().at, model::phase::ready);
}

// A BDAT line refused for its syntax still announces its chunk: the octets
// are dropped, never run as commands (a smuggled RCPT here).
// spec: rfc3030/2 test
TEST(server_session, refused_bdat_line_chunk_is_not_commands)
{
    server_harness h;
    open_transaction(h);
    const std::string smuggled = "RCPT TO:<evil@c.test>\r\n";
    EXPECT_EQ(h.send("BDAT " + std::to_string(smuggled.size()) + " LAST x\r\n" + smuggled),
              codes{501});
    EXPECT_EQ(h.send("BDAT 3 LAST\r\nabc"), codes{250});
    ASSERT_EQ(h.store().messages().size(), 1U);
    ASSERT_EQ(h.store().messages()[0].env.recipients.size(), 1U);
    EXPECT_EQ(h.store().messages()[0].data, "abc");
    // A size that cannot be read exactly leaves the chunk's end unknown: the
    // session ends rather than guess (a tab, a sign, a word).
    for (const char* bad : {"BDAT\t6 LAST\r\nHELP\r\n", "BDAT +6 LAST\r\nHELP\r\n",
                            "BDAT x\r\nNOOP\r\n"}) {
        server_harness s;
        open_transaction(s);
        EXPECT_EQ(s.send(bad), (codes{501, 421})) << bad;
        EXPECT_TRUE(s.session().closed()) << bad;
    }
    // BDAT alone announces no chunk: the session goes on.
    EXPECT_EQ(h.send("BDAT\r\nNOOP\r\n"), (codes{501, 250}));
}

TEST(server_session, bdat_is_502_when_chunking_is_off)
{
    server_config config;
    config.profile.chunking = false;
    server_harness h{config};
    open_transaction(h);
    EXPECT_EQ(h.last_output().find("CHUNKING"), std::string::npos);
    EXPECT_EQ(h.send("BDAT 0 LAST\r\n"), codes{502});
}

// Known fault B30 with DSN offered. spec: rfc3461/4.1 test
TEST(server_session, rcpt_notify_with_dsn_is_250_B30)
{
    server_harness h;
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.org> RET=hdrs ENVID=QQ+2B1\r\n");
    EXPECT_EQ(h.send("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<c@example.org> NOTIFY=NEVER ORCPT=rfc822;c+2Bx@example.org\r\n"),
              codes{250});
    h.send("DATA\r\nx\r\n.\r\n");
    ASSERT_EQ(h.store().messages().size(), 1U);
    const envelope& env = h.store().messages().front().env;
    ASSERT_EQ(env.recipients.size(), 2U);
    EXPECT_EQ(grammar::to_string(env.recipients.front()), "<b@example.org>");
    ASSERT_EQ(env.dsn.size(), 2U);
    EXPECT_EQ(env.dsn[0].notify, "SUCCESS,FAILURE");
    EXPECT_EQ(env.dsn[1].notify, "NEVER");
    EXPECT_EQ(env.dsn[1].orcpt_type, "rfc822");
    EXPECT_EQ(env.dsn[1].orcpt, "c+x@example.org");
    EXPECT_EQ(env.dsn_ret, "HDRS");
    EXPECT_EQ(env.dsn_envid, "QQ+1");
}

// Known fault B27: xtext that decodes to CR or LF is refused, never stored.
TEST(server_session, dsn_values_decoding_to_control_octets_are_501_B27)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> ENVID=x+0AReceived:+20forged\r\n"), codes{501});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org> ORCPT=rfc822;x+0Dy@example.org\r\n"), codes{501});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS\r\n"), codes{501});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org> NOTIFY=DELAY NOTIFY=DELAY\r\n"), codes{501});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> RET=ALL\r\n"), codes{503});
    EXPECT_EQ(h.session().state().at, model::phase::mail);
    const auto trace = h.session().take_trace();
    for (const auto& e : trace) {
        EXPECT_EQ(e.text.find_first_of("\r\n"), std::string::npos) << e.text;
    }
}

// Known fault B33: AUTH is not offered, so AUTH= is an unsupported parameter.
TEST(server_session, auth_parameter_without_auth_is_555_B33)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> AUTH=<>\r\n"), codes{555});
    EXPECT_EQ(h.send("AUTH PLAIN\r\n"), codes{502});
}

// spec: 4.5.3.1.10 R-4.5.3.1.10-2 test
TEST(server_session, recipient_limit_is_452)
{
    server_config config;
    config.profile.max_recipients = 100;
    server_harness h{config};
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.org>\r\n");
    std::string group;
    for (int i = 0; i < 101; ++i) {
        group += "RCPT TO:<r" + std::to_string(i) + "@example.org>\r\n";
    }
    const auto got = h.send(group);
    ASSERT_EQ(got.size(), 101U);
    EXPECT_EQ(got[99], 250);
    EXPECT_EQ(got[100], 452);
    EXPECT_NE(h.last_output().find("452 4.5.3 "), std::string::npos);
}

// The sessions of a server share one budget for mail data: a message that
// finds no room is dropped as it arrives and refused at its end with 452
// 4.3.1; the others go on, and the memory comes back when messages are
// committed or sessions end.
// spec: 4.5.3.1.9 test
TEST(server_session, shared_data_budget_refuses_with_452)
{
    server_config config;
    config.budget = std::make_shared<data_budget>(64 * 1024);
    const auto& budget = *config.budget;
    const std::string line(998, 'x');
    std::string big;  // About 40 KiB of mail data.
    for (int i = 0; i < 40; ++i) {
        big += line + "\r\n";
    }
    // A holds about 40 KiB while its data is open and its store pending.
    server_session a{config};
    a.start();
    a.feed("EHLO a.example\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n" + big);
    EXPECT_GE(budget.held(), big.size());
    const std::size_t a_held = budget.held();
    // B's 40 KiB do not fit beside A's: dropped, 452 at the end of data.
    server_harness b{config};
    open_transaction(b);
    EXPECT_EQ(b.send("DATA\r\n"), codes{354});
    EXPECT_EQ(b.send(big), codes{});
    EXPECT_EQ(b.send(".\r\nNOOP\r\n"), (codes{452, 250}));
    EXPECT_NE(b.last_output().find("452 4.3.1 Insufficient system storage"), std::string::npos);
    EXPECT_TRUE(b.store().messages().empty());
    EXPECT_EQ(b.session().state().at, model::phase::ready);
    // One event for the log: the limit, and what was held then (A's data;
    // B's dropped octets are counted no longer).
    auto refusals = b.session().take_memory_refusals();
    ASSERT_EQ(refusals.size(), 1U);
    EXPECT_EQ(refusals[0].limit, 64U * 1024U);
    EXPECT_EQ(refusals[0].held, a_held);
    EXPECT_TRUE(b.session().take_memory_refusals().empty());
    EXPECT_TRUE(a.take_memory_refusals().empty());
    // BDAT meets the same limit, chunk by chunk.
    EXPECT_EQ(b.send("MAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nBDAT " +
                     std::to_string(big.size()) + " LAST\r\n" + big),
              (codes{250, 250, 452}));
    refusals = b.session().take_memory_refusals();
    ASSERT_EQ(refusals.size(), 1U);
    EXPECT_EQ(refusals[0].held, a_held);
    // A's message is whole: its end of data, its commit, and the memory is back.
    a.feed(".\r\n");
    ASSERT_TRUE(a.store_due());
    const accepted_message m = a.take_message();
    EXPECT_EQ(m.data, big);
    EXPECT_GE(budget.held(), big.size());  // Counted until stored().
    a.stored({true, "id-a"});
    EXPECT_EQ(budget.held(), 0U);
    // Now B's message fits.
    EXPECT_EQ(b.send("MAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n" + big +
                     ".\r\n"),
              (codes{250, 250, 354, 250}));
    ASSERT_EQ(b.store().messages().size(), 1U);
    EXPECT_EQ(b.store().messages()[0].data, big);
    EXPECT_EQ(budget.held(), 0U);
}

// A session that ends in the middle of its data gives its memory back.
// spec: 4.5.3.1.9 test
TEST(server_session, data_budget_comes_back_when_a_session_ends)
{
    server_config config;
    config.budget = std::make_shared<data_budget>(0);  // No limit; still counted.
    const auto& budget = *config.budget;
    {
        server_harness h{config};
        open_transaction(h);
        h.send("DATA\r\n" + std::string(5000, 'y'));
        EXPECT_GE(budget.held(), 5000U);
        h.session().peer_closed();
        EXPECT_EQ(budget.held(), 0U);
        h.send("");
    }
    {
        server_harness h{config};
        open_transaction(h);
        h.send("BDAT 3000\r\n" + std::string(3000, 'z') + "BDAT 100\r\n" + std::string(50, 'w'));
        EXPECT_GE(budget.held(), 3050U);
    }
    EXPECT_EQ(budget.held(), 0U);
}

// Every input ends at the one settling of the memory account: a message
// stored after its session closed, and a transaction ended by commands
// whose group ends in STARTTLS with octets after it, give their memory back
// at once.
// spec: 4.5.3.1.9 test
TEST(server_session, data_budget_is_settled_after_every_input)
{
    server_config config;
    config.budget = std::make_shared<data_budget>(0);  // No limit; still counted.
    config.tls_available = true;
    const auto& budget = *config.budget;
    {
        server_session s{config};
        s.start();
        s.feed("EHLO a.example\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
               + std::string(4000, 'q') + "\r\n.\r\n");
        ASSERT_TRUE(s.store_due());
        const accepted_message m = s.take_message();
        s.peer_closed();
        EXPECT_GE(budget.held(), m.data.size());  // Counted until stored().
        s.take_trace();
        s.stored({true, "id-late"});
        EXPECT_EQ(budget.held(), 0U);
        const auto trace = s.take_trace();
        ASSERT_FALSE(trace.empty());
        EXPECT_EQ(trace.back().text, "store completed after the session ended: id-late");
    }
    server_harness h{config};
    open_transaction(h);
    EXPECT_EQ(h.send("BDAT 2000\r\n" + std::string(2000, 'r')), codes{250});
    EXPECT_GE(budget.held(), 2000U);
    EXPECT_EQ(h.send("RSET\r\nSTARTTLS\r\nNOOP\r\n"), (codes{250, 220}));
    EXPECT_TRUE(h.session().tls_handshake_due());
    EXPECT_EQ(budget.held(), 0U);
}

}  // namespace
}  // namespace smtpspec::reference
