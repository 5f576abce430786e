// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The reference server's SMTPUTF8 (RFC 6531), AUTH (RFC 4954), local domains
// and mailboxes, and the strict client-testing mode with its scripts.

#include "reference/server_session.hpp"

#include "grammar/rules/extensions/smtputf8_trace.hpp"
#include "model/step.hpp"
#include "reference/internal/client_script.hpp"
#include "reference/internal/sasl.hpp"
#include "spec/catalogue.hpp"
#include "tests/reference/session_harness.hpp"

#include <gtest/gtest.h>
#include <tao/pegtl.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference
{
namespace
{

using testing::server_harness;
using codes = std::vector<int>;

using testing::ehlo;

/// The "deviation:" notes of a trace, in order.
std::vector<std::string> deviations(server_harness& h)
{
    std::vector<std::string> out;
    for (const auto& e : h.session().take_trace()) {
        if (e.source == trace_source::note && e.text.starts_with("deviation: ")) {
            out.push_back(e.text.substr(11) + " [" + spec::to_string(*e.why) + "]");
        }
    }
    return out;
}

server_config with_auth(bool without_tls)
{
    server_config config;
    config.profile.auth = true;
    config.credentials =
        std::make_shared<const internal::credentials>(internal::credentials{{"alice", "secret"}});
    config.auth_without_tls = without_tls;
    return config;
}

// spec: rfc6531/3.5 test
TEST(server_smtputf8, utf8_mailboxes_need_the_parameter)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<j\xc3\xb6rg@example.org>\r\n"), codes{550});
    EXPECT_EQ(h.last_output(),
              "550 5.6.7 Non-ASCII addresses need the SMTPUTF8 parameter (RFC 6531)\r\n");
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<\xe7\x94\xa8\xe6\x88\xb7@example.org>\r\n"), codes{553});
    EXPECT_EQ(h.last_output(),
              "553 5.6.7 Non-ASCII addresses need SMTPUTF8 on MAIL (RFC 6531)\r\n");
    EXPECT_EQ(h.send("RSET\r\n"), codes{250});
    EXPECT_EQ(h.send("MAIL FROM:<j\xc3\xb6rg@example.org> SMTPUTF8\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<\xe7\x94\xa8\xe6\x88\xb7@b\xc3\xbc"
                     "cher.example>\r\nDATA\r\nx\r\n.\r\n"),
              (codes{250, 354, 250}));
    ASSERT_EQ(h.store().messages().size(), 1U);
    const auto& env = h.store().messages().front().env;
    EXPECT_TRUE(env.smtputf8);
    EXPECT_EQ(env.recipients.front().value->box.domain, "b\xc3\xbc"
                                                        "cher.example");
    const std::string header = trace_header(env, "mx.example.org", "id1", 0);
    EXPECT_NE(header.find(" with UTF8SMTP id id1"), std::string::npos) << header;
}

/// @return true when @p Rule matches all of @p text.
template <typename Rule>
bool matches(std::string_view text)
{
    tao::pegtl::memory_input<> in(text.data(), text.size(), "trace header");
    return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>>(in);
}

// The server's trace fields of a transaction with SMTPUTF8 are in the grammar
// of RFC 6531 3.7.3, and only there: RFC 5321's 4.4 rules refuse the UTF-8.
// spec: rfc6531/3.7.3 test
TEST(server_smtputf8, trace_fields_parse_with_the_rfc6531_grammar)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<j\xc3\xb6rg@example.org> SMTPUTF8\r\n"
                     "RCPT TO:<\xe7\x94\xa8\xe6\x88\xb7@b\xc3\xbc"
                     "cher.example>\r\nDATA\r\nx\r\n.\r\n"),
              (codes{250, 250, 354, 250}));
    ASSERT_EQ(h.store().messages().size(), 1U);
    const std::string header =
        trace_header(h.store().messages().front().env, "mx.example.org", "id1", 0);
    const std::size_t received = header.find("Received:");
    ASSERT_NE(received, std::string::npos) << header;
    const std::string return_path = header.substr(0, received);
    const std::string stamp = header.substr(received);
    EXPECT_EQ(return_path, "Return-Path: <j\xc3\xb6rg@example.org>\r\n");
    EXPECT_NE(stamp.find("\tfor <\xe7\x94\xa8\xe6\x88\xb7@b\xc3\xbc" "cher.example>;"),
              std::string::npos)
        << stamp;
    EXPECT_TRUE(matches<grammar::rules::smtputf8::Return_path_line>(return_path));
    EXPECT_TRUE(matches<grammar::rules::smtputf8::Time_stamp_line>(stamp)) << stamp;
    EXPECT_FALSE(matches<grammar::rules::Return_path_line>(return_path));
    EXPECT_FALSE(matches<grammar::rules::Time_stamp_line>(stamp));
}

