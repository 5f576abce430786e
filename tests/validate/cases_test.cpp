// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/cases.hpp"

#include "probe_test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::validate
{

namespace
{
using namespace std::chrono_literals;
using test::fake_session;
using test::run_one;

/** A script that answers lines starting with `prefix` with `reply`, else conforms. */
test::fake_script answer(std::string prefix, std::string reply)
{
    return [prefix, reply](std::string_view line, fake_session& s) {
        if (line.starts_with(prefix)) {
            return reply;
        }
        return test::conforming_script(line, s);
    };
}

std::string grade_of(const case_result& r)
{
    return std::string{to_string(r.result)} + ": " + r.found.detail;
}
}  // namespace

// The cases the conforming fake script knows how to answer (the base
// protocol of its first version); every other case is checked against the
// reference server (tests/validate/probe_integration.py) and, for its
// fault detection, by the tests below.
constexpr std::string_view scripted_ids[] = {
    "rfc5321/3.1/1",      "rfc5321/2.3.8/1",   "rfc5321/3.2/1",     "rfc5321/3.3/1",
    "rfc5321/3.3/2",      "rfc5321/4.1.1/1",   "rfc5321/4.1.1.1/1", "rfc5321/4.1.1.1/2",
    "rfc5321/4.1.1.10/1", "rfc5321/4.1.1.2/1", "rfc5321/4.1.1.3/1", "rfc5321/4.1.1.4/1",
    "rfc5321/4.1.1.5/1",  "rfc5321/4.1.1.9/1", "rfc5321/4.1.2/1",   "rfc5321/4.1.4/1",
    "rfc5321/4.1.4/2",    "rfc5321/4.1.4/3",   "rfc5321/4.1.4/4",   "rfc5321/4.1.4/5",
    "rfc5321/4.1.4/6",    "rfc5321/4.2.2/1",   "rfc5321/4.3.2/1",   "rfc5321/4.5.1/1",
    "rfc5321/4.5.3.1.4/1"};

// Each of those passes against the conforming script; the HELO case reports
// the reading chosen (info) under rfc5321.
TEST(ValidateCases, ConformingServerPassesEveryScriptedCase)
{
    const test::fake_smtp_server server{test::conforming_script};
    const auto config = test::config_for(server);
    for (const auto id : scripted_ids) {
        const auto r = run_one(id, config);
        const auto expected = id == "rfc5321/4.1.4/6" ? grade::info : grade::pass;
        EXPECT_EQ(r.result, expected) << id << " " << grade_of(r) << "\n" << r.log.to_text();
    }
}

// 2.3.8 R-2.3.8-1, B48: a server that answers NOOP<LF> before any CRLF is
// lenient; one that answers two replies to NOOP<LF><CRLF> is out of step.
// spec: 2.3.8 R-2.3.8-1 test (known fault B48)
TEST(ValidateCases, BareLfTakenAsLineEndIsLenient)
{
    const auto r = run_one("rfc5321/2.3.8/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("NOOP\n")) {
            return std::string{"250 OK\r\n"};
        }
        return test::conforming_script(line, s);
    });
    // The fake server splits only at CRLF, so the reply comes after the CRLF:
    // a command holding a bare LF was accepted.
    EXPECT_EQ(r.result, grade::lenient) << grade_of(r);
}

