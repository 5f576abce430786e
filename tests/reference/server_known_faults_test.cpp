// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Rows of tests/known-faults.md that concern the reference server, one test
// (or more) per row, with the row's id in the name. Other rows are tested in
// server_session_test.cpp and server_net_test.py.

#include "reference/server_session.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "spec/catalogue.hpp"
#include "tests/reference/session_harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace smtpspec::reference
{
namespace
{

using testing::server_harness;
using codes = std::vector<int>;

using testing::ehlo;
using testing::open_transaction;

// Known fault B11. spec: 4.1.4 R-4.1.4-14 test
TEST(server_session, invalid_local_part_is_501_B11)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<;sleep 66;>\r\n"), codes{501});
    EXPECT_EQ(h.session().state().at, model::phase::ready);
}

// Known fault B22, WG #106.
TEST(server_session, null_forward_path_is_501_B22)
{
    server_harness h;
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.net>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<>\r\n"), codes{501});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org>\r\n"), codes{250});
}

// Known fault B23. spec: 3.6.3 test
TEST(server_session, null_reverse_path_is_accepted_B23)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<>\r\n"), codes{250});
}

// Known fault B17. spec: 4.5.1 R-4.5.1-4 test
TEST(server_session, bare_postmaster_is_accepted_B17)
{
    server_harness h;
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.net>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<Postmaster>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<postmaster>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:Postmaster\r\n"), codes{501});
}

// Known fault B43. spec: 4.1.4 R-4.1.4-6 test
TEST(server_session, ehlo_without_domain_is_501_state_kept_B43)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("EHLO\r\n"), codes{501});
    EXPECT_EQ(h.send("HELO\r\n"), codes{501});
    EXPECT_EQ(h.session().state().at, model::phase::rcpt);
}

// Known fault B44. spec: 4.1.4 R-4.1.4-1 R-4.1.4-11 test
TEST(server_session, mail_before_ehlo_is_503_noop_works_B44)
{
    server_harness h;
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{503});
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
    const auto trace = h.session().take_trace();
    const auto it = std::ranges::find_if(trace, [](const trace_event& e) {
        return e.source == trace_source::server && e.text.starts_with("503");
    });
    ASSERT_NE(it, trace.end());
    EXPECT_EQ(spec::to_string(*it->why), "4.1.4 R-4.1.4-1 R-4.1.4-16");
}

// Known fault B48. spec: 2.3.8 R-2.3.8-1 test
TEST(server_session, bare_lf_never_ends_a_command_B48)
{
    server_harness h;
    EXPECT_EQ(h.send("HELO client.example.net\n"), codes{});
    EXPECT_EQ(h.send("MAIL FROM:<>\n"), codes{});
    EXPECT_EQ(h.send("\r\n"), codes{500});
    EXPECT_NE(h.last_output().find("bare LF"), std::string::npos);
    EXPECT_EQ(h.session().state().at, model::phase::greeted);
}

// Known fault B02: <LF>.<LF> is not an end of data. spec: 4.1.1.4 R-4.1.1.4-5 test
TEST(server_known_faults, lf_dot_lf_is_not_end_of_data_B02)
{
    server_harness h;
    open_transaction(h);
    EXPECT_EQ(h.send("DATA\r\n"), codes{354});
    EXPECT_EQ(h.send("hello\n.\nMAIL FROM:<boss@example.com>\r\nRCPT TO:<v@example.org>\r\n"
                     "DATA\r\n"),
              codes{});
    // Only the real CRLF.CRLF ends the data: one reply, a bare-LF refusal.
    EXPECT_EQ(h.send("fake\r\n.\r\n"), codes{554});
    EXPECT_TRUE(h.store().messages().empty());
    EXPECT_EQ(h.session().state().at, model::phase::ready);
}

// Known fault B05: the same verdict however the octets are split over reads.
// spec: 4.1.1.4 R-4.1.1.4-5 test
TEST(server_known_faults, end_of_data_independent_of_read_boundaries_B05)
{
    const std::vector<std::pair<std::vector<std::string>, codes>> cases{
        {{"hello\r", "\n.\r", "\n"}, codes{250}},
        {{"hello\r\n.", "\r\n"}, codes{250}},
        {{"hello\n", ".\r\n", "x\r\n.\r\n"}, codes{554}},
        {{"hello\r\n.", "\n", "x\r\n.\r\n"}, codes{554}},
    };
    for (const auto& [reads, expected] : cases) {
        server_harness h;
        open_transaction(h);
        h.send("DATA\r\n");
        codes seen;
        for (const auto& r : reads) {
            for (int c : h.send(r)) {
                seen.push_back(c);
            }
        }
        EXPECT_EQ(seen, expected) << ::testing::PrintToString(reads);
        if (expected == codes{250}) {
            ASSERT_EQ(h.store().messages().size(), 1U);
            EXPECT_EQ(h.store().messages().front().data, "hello\r\n");
        }
    }
}

// Known fault B12: a quoted local part with SP is valid. spec: 4.1.2 test
TEST(server_known_faults, quoted_local_part_with_space_B12)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<\"Alex Example\"@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<\"odd user\"@example.org>\r\n"), codes{250});
    h.send("DATA\r\nx\r\n.\r\n");
    ASSERT_EQ(h.store().messages().size(), 1U);
    const auto& env = h.store().messages().front().env;
    EXPECT_EQ(grammar::to_string(env.from), "<\"Alex Example\"@example.org>");
    EXPECT_EQ(grammar::to_string(env.recipients.front()), "<\"odd user\"@example.org>");
}