// spec: rfc6531/3.4 test
TEST(server_smtputf8, parameter_takes_no_value_and_needs_the_offer)
{
    server_harness h;
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> SMTPUTF8=yes\r\n"), codes{501});
    server_config config;
    config.profile.smtputf8 = false;
    server_harness off{config};
    off.send(ehlo);
    EXPECT_EQ(off.last_output().find("SMTPUTF8"), std::string::npos);
    EXPECT_EQ(off.send("MAIL FROM:<a@example.org> SMTPUTF8\r\n"), codes{555});
    // Without the extension, UTF-8 is outside the grammar (2.4): 500 or 501.
    const auto c = off.send("MAIL FROM:<j\xc3\xb6rg@example.org>\r\n");
    ASSERT_EQ(c.size(), 1U);
    EXPECT_TRUE(c.front() == 500 || c.front() == 501) << c.front();
}

TEST(server_smtputf8, received_names_every_combination)
{
    envelope env;
    env.client_name = "c.example";
    env.extended = true;
    const auto with = [&](bool utf8, bool tls, bool auth) {
        env.smtputf8 = utf8;
        env.tls = tls ? "TLSv1.3 X" : "";
        env.auth_user = auth ? "alice" : "";
        const std::string h = trace_header(env, "mx", "id", 0);
        const auto at = h.find(" with ");
        return h.substr(at + 6, h.find(' ', at + 6) - at - 6);
    };
    EXPECT_EQ(with(false, false, false), "ESMTP");
    EXPECT_EQ(with(false, false, true), "ESMTPA");
    EXPECT_EQ(with(false, true, false), "ESMTPS");
    EXPECT_EQ(with(false, true, true), "ESMTPSA");
    EXPECT_EQ(with(true, false, false), "UTF8SMTP");
    EXPECT_EQ(with(true, true, true), "UTF8SMTPSA");
}

