// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The reference client's service extensions: STARTTLS policy (known faults
// B09 and B10), SIZE, 8BITMIME, SMTPUTF8, CHUNKING and DSN, with scripted
// replies and no sockets.

#include "reference/client_session.hpp"

#include "grammar/extension.hpp"
#include "tests/reference/client_harness.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::reference
{
namespace
{

using testing::converse;
using testing::job;

client_config with_tls(tls_policy policy)
{
    client_config config;
    config.tls = policy;
    return config;
}

// Known fault B09: lines injected after the 220 and before the handshake are
// dropped; after TLS the client asks EHLO again and uses only that answer.
// spec: 4.1.1.1 R-4.1.1.1-7 test
TEST(client_starttls, injected_lines_before_the_handshake_are_dropped_B09)
{
    client_session c{with_tls(tls_policy::opportunistic), job()};
    std::string sent = converse(c, {"220 mx ready\r\n", "250-mx\r\n250 STARTTLS\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nSTARTTLS\r\n");
    sent = converse(c, {"220 2.0.0 go ahead\r\n250-mx.example.org\r\n250 AUTH PLAIN\r\n"});
    EXPECT_EQ(sent, "");
    ASSERT_TRUE(c.tls_handshake_due());
    // Late clear-text octets are dropped too.
    sent = converse(c, {"250 PIPELINING\r\n"});
    EXPECT_EQ(sent, "");
    c.tls_established("TLSv1.3 test");
    EXPECT_EQ(c.take_output(), "EHLO smtpspec.localhost\r\n");
    // Only the post-TLS list counts: SIZE here, and no PIPELINING.
    sent = converse(c, {"250-mx\r\n250 SIZE 1000\r\n"});
    EXPECT_EQ(sent, "MAIL FROM:<a@example.net> SIZE=21\r\n");
    sent = converse(c, {"250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 stored\r\n"});
    EXPECT_EQ(sent, "RCPT TO:<b@example.org>\r\nDATA\r\nSubject: t\r\n\r\nhello\r\n.\r\nQUIT\r\n");
    EXPECT_TRUE(c.result().delivered);
    EXPECT_EQ(c.result().tls, "TLSv1.3 test");
    bool noted = false;
    for (const auto& e : c.take_trace()) {
        noted = noted || e.text.find("known fault B09") != std::string::npos;
    }
    EXPECT_TRUE(noted);
}

// Known fault B10: STARTTLS missing from the list, and TLS required.
TEST(client_starttls, required_and_not_offered_sends_no_mail_B10)
{
    client_session c{with_tls(tls_policy::required), job()};
    const std::string sent =
        converse(c, {"220 mx\r\n", "250-mx.example.org\r\n250 PIPELINING\r\n", "221 bye\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nQUIT\r\n");
    EXPECT_FALSE(c.result().delivered);
    EXPECT_FALSE(c.result().refused_locally) << "another server may offer TLS: temporary";
    EXPECT_NE(c.result().error.find("does not offer STARTTLS"), std::string::npos);
}

// Known fault B10: STARTTLS refused with 454, and TLS required.
TEST(client_starttls, required_and_refused_sends_no_mail_B10)
{
    client_session c{with_tls(tls_policy::required), job()};
    const std::string sent = converse(
        c, {"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "454 4.7.0 TLS not available\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nSTARTTLS\r\nQUIT\r\n");
    EXPECT_EQ(c.result().final_code, 454);
    EXPECT_FALSE(c.result().delivered);
}

// Known fault B10 with HELO: a server that refuses EHLO cannot offer TLS.
TEST(client_starttls, required_after_helo_fallback_sends_no_mail_B10)
{
    client_session c{with_tls(tls_policy::required), job()};
    const std::string sent = converse(c, {"220 mx\r\n", "502 no\r\n", "250 mx\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nHELO smtpspec.localhost\r\nQUIT\r\n");
}

TEST(client_starttls, opportunistic_carries_on_after_a_refusal)
{
    client_session c{with_tls(tls_policy::opportunistic), job()};
    const std::string sent =
        converse(c, {"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "454 4.7.0 no TLS now\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nSTARTTLS\r\nMAIL FROM:<a@example.net>\r\n");
}

TEST(client_starttls, a_failed_handshake_ends_the_session)
{
    client_session c{with_tls(tls_policy::opportunistic), job()};
    converse(c, {"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n"});
    c.tls_failed("certificate verify failed");
    EXPECT_TRUE(c.done());
    EXPECT_EQ(c.take_output(), "");
    EXPECT_EQ(c.result().error, "the TLS handshake failed: certificate verify failed");
}

TEST(client_starttls, policy_none_never_sends_starttls)
{
    client_session c{with_tls(tls_policy::none), job()};
    const std::string sent = converse(c, {"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n");
}

// RFC 1870: no MAIL for a message over the declared SIZE.
TEST(client_size, a_message_over_the_limit_is_not_sent)
{
    client_session c{{}, job("Subject: t\n\n" + std::string(100, 'x') + "\n")};
    const std::string sent = converse(c, {"220 mx\r\n", "250-mx\r\n250 SIZE 50\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nQUIT\r\n");
    EXPECT_TRUE(c.result().refused_locally);
    EXPECT_EQ(c.result().error,
              "the message is 116 octets and the server declares SIZE 50: RFC 1870 6.1 says not "
              "to send a message the server has said it will not accept");
}

TEST(client_size, size_zero_or_absent_means_no_limit_and_dots_are_not_counted)
{
    client_session c{{}, job("..x\n")};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250-mx\r\n250 SIZE 0\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net> SIZE=5\r\n");
}

// RFC 6531: UTF-8 addresses only with SMTPUTF8.
TEST(client_smtputf8, utf8_address_needs_smtputf8)
{
    client_job j = job();
    j.to[0] = grammar::forward_path{false, grammar::path{{}, {"d\xc3\xb6rte", "example.org"}}};
    client_session refused{{}, j};
    EXPECT_EQ(converse(refused, {"220 mx\r\n", "250-mx\r\n250 8BITMIME\r\n"}),
              "EHLO smtpspec.localhost\r\nQUIT\r\n");
    EXPECT_TRUE(refused.result().refused_locally);
    EXPECT_NE(refused.result().error.find("SMTPUTF8"), std::string::npos);

    client_session c{{}, j};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250-mx\r\n250 SMTPUTF8\r\n", "250 ok\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net> SMTPUTF8\r\n"
              "RCPT TO:<d\xc3\xb6rte@example.org>\r\n");
}

// RFC 3030: chunks sized, LAST on the final one, no dot-stuffing.
TEST(client_chunking, bdat_chunks_without_stuffing)
{
    client_config config;
    config.use_bdat = true;
    config.bdat_chunk_octets = 8;
    client_session c{config, job(".a\n.\nbc\n")};
    std::string sent = converse(c, {"220 mx\r\n", "250-mx\r\n250 CHUNKING\r\n", "250 ok\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
                    "RCPT TO:<b@example.org>\r\n");
    sent = converse(c, {"250 ok\r\n"});
    EXPECT_EQ(sent, "BDAT 8\r\n.a\r\n.\r\nb");
    sent = converse(c, {"250 2.0.0 8 octets\r\n"});
    EXPECT_EQ(sent, "BDAT 3 LAST\r\nc\r\n");
    sent = converse(c, {"250 2.0.0 stored\r\n"});
    EXPECT_EQ(sent, "QUIT\r\n");
    EXPECT_TRUE(c.result().delivered);
    EXPECT_EQ(c.result().final_text, "2.0.0 stored");
}

TEST(client_chunking, pipelined_bdat_waits_for_the_rcpt_replies)
{
    client_config config;
    config.use_bdat = true;
    client_session c{config, job("x\n")};
    std::string sent = converse(c, {"220 mx\r\n", "250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n"});
    EXPECT_EQ(sent, "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
                    "RCPT TO:<b@example.org>\r\n");
    sent = converse(c, {"250 ok\r\n250 ok\r\n"});
    EXPECT_EQ(sent, "BDAT 3 LAST\r\nx\r\n");
}

// RFC 3030 2: after a refused chunk no other chunk goes out.
TEST(client_chunking, a_refused_chunk_ends_the_transaction)
{
    client_config config;
    config.use_bdat = true;
    config.bdat_chunk_octets = 2;
    client_session c{config, job("abcdef\n")};
    converse(c, {"220 mx\r\n", "250-mx\r\n250 CHUNKING\r\n", "250 ok\r\n", "250 ok\r\n"});
    EXPECT_EQ(converse(c, {"552 5.3.4 too big\r\n"}), "QUIT\r\n");
    EXPECT_EQ(c.result().final_code, 552);
    EXPECT_FALSE(c.result().delivered);
}

TEST(client_chunking, without_chunking_data_is_used)
{
    client_config config;
    config.use_bdat = true;
    client_session c{config, job("x\n")};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250 mx\r\n", "250 ok\r\n", "250 ok\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
              "RCPT TO:<b@example.org>\r\nDATA\r\n");
}

client_config with_dsn()
{
    client_config config;
    config.dsn.notify = "SUCCESS,FAILURE";
    config.dsn.ret = "HDRS";
    config.dsn.envid = "id+1=x y";
    config.dsn.orcpt = true;
    return config;
}

// RFC 3461: parameters xtext-encoded, only when DSN is offered.
TEST(client_dsn, parameters_when_offered)
{
    client_session c{with_dsn(), job()};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250-mx\r\n250 DSN\r\n", "250 ok\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net> RET=HDRS ENVID=id+2B1+3Dx+20y"
              "\r\nRCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org\r\n");
}

TEST(client_dsn, nothing_when_not_offered)
{
    client_session c{with_dsn(), job()};
    EXPECT_EQ(
        converse(c, {"220 mx\r\n", "250 mx\r\n", "250 ok\r\n"}),
        "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n");
}

// The encoder the client uses, checked against the grammar's decoder.
TEST(client_dsn, xtext_round_trip)
{
    EXPECT_EQ(grammar::encode_xtext("a+b=c d\xff"), "a+2Bb+3Dc+20d+FF");
    std::string all;
    for (int c = 0; c < 256; ++c) {
        all += static_cast<char>(c);
    }
    EXPECT_EQ(grammar::decode_xtext(grammar::encode_xtext(all)), all);
}

// Known fault B27 from the client's side: a CR or LF in ORCPT is encoded,
// never sent as a line break.
TEST(client_dsn, control_octets_are_encoded_B27)
{
    EXPECT_EQ(grammar::encode_xtext("x\r\ny@example.org"), "x+0D+0Ay@example.org");
}

// Known faults B01, B02, B03 from the client's side: a message that holds
// the smuggling sequences goes out with every line ending as CRLF and the
// dot stuffed, so the server sees one message and no second transaction.
// spec: 4.5.2 test
TEST(client_known_faults, smuggling_sequences_in_a_message_are_neutralised_B01_B02_B03)
{
    std::size_t longest = 0;
    EXPECT_EQ(prepare_data("a\n.\r\nMAIL FROM:<x@y.z>\r\n", longest),
              "a\r\n..\r\nMAIL FROM:<x@y.z>\r\n.\r\n");                            // B01
    EXPECT_EQ(prepare_data("a\n.\nQUIT\n", longest), "a\r\n..\r\nQUIT\r\n.\r\n");  // B02
    EXPECT_EQ(prepare_data("a\r\n.\nQUIT", longest), "a\r\n..\r\nQUIT\r\n.\r\n");  // B03
}

// Known fault B14: a quoted local part is sent as it was given.
TEST(client_known_faults, quoted_local_parts_are_sent_as_given_B14)
{
    client_job j = job();
    j.from = grammar::reverse_path{grammar::path{{}, {"\"a b\"", "example.net"}}};
    j.to[0] = grammar::forward_path{false, grammar::path{{}, {"\"@\"", "example.org"}}};
    client_session c{{}, j};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250 mx\r\n", "250 ok\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<\"a b\"@example.net>\r\n"
              "RCPT TO:<\"@\"@example.org>\r\n");
}

// Known fault B25: one RCPT per recipient, never a list in one command.
TEST(client_known_faults, one_rcpt_per_recipient_B25)
{
    client_job j = job();
    j.to.push_back(grammar::forward_path{false, grammar::path{{}, {"c", "example.org"}}});
    client_config config;
    config.use_pipelining = false;
    client_session c{config, j};
    EXPECT_EQ(converse(c, {"220 mx\r\n", "250 mx\r\n", "250 ok\r\n", "250 ok\r\n"}),
              "EHLO smtpspec.localhost\r\nMAIL FROM:<a@example.net>\r\n"
              "RCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\n");
}

}  // namespace
}  // namespace smtpspec::reference