// spec: 4.2 R-4.2-1 test (known fault B38)
TEST(ValidateCases, DoubleReplyToALongLineFails)
{
    const auto r = run_one("rfc5321/4.5.3.1.4/1", [](std::string_view line, fake_session& s) {
        if (line.size() > 512) {
            return std::string{"500 too long\r\n500 too long\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 4.1.4 R-4.1.4-4: EHLO that keeps the transaction fails.
// spec: 4.1.4 R-4.1.4-4 test
TEST(ValidateCases, EhloKeepingTheTransactionFails)
{
    const auto r = run_one("rfc5321/4.1.4/4", [](std::string_view line, fake_session& s) {
        if (line.starts_with("EHLO ") && s.greeted) {
            return std::string{"250 again\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 4.1.4 R-4.1.4-6: a refused EHLO that ends the transaction fails; an
// EHLO without domain accepted is lenient (B43).
// spec: 4.1.4 R-4.1.4-6 test (known fault B43)
TEST(ValidateCases, RefusedEhloMustKeepState)
{
    const auto reset = run_one("rfc5321/4.1.4/5", [](std::string_view line, fake_session& s) {
        if (line == "EHLO\r\n") {
            s.mail = false;
            return std::string{"501 domain required\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(reset.result, grade::fail) << grade_of(reset);
    EXPECT_EQ(run_one("rfc5321/4.1.4/5", answer("EHLO\r\n", "250 fine\r\n")).result,
              grade::lenient);
}

// WG #116: HELO keeping the transaction is reported, not failed.
// spec: 4.1.4 R-4.1.4-4 test (WG #116)
TEST(ValidateCases, HeloKeepingTheTransactionIsInfo)
{
    const auto r = run_one("rfc5321/4.1.4/6", answer("HELO", "250 hi\r\n"));
    EXPECT_EQ(r.result, grade::info) << grade_of(r);
    EXPECT_NE(r.found.detail.find("keeps"), std::string::npos);
}

// 3.2 R-3.2-2: HELO answered with extension lines fails.
// spec: 3.2 R-3.2-2 test
TEST(ValidateCases, EhloStyleReplyToHeloFails)
{
    const auto r = run_one("rfc5321/3.2/1", answer("HELO", "250-fake\r\n250 PIPELINING\r\n"));
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 3.3 R-3.3-10: a server that accepts RCPT before MAIL fails.
// spec: 3.3 R-3.3-10 test
TEST(ValidateCases, RcptBeforeMailAcceptedFails)
{
    const auto r = run_one("rfc5321/3.3/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("RCPT") && !s.mail) {
            return std::string{"250 OK\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 3.3 R-3.3-11: 354 to DATA without recipients fails; the prober ends the
// data at once.
// spec: 3.3 R-3.3-11 test
TEST(ValidateCases, DataWithoutRecipientsAcceptedFails)
{
    const auto r = run_one("rfc5321/3.3/2", [](std::string_view line, fake_session& s) {
        if (line.starts_with("DATA")) {
            s.in_data = true;
            return std::string{"354 go ahead\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
    EXPECT_NE(r.log.to_text().find("C: .\\r\\n"), std::string::npos);
}

// B44: MAIL before EHLO accepted is lenient, not a failure.
// spec: 4.1.4 R-4.1.4-1 test (known fault B44)
TEST(ValidateCases, MailBeforeEhloAcceptedIsLenient)
{
    const auto r = run_one("rfc5321/4.1.4/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("MAIL")) {
            s.mail = true;
            return std::string{"250 OK\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::lenient) << grade_of(r);
}

// 4.1.4 R-4.1.4-11 is a SHOULD: 503 to NOOP before EHLO warns.
// spec: 4.1.4 R-4.1.4-11 test
TEST(ValidateCases, NoopBeforeEhloRefusedWarns)
{
    const auto r = run_one("rfc5321/4.1.4/2", [](std::string_view line, fake_session& s) {
        if (!s.greeted && line.starts_with("NOOP")) {
            return std::string{"503 5.5.1 say EHLO first\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::warn) << grade_of(r);
}

// WG #101: a second MAIL accepted inside a transaction is lenient.
// spec: 4.1.4 R-4.1.4-13 test (WG #101)
TEST(ValidateCases, NestedMailAcceptedIsLenient)
{
    const auto r = run_one("rfc5321/4.1.4/3", answer("MAIL", "250 OK\r\n"));
    EXPECT_EQ(r.result, grade::lenient) << grade_of(r);
}

// B22 (postal #1281): closing the connection on RCPT TO:<> fails.
// spec: 4.1.1.10 R-4.1.1.10-2 test (known fault B22)
TEST(ValidateCases, CrashOnNullForwardPathFails)
{
    const auto r = run_one("rfc5321/4.1.1.3/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("RCPT TO:<>")) {
            s.close = true;
            return std::string{};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
    EXPECT_NE(r.found.detail.find("R-4.1.1.10-2"), std::string::npos);
}

// WG #106: RCPT TO:<> accepted is lenient under a profile that reads it as
// a syntax error (naming the deviation), and passes under one that does not.
// spec: 4.1.1.3 test (WG #106)
TEST(ValidateCases, NullForwardPathIsGradedByTheProfileReading)
{
    const test::fake_smtp_server server{answer("RCPT TO:<>", "250 OK\r\n")};
    auto config = test::config_for(server);
    const auto strict = run_one("rfc5321/4.1.1.3/1", config);
    EXPECT_EQ(strict.result, grade::lenient) << grade_of(strict);
    EXPECT_EQ(strict.found.deviation, "null-forward-path");
    config.profile.reject_null_forward_path = false;
    const auto loose = run_one("rfc5321/4.1.1.3/1", config);
    EXPECT_EQ(loose.result, grade::pass) << grade_of(loose);
}

// WG #116: under rfc5321bis a HELO that keeps the transaction fails.
// spec: 4.1.4 R-4.1.4-4 test (WG #116)
TEST(ValidateCases, HeloKeepingTheTransactionFailsUnderRfc5321bis)
{
    const test::fake_smtp_server server{answer("HELO", "250 hi\r\n")};
    auto config = test::config_for(server);
    config.profile = model::rfc5321bis();
    const auto r = run_one("rfc5321/4.1.4/6", config);
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// B23: MAIL FROM:<> refused as a syntax error fails; refused otherwise informs.
// spec: 3.6.3 R-3.6.3-4 test (known fault B23)
TEST(ValidateCases, NullReversePathRefusals)
{
    EXPECT_EQ(run_one("rfc5321/4.1.1.2/1", answer("MAIL FROM:<>", "501 bad\r\n")).result,
              grade::fail);
    EXPECT_EQ(run_one("rfc5321/4.1.1.2/1", answer("MAIL FROM:<>", "550 policy\r\n")).result,
              grade::info);
}

// B11: the malformed MAIL accepted is lenient (malformed-path, the rule of
// expect_refused); refused with 553 passes; a refusal that still opened a
// transaction fails (R-4.1.4-15).
// spec: 4.1.4 R-4.1.4-14 R-4.1.4-15 test (known fault B11)
TEST(ValidateCases, MalformedMail)
{
    const auto taken = run_one("rfc5321/4.1.2/1", answer("MAIL FROM:<;", "250 OK\r\n"));
    EXPECT_EQ(taken.result, grade::lenient) << grade_of(taken);
    EXPECT_EQ(taken.found.deviation, "malformed-path");
    EXPECT_EQ(run_one("rfc5321/4.1.2/1", answer("MAIL FROM:<;", "553 no\r\n")).result,
              grade::pass);
    const auto r = run_one("rfc5321/4.1.2/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("MAIL FROM:<;")) {
            s.mail = true;
            return std::string{"501 bad path\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// B36, 4.2.1 R-4.2.1-5: a greeting whose lines carry different codes fails.
// spec: 4.2.1 R-4.2.1-5 test (known fault B36)
TEST(ValidateCases, GreetingWithMixedCodesFails)
{
    const auto r = run_one("rfc5321/3.1/1", test::conforming_script,
                           "220-mx.example.org ESMTP\r\n521 5.7.1 service unavailable\r\n");
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 3.1 R-3.1-3: a 554 greeting is permitted, so it only informs; the other
// cases cannot run.
// spec: 3.1 R-3.1-3 test
TEST(ValidateCases, Greeting554InformsAndStopsOtherCases)
{
    const std::string greeting = "554 5.3.2 no service here\r\n";
    EXPECT_EQ(run_one("rfc5321/3.1/1", test::conforming_script, greeting).result, grade::info);
    EXPECT_EQ(run_one("rfc5321/4.1.1.9/1", test::conforming_script, greeting).result,
              grade::error);
}

// 4.2: a greeting that is not Reply-line syntax (bare LF) fails.
// spec: 4.2 test
TEST(ValidateCases, GreetingWithBareLfFails)
{
    const auto r = run_one("rfc5321/3.1/1", test::conforming_script, "220 mx.example.org\n");
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 4.1.1.1: an EHLO line with a bad keyword fails.
// spec: 4.1.1.1 test
TEST(ValidateCases, EhloWithBadKeywordFails)
{
    const auto r = run_one("rfc5321/4.1.1.1/1",
                           answer("EHLO", "250-fake.example.org\r\n250 _SIZE 10\r\n"));
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 4.1.1.10 R-4.1.1.10-1: 221 without closing fails.
// spec: 4.1.1.1 test (the first line of ehlo-ok-rsp names a Domain)
TEST(ValidateCases, EhloWithoutDomainFails)
{
    const auto r = run_one("rfc5321/4.1.1.1/1",
                           answer("EHLO", "250-under_score.example\r\n250 SIZE 10\r\n"));
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
    EXPECT_NE(r.found.detail.find("ehlo-ok-rsp"), std::string::npos) << grade_of(r);
}

// spec: 4.1.1.10 R-4.1.1.10-1 test
TEST(ValidateCases, QuitWithoutCloseFails)
{
    const test::fake_smtp_server server{answer("QUIT", "221 bye but staying\r\n")};
    const auto r = test::run_one("rfc5321/4.1.1.10/1", test::config_for(server, 300ms));
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// 4.2.2 (SHOULD): 502 for an unknown verb warns.
// spec: 4.3.1 R-4.3.1-3 test
TEST(ValidateCases, UnknownVerbWith502Warns)
{
    const auto r = run_one("rfc5321/4.2.2/1", answer("FROB", "502 not implemented\r\n"));
    EXPECT_EQ(r.result, grade::warn) << grade_of(r);
}

// A reply that never comes makes the case an error, within the timeout.
TEST(ValidateCases, SilentServerIsAnError)
{
    const test::fake_smtp_server server{answer("NOOP", "")};
    const auto r = test::run_one("rfc5321/4.1.1.9/1", test::config_for(server, 300ms));
    EXPECT_EQ(r.result, grade::error) << grade_of(r);
    EXPECT_LT(r.elapsed, 5000ms);
}

// A reply cut off before its CRLF then silence (an error), or a multi-line
// reply whose last line never comes then a close (still the 4.1.1.10
// failure): the finding shows the octets that came instead of reading as if
// nothing had.
// spec: 2.3.8 R-2.3.8-1 test
TEST(ValidateCases, ACutOffReplyIsShown)
{
    const test::fake_smtp_server silent{answer("NOOP", "250 2.0.0 O")};
    const auto timed_out = test::run_one("rfc5321/4.1.1.9/1", test::config_for(silent, 300ms));
    EXPECT_EQ(timed_out.result, grade::error) << grade_of(timed_out);
    EXPECT_EQ(timed_out.found.detail,
              "no complete reply to NOOP within the timeout, only \"250 2.0.0 O\" without the "
              "CRLF that ends a reply line (RFC 5321 4.2, 2.3.8 R-2.3.8-1)");

    const auto closed = run_one("rfc5321/4.1.1.9/1", [](std::string_view line, fake_session& s) {
        s.close = line.starts_with("NOOP");
        return s.close ? std::string{"250-one\r\n250-two\r\n"}
                       : test::conforming_script(line, s);
    });
    EXPECT_EQ(closed.result, grade::fail) << grade_of(closed);
    EXPECT_EQ(closed.found.detail,
              "server closed the connection after NOOP without a complete reply, only "
              "\"250-one\\r\\n250-two\\r\\n\", a multi-line reply whose last line never came "
              "(RFC 5321 4.2.1); it may close only after QUIT (4.1.1.10 R-4.1.1.10-2)");
}

// 4.5.1 R-4.5.1-4: <Postmaster> refused fails.
// spec: 3.8 test (421 closes the channel; the case cannot judge)
TEST(ValidateCases, ServiceClosingIsAnErrorNotAFailure)
{
    const auto r = run_one("rfc5321/3.3/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("RCPT")) {
            s.close = true;
            return std::string{"421 4.3.2 shutting down\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::error) << grade_of(r);
}

// spec: 4.5.1 R-4.5.1-4 test (known fault B17)
TEST(ValidateCases, BarePostmasterRefusedFails)
{
    const auto r = run_one("rfc5321/4.5.1/1", answer("RCPT TO:<Postmaster>", "501 bad\r\n"));
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
}

// A delivery refused by the server (policy) cannot be judged: error.
TEST(ValidateCases, RefusedRecipientMakesDeliveryAnError)
{
    const auto r = run_one("rfc5321/4.1.1.4/1", answer("RCPT", "550 no such user\r\n"));
    EXPECT_EQ(r.result, grade::error) << grade_of(r);
}

}  // namespace smtpspec::validate