// spec: rfc4954/4 test
TEST(server_auth, offered_only_under_tls_unless_configured)
{
    server_harness h{with_auth(false)};
    h.send(ehlo);
    EXPECT_EQ(h.last_output().find("AUTH"), std::string::npos);
    EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"), codes{538});
    EXPECT_EQ(h.last_output(), "538 5.7.11 Encryption required: use STARTTLS first\r\n");

    server_config config = with_auth(false);
    config.tls_available = true;
    server_harness t{config};
    t.send(ehlo);
    EXPECT_EQ(t.send("STARTTLS\r\n"), codes{220});
    t.session().tls_established("TLSv1.3 TLS_AES_128_GCM_SHA256");
    t.send(ehlo);
    EXPECT_NE(t.last_output().find("250 AUTH PLAIN LOGIN\r\n"), std::string::npos);
    EXPECT_EQ(t.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"), codes{235});
    EXPECT_EQ(t.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nx\r\n.\r\n"),
              (codes{250, 250, 354, 250}));
    const auto& env = t.store().messages().front().env;
    EXPECT_EQ(env.auth_user, "alice");
    EXPECT_NE(trace_header(env, "mx", "id", 0).find(" with ESMTPSA "), std::string::npos);
}

// spec: rfc4954/6 test
TEST(server_auth, plain_and_login_exchanges)
{
    server_harness h{with_auth(true)};
    h.send(ehlo);
    EXPECT_NE(h.last_output().find("AUTH PLAIN LOGIN"), std::string::npos);
    // PLAIN without an initial response: an empty 334 challenge.
    EXPECT_EQ(h.send("AUTH PLAIN\r\n"), codes{334});
    EXPECT_EQ(h.send(internal::encode_base64(std::string{"\0alice\0wrong", 12}) + "\r\n"),
              codes{535});
    EXPECT_EQ(h.last_output(), "535 5.7.8 Authentication credentials invalid\r\n");
    EXPECT_EQ(h.send("AUTH LOGIN\r\n"), codes{334});
    EXPECT_EQ(h.last_output(), "334 VXNlcm5hbWU6\r\n");
    EXPECT_EQ(h.send("YWxpY2U=\r\n"), codes{334});
    EXPECT_EQ(h.send("*\r\n"), codes{501});
    EXPECT_EQ(h.send("AUTH LOGIN YWxpY2U=\r\n"), codes{334});
    EXPECT_EQ(h.send("c2VjcmV0\r\n"), codes{235});
    EXPECT_TRUE(h.session().state().authenticated);
    // RFC 4954 4: no second AUTH.
    EXPECT_EQ(h.send("AUTH PLAIN =\r\n"), codes{503});
    // Credentials never reach the trace.
    for (const auto& e : h.session().take_trace()) {
        EXPECT_EQ(e.text.find("c2VjcmV0"), std::string::npos) << e.text;
    }
}

TEST(server_auth, bad_mechanism_base64_and_required_auth)
{
    server_config config = with_auth(true);
    config.auth_required = true;
    server_harness h{config};
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{530});
    EXPECT_EQ(h.last_output(), "530 5.7.0 Authentication required\r\n");
    EXPECT_EQ(h.send("AUTH CRAM-MD5\r\n"), codes{504});
    EXPECT_EQ(h.send("AUTH PLAIN\r\n"), codes{334});
    EXPECT_EQ(h.send("not base64!\r\n"), codes{501});
    EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"), codes{235});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org> AUTH=<>\r\n"), codes{250});
    // RFC 4954 4: no AUTH inside a transaction.
    EXPECT_EQ(h.send("AUTH PLAIN =\r\n"), codes{503});
}

TEST(server_auth, base64_round_trip)
{
    for (const std::string& s :
         std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string{"\0x\xff", 3}}) {
        EXPECT_EQ(internal::decode_base64(internal::encode_base64(s)), s);
    }
    EXPECT_FALSE(internal::decode_base64("abc"));
    EXPECT_FALSE(internal::decode_base64("a=bc"));
}

/// A session with these local domains and mailboxes, in a transaction
/// opened by a sender elsewhere.
std::unique_ptr<server_harness> policy_session(std::vector<std::string> domains,
                                               std::vector<std::string> mailboxes)
{
    server_config config;
    config.local_domains = std::move(domains);
    config.mailboxes = std::move(mailboxes);
    auto h = std::make_unique<server_harness>(config);
    h->send(ehlo);
    h->send("MAIL FROM:<a@elsewhere.example>\r\n");
    return h;
}

// spec: 4.5.1 test
TEST(server_policy, local_domains_and_mailboxes)
{
    const auto session = policy_session({"example.org", "Example.NET"}, {"bob@example.org"});
    server_harness& h = *session;
    EXPECT_EQ(h.send("RCPT TO:<bob@EXAMPLE.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<carol@example.org>\r\n"), codes{550});
    EXPECT_EQ(h.last_output(), "550 5.1.1 No such mailbox here: <carol@example.org>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<x@elsewhere.example>\r\n"), codes{550});
    EXPECT_EQ(h.last_output(),
              "550 5.7.1 Relaying denied: elsewhere.example is not served here\r\n");
    EXPECT_EQ(h.send("RCPT TO:<Postmaster>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<postmaster@example.net>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<POSTMASTER@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<Postmaster@elsewhere.example>\r\n"), codes{550});
    EXPECT_EQ(h.send("DATA\r\nx\r\n.\r\n"), (codes{354, 250}));
    EXPECT_EQ(h.store().messages().front().env.recipients.size(), 4U);
}