// Known fault B13: quoted forms, valid and invalid. spec: 4.1.2 test
TEST(server_known_faults, quoted_local_part_valid_and_invalid_B13)
{
    for (const auto& [line, code] : {std::pair{"MAIL FROM:<\" \"@example.org>\r\n", 250},
                                     {"MAIL FROM:<just\"not\"right@example.org>\r\n", 501},
                                     {"MAIL FROM:<this is\"not\\allowed@example.org>\r\n", 501}}) {
        server_harness h;
        h.send(ehlo);
        EXPECT_EQ(h.send(line), codes{code}) << line;
        EXPECT_EQ(h.session().state().at, code == 250 ? model::phase::mail : model::phase::ready);
    }
}

// Known fault B14: the stored path prints back to what parses to the same
// mailbox. spec: 4.1.2 test
TEST(server_known_faults, stored_paths_round_trip_B14)
{
    for (const std::string from : {"<\"a b\"@example.org>", "<\"@\"@example.org>"}) {
        server_harness h;
        h.send(ehlo);
        ASSERT_EQ(h.send("MAIL FROM:" + from + "\r\nRCPT TO:<b@example.org>\r\nDATA\r\nx\r\n.\r\n"),
                  (codes{250, 250, 354, 250}));
        const auto& env = h.store().messages().front().env;
        const std::string printed = grammar::to_string(env.from);
        EXPECT_EQ(printed, from);
        const auto again = grammar::parse_command("MAIL FROM:" + printed + "\r\n");
        ASSERT_TRUE(std::holds_alternative<grammar::command>(again));
        EXPECT_EQ(std::get<grammar::mail_command>(std::get<grammar::command>(again)).from,
                  env.from);
        const std::string header = trace_header(env, "mx.example.org", "id", 0);
        EXPECT_TRUE(header.starts_with("Return-Path: " + from + "\r\n")) << header;
    }
}

// Known fault B16: a path without angle brackets is refused (strict profile).
// spec: 4.1.2 test
TEST(server_known_faults, path_without_brackets_is_501_B16)
{
    server_config config;
    config.strict_client = true;
    server_harness h{config};
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:alice@example.org\r\n"), codes{501});
    EXPECT_EQ(h.session().state().at, model::phase::ready);
    const auto trace = h.session().take_trace();
    EXPECT_TRUE(std::ranges::any_of(trace, [](const trace_event& e) {
        return e.text.starts_with("deviation: syntax a client must not send");
    }));
}

// Known faults B18, B25 and B29: syntax errors in the path or the parameters
// get 501 and leave the state as it was (4.1.4). spec: 4.1.2 test
TEST(server_known_faults, path_and_parameter_syntax_is_501_B18_B25_B29)
{
    const std::vector<std::pair<std::string_view, model::phase>> cases{
        {"MAIL FROM:<>>>>>\r\n", model::phase::ready},                      // B18
        {"MAIL FROM:<a@example.org>>>\r\n", model::phase::ready},           // B18
        {"MAIL FROM:<a@example.org> XTEST=a=b\r\n", model::phase::ready},   // B29
        {"RCPT TO:<b@example.org>!\r\n", model::phase::mail},               // B18
        {"RCPT TO:<a@example.org,b@example.org>\r\n", model::phase::mail},  // B25
    };
    for (const auto& [line, phase] : cases) {
        server_harness h;
        h.send(ehlo);
        if (phase == model::phase::mail) {
            h.send("MAIL FROM:<a@example.org>\r\n");
        }
        EXPECT_EQ(h.send(line), codes{501}) << line;
        EXPECT_EQ(h.session().state().at, phase) << line;
    }
}

// Known fault B19: an address literal is valid syntax. spec: 4.1.3 test
TEST(server_known_faults, address_literal_recipient_is_valid_B19)
{
    server_harness h;
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.org>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<test@[192.0.2.123]>\r\n"), codes{250});
    // With local domains, policy (never syntax) refuses it.
    server_config config;
    config.local_domains = {"example.org"};
    server_harness p{config};
    p.send(ehlo);
    p.send("MAIL FROM:<a@example.org>\r\n");
    EXPECT_EQ(p.send("RCPT TO:<test@[192.0.2.123]>\r\n"), codes{550});
    EXPECT_NE(p.last_output().find("5.7.1"), std::string::npos);
}

// Known fault B39: the server undoes dot-stuffing exactly. spec: 4.5.2 test
TEST(server_known_faults, dot_stuffed_lines_are_stored_unstuffed_B39)
{
    server_harness h;
    open_transaction(h);
    h.send("DATA\r\n");
    EXPECT_EQ(h.send("hello\r\n..\r\n..test\r\n...x\r\n.\r\n"), codes{250});
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().data, "hello\r\n.\r\n.test\r\n..x\r\n");
}

// Known fault B46: 1000-octet lines (the stuffing dot not counted) are taken;
// a longer line is taken too and the session stays in step.
// spec: 4.5.3.1.6 test
TEST(server_known_faults, text_line_length_B46)
{
    server_config config;
    config.strict_client = true;
    server_harness h{config};
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    const std::string line1 = std::string(998, 'a') + "\r\n";
    const std::string line2 = ".." + std::string(997, 'b') + "\r\n";
    const std::string line3 = std::string(1200, 'c') + "\r\n";
    h.session().take_trace();
    EXPECT_EQ(h.send(line1 + line2 + line3 + ".\r\n"), codes{250});
    ASSERT_EQ(h.store().messages().size(), 1U);
    EXPECT_EQ(h.store().messages().front().data,
              line1 + "." + std::string(997, 'b') + "\r\n" + line3);
    const auto trace = h.session().take_trace();
    EXPECT_EQ(std::ranges::count_if(trace,
                                    [](const trace_event& e) {
                                        return e.text.starts_with("deviation: text line over 1000");
                                    }),
              1);
    EXPECT_EQ(h.send("NOOP\r\n"), codes{250});
}

}  // namespace
}  // namespace smtpspec::reference