// spec: 4.5.1 test
TEST(server_policy, domain_without_mailboxes_takes_every_local_part)
{
    // --mailbox alice@a.test --local-domain b.test: only a.test is restricted.
    const auto session = policy_session({"b.test", "a.test"}, {"alice@a.test"});
    server_harness& h = *session;
    EXPECT_EQ(h.send("RCPT TO:<anyone@b.test>\r\n"), codes{250});
    EXPECT_EQ(h.last_output(), "250 2.1.5 Recipient <anyone@b.test> OK\r\n");
    EXPECT_EQ(h.send("RCPT TO:<anyone@B.TEST>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<alice@a.test>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<bob@a.test>\r\n"), codes{550});
    EXPECT_EQ(h.last_output(), "550 5.1.1 No such mailbox here: <bob@a.test>\r\n");
    // A mailbox's local part is matched exactly; its domain without case.
    EXPECT_EQ(h.send("RCPT TO:<Alice@a.test>\r\n"), codes{550});
    EXPECT_EQ(h.send("RCPT TO:<alice@A.Test>\r\n"), codes{250});
}

TEST(server_policy, default_is_a_sink_for_every_recipient)
{
    server_harness h;
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.net>\r\n");
    EXPECT_EQ(h.send("RCPT TO:<anyone@anywhere.example>\r\n"), codes{250});
}

// spec: 2.3.8 R-2.3.8-1 test
TEST(server_strict, deviations_are_recorded_with_requirement_ids)
{
    server_config config;
    config.strict_client = true;
    server_harness h{config};
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{503});
    EXPECT_EQ(h.send("EHLO [192.0.2.1] my laptop\r\n"), codes{250});
    EXPECT_EQ(h.send("HELO a.example\nMAIL FROM:<>\r\n"), codes{500});
    EXPECT_EQ(h.send("NOOP \r\n"), codes{250});
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nx\r\n.\r\n"),
              (codes{250, 250, 354, 250}));
    h.session().peer_closed();
    const std::vector<std::string> expected{
        "MAIL before EHLO or HELO (known fault B44) [4.1.4 R-4.1.4-1]",
        "text after the EHLO address literal (WG #107) [4.1.1.1 R-4.1.1.1-2 WG#107]",
        "command line holds a bare LF (known fault B48) [2.3.8 R-2.3.8-1]",
        "white space before the CRLF (WG #105) [4.1.1 R-4.1.1-1 WG#105]",
        "DATA is not the last command of its group (known fault B06) [rfc2920/3.1]",
        "connection closed without QUIT [4.1.1.10 R-4.1.1.10-3]",
    };
    EXPECT_EQ(deviations(h), expected);
}

TEST(server_strict, pipelining_without_the_extension_is_a_deviation)
{
    server_config config;
    config.strict_client = true;
    config.profile.pipelining = false;
    server_harness h{config};
    h.send(ehlo);
    h.session().take_trace();
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"),
              (codes{250, 250}));
    const auto d = deviations(h);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_TRUE(d.front().starts_with("commands sent without waiting")) << d.front();
}

// spec: rfc3207/4 test
TEST(server_strict, starttls_before_ehlo_is_a_deviation)
{
    server_config config;
    config.strict_client = true;
    config.tls_available = true;
    server_harness h{config};
    EXPECT_EQ(h.send("STARTTLS\r\n"), codes{220});
    const std::vector<std::string> expected{
        "STARTTLS before an EHLO reply offered it [rfc3207/4]"};
    EXPECT_EQ(deviations(h), expected);
}

TEST(server_strict, no_deviation_notes_unless_strict)
{
    server_harness h;
    h.send("MAIL FROM:<a@example.org>\r\n");
    h.session().peer_closed();
    EXPECT_TRUE(deviations(h).empty());
}

TEST(server_script, chosen_replies_421_and_multiline)
{
    auto script = std::make_shared<internal::client_script>();
    internal::add_rule(*script, "reply RCPT 451 2 try later");
    internal::add_rule(*script, "reply DATA-END 554");
    server_config config;
    config.script = script;
    server_harness h{config};
    h.send(ehlo);
    EXPECT_EQ(h.send("MAIL FROM:<a@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<b@example.org>\r\n"), codes{250});
    EXPECT_EQ(h.send("RCPT TO:<c@example.org>\r\n"), codes{451});
    EXPECT_EQ(h.last_output(), "451 4.0.0 try later\r\n");
    EXPECT_EQ(h.send("DATA\r\nx\r\n.\r\n"), (codes{354, 554}));
    EXPECT_TRUE(h.store().messages().empty());
    EXPECT_EQ(h.session().state().at, model::phase::ready);

    auto closing = std::make_shared<internal::client_script>();
    internal::add_rule(*closing, "close MAIL");
    internal::add_rule(*closing, "multiline");
    config.script = closing;
    server_harness c{config};
    EXPECT_TRUE(c.greeting().starts_with("220-smtpspec.localhost ESMTP")) << c.greeting();
    c.send(ehlo);
    EXPECT_EQ(c.send("MAIL FROM:<a@example.org>\r\n"), codes{421});
    EXPECT_TRUE(c.session().closed());
}

TEST(server_script, codes_the_model_forbids_are_not_sent)
{
    auto script = std::make_shared<internal::client_script>();
    internal::add_rule(*script, "reply QUIT 554 every");
    server_config config;
    config.script = script;
    server_harness h{config};
    EXPECT_EQ(h.send("QUIT\r\n"), codes{221});
}

TEST(server_script, rules_are_checked)
{
    internal::client_script s;
    EXPECT_THROW(internal::add_rule(s, "reply RCPT 250"), std::invalid_argument);
    EXPECT_THROW(internal::add_rule(s, "reply RCPT abc"), std::invalid_argument);
    EXPECT_THROW(internal::add_rule(s, "explode"), std::invalid_argument);
    internal::add_rule(s, "delay 250");
    internal::add_rule(s, "tls-failure");
    EXPECT_EQ(s.delay.count(), 250);
    EXPECT_TRUE(s.tls_failure);
}

/// @return why add_rule refuses the rule, or "accepted".
std::string rule_error(std::string_view rule)
{
    internal::client_script s;
    try {
        internal::add_rule(s, rule);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

TEST(server_script, refusals_name_what_is_wrong)
{
    const std::string verbs = "(EHLO, HELO, MAIL, RCPT, DATA, RSET, VRFY, EXPN, HELP, NOOP, "
                              "QUIT, GREETING, DATA-END)";
    EXPECT_EQ(rule_error("reply FOO 451"), "unknown verb \"FOO\" " + verbs);
    EXPECT_EQ(rule_error("reply FOO 250"), "unknown verb \"FOO\" " + verbs);
    EXPECT_EQ(rule_error("close STARTTLS"), "unknown verb \"STARTTLS\" " + verbs);
    EXPECT_EQ(rule_error("reply RCPT 250"),
              "the code of a scripted reply is 4yz or 5yz with y from 0 to 5, got 250");
    EXPECT_EQ(rule_error("reply RCPT 461"),
              "the code of a scripted reply is 4yz or 5yz with y from 0 to 5, got 461");
    const std::string occurrence = "expected an occurrence (1, 2, ... or every), got ";
    EXPECT_EQ(rule_error("close RCPT -1"), occurrence + "\"-1\"");
    EXPECT_EQ(rule_error("close RCPT 0"), occurrence + "\"0\"");
    EXPECT_EQ(rule_error("close RCPT soon"), occurrence + "\"soon\"");
    EXPECT_EQ(rule_error("reply RCPT 451 -2 later"), occurrence + "\"-2\"");
    EXPECT_EQ(rule_error("reply RCPT 451 2x later"), occurrence + "\"2x\"");
    EXPECT_EQ(rule_error("close RCPT 2 now"), "unexpected \"now\" after \"close RCPT\"");
    EXPECT_EQ(rule_error("multiline extra"), "unexpected \"extra\" after \"multiline\"");
    EXPECT_EQ(rule_error("tls-failure now"), "unexpected \"now\" after \"tls-failure\"");
    EXPECT_EQ(rule_error("delay 10 ms"), "unexpected \"ms\" after \"delay 10\"");
    EXPECT_EQ(rule_error("delay -5"), "expected milliseconds, got \"-5\"");
}

TEST(server_script, reply_text_may_start_with_an_enhanced_code)
{
    internal::client_script s;
    internal::add_rule(s, "reply rcpt 451 every 4.7.1 Greylisted");
    internal::add_rule(s, "reply MAIL 550 5.7.1 no");
    internal::add_rule(s, "close data-end");
    ASSERT_EQ(s.replies.size(), 3U);
    EXPECT_EQ(s.replies[0].verb, "RCPT");
    EXPECT_EQ(s.replies[0].nth, 0U);
    EXPECT_EQ(s.replies[0].text, "4.7.1 Greylisted");
    EXPECT_EQ(s.replies[1].nth, 1U);
    EXPECT_EQ(s.replies[1].text, "5.7.1 no");
    EXPECT_EQ(s.replies[2].verb, "DATA-END");
    EXPECT_EQ(s.replies[2].code, 421);
}

/// @return the credentials of a file holding @p text, or why it is refused.
std::string credentials_of(const std::string& text)
{
    const auto file = std::filesystem::path{::testing::TempDir()} / "server_auth_file.txt";
    std::ofstream{file, std::ios::binary} << text;
    std::string out;
    try {
        for (const auto& [user, password] : internal::load_credentials(file)) {
            out += "[" + user + "][" + password + "]";
        }
    } catch (const std::runtime_error& e) {
        out = e.what();
        const std::string prefix = file.string() + ":";
        if (out.starts_with(prefix)) {
            out = "FILE:" + out.substr(prefix.size());
        }
    }
    std::filesystem::remove(file);
    return out;
}

// A user listed twice or a password left empty is refused with its line; white
// space belongs to the password (README), only a CR before the LF is dropped.
TEST(server_auth_file, duplicates_and_empty_passwords_are_refused)
{
    EXPECT_EQ(credentials_of("# users\nalice:one\nbob:two\nalice:three\n"),
              "FILE:4: user \"alice\" is already listed on line 2");
    EXPECT_EQ(credentials_of("alice:\n"), "FILE:1: user \"alice\" has an empty password");
    EXPECT_EQ(credentials_of("\nalice:\r\n"), "FILE:2: user \"alice\" has an empty password");
    EXPECT_EQ(credentials_of("alice\n"), "FILE:1: expected user:password");
    EXPECT_EQ(credentials_of("alice:a b \r\nbob: two:2\n"), "[alice][a b ][bob][ two:2]");
    // A byte order mark, and comments indented or not, are skipped.
    EXPECT_EQ(credentials_of("\xEF\xBB\xBF# users\n  # indented\n\t\nalice:one\n"),
              "[alice][one]");
}

TEST(server_script, file_errors_name_the_file_line_and_rule)
{
    const auto file = std::filesystem::path{::testing::TempDir()} / "server_script_rules.txt";
    std::ofstream{file} << "# a comment\r\nmultiline\r\nclose RCPT -1\r\n";
    try {
        (void)internal::load_client_script(file);
        ADD_FAILURE() << "the script was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string{e.what()},
                  file.string() + ":3: \"close RCPT -1\": expected an occurrence (1, 2, ... "
                                  "or every), got \"-1\"");
    }
    // A byte order mark and an indented comment are skipped; an octet that
    // would cut the message short (NUL) is shown escaped.
    std::ofstream{file, std::ios::binary} << "\xEF\xBB\xBF  # rules\nmultiline\nclose\x01RCPT\n";
    try {
        (void)internal::load_client_script(file);
        ADD_FAILURE() << "the script was accepted";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_TRUE(what.starts_with(file.string() + ":3: \"close\\x01RCPT\": ")) << what;
    }
    std::filesystem::remove(file);
}

}  // namespace
}  // namespace smtpspec::reference
