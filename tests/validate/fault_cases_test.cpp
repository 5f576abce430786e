// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The probe cases added for the known faults and the extensions, each run
// against a scripted server that has the fault and one that has not.

#include "validate/cases.hpp"

#include "probe_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::validate
{

namespace
{
using test::fake_session;
using test::run_one;

std::string grade_of(const case_result& r)
{
    return std::string{to_string(r.result)} + ": " + r.found.detail + "\n" + r.log.to_text();
}

/** A server that takes <LF>.<CR><LF> inside mail data as its end (B01). */
std::string smuggling_server(std::string_view line, fake_session& s)
{
    if (s.in_data && line.ends_with("\n.\r\n") && line != ".\r\n") {
        s.in_data = false;
        s.mail = false;
        s.recipients = 0;
        return "250 2.0.0 queued\r\n";
    }
    return test::conforming_script(line, s);
}
}  // namespace

// B01: the server that splits the message fails; the conforming one passes,
// whether the octets come in one write, one octet per write (B05), or with
// a pause between the false end and the smuggled commands.
// spec: 4.1.1.4 R-4.1.1.4-5 test (known faults B01, B05)
TEST(ValidateFaultCases, SmugglingIsDetected)
{
    for (const auto* id : {"rfc5321/4.1.1.4/4", "rfc5321/4.1.1.4/10", "rfc5321/4.1.1.4/13"}) {
        const auto bad = run_one(id, smuggling_server);
        EXPECT_EQ(bad.result, grade::fail) << id << " " << grade_of(bad);
        const auto good = run_one(id, test::conforming_script);
        EXPECT_EQ(good.result, grade::pass) << id << " " << grade_of(good);
    }
}

// B05: the legal end of data split over writes ends the message once.
// spec: 4.1.1.4 R-4.1.1.4-6 test (known fault B05)
TEST(ValidateFaultCases, SplitEndOfDataIsOneMessage)
{
    for (const auto* id : {"rfc5321/4.1.1.4/11", "rfc5321/4.1.1.4/12", "rfc5321/4.5.2/1"}) {
        const auto r = run_one(id, test::conforming_script);
        EXPECT_EQ(r.result, grade::pass) << id << " " << grade_of(r);
    }
}

// Extensions the EHLO reply does not offer are unimplemented, not failed.
// spec: 2.2 test
TEST(ValidateFaultCases, AbsentExtensionsAreUnimplemented)
{
    for (const auto* id : {"rfc3030/2/1", "rfc3207/4/2", "rfc3461/4.1/1", "rfc2920/3.2/1"}) {
        const auto r = run_one(id, test::conforming_script);
        EXPECT_EQ(r.result, grade::unimplemented) << id << " " << grade_of(r);
    }
}

// 4.5.3.1.8: a server that stops taking recipients at 50 fails.
// spec: 4.5.3.1.8 R-4.5.3.1.8-1 test
TEST(ValidateFaultCases, FiftyRecipientsAreTooFew)
{
    const auto r = run_one("rfc5321/4.5.3.1.8/1", [](std::string_view line, fake_session& s) {
        if (line.starts_with("RCPT") && s.recipients >= 50) {
            return std::string{"452 4.5.3 too many recipients\r\n"};
        }
        return test::conforming_script(line, s);
    });
    EXPECT_EQ(r.result, grade::fail) << grade_of(r);
    EXPECT_EQ(run_one("rfc5321/4.5.3.1.8/1", test::conforming_script).result, grade::pass);
}

// B12, B18: a valid quoted local part refused for syntax fails; text after
// the closing bracket accepted is lenient with deviation malformed-path, in
// MAIL (R-4.1.4-14 fixes the code of a refusal, it does not demand one) as
// in RCPT; a control octet accepted fails (R-4.1.2-12 demands the 501).
// spec: 4.1.2 R-4.1.2-12 test (known faults B12, B18)
TEST(ValidateFaultCases, PathSyntax)
{
    const auto quoted = run_one("rfc5321/4.1.2/2", [](std::string_view line, fake_session& s) {
        return line.find('"') != std::string_view::npos ? std::string{"501 bad address\r\n"}
                                                        : test::conforming_script(line, s);
    });
    EXPECT_EQ(quoted.result, grade::fail) << grade_of(quoted);
    const auto loose = [](std::string_view line, fake_session& s) {
        if (line.starts_with("MAIL") || line.starts_with("RCPT")) {
            const bool mail = line.starts_with("MAIL");
            s.mail = s.mail || mail;
            return std::string{"250 OK\r\n"};
        }
        return test::conforming_script(line, s);
    };
    for (const auto* id : {"rfc5321/4.1.2/8", "rfc5321/4.1.2/9", "rfc5321/4.1.1.3/4"}) {
        const auto r = run_one(id, loose);
        EXPECT_EQ(r.result, grade::lenient) << id << ": " << grade_of(r);
        EXPECT_EQ(r.found.deviation, "malformed-path") << id;
    }
    const auto ctl = run_one("rfc5321/4.1.2/11", loose);
    EXPECT_EQ(ctl.result, grade::fail) << grade_of(ctl);
}

// The rule of expect_refused(), over the whole catalogue: a case that cites
// R-4.1.4-14 (the 501 for an unacceptable MAIL argument) names a deviation
// for a server that accepts its input, unless it also cites R-4.1.2-12 (an
// invalid character must be refused) or no catalogued leniency covers the
// input; so the same fault never fails in one case and is lenient in another.
TEST(ValidateFaultCases, MalformedArgumentsAreGradedByOneRule)
{
    const std::vector<std::string_view> no_leniency{"rfc5321/4.1.2/10"};
    const auto cites = [](const probe_case& c, std::string_view id) {
        return std::ranges::any_of(c.refs, [&](const spec::ref& r) {
            return std::ranges::any_of(r.requirements(),
                                       [&](const auto& req) { return req.str() == id; });
        });
    };
    int checked = 0;
    for (const auto& c : rfc5321_cases()) {
        if (!cites(c, "R-4.1.4-14") || cites(c, "R-4.1.2-12")
            || std::ranges::find(no_leniency, c.id) != no_leniency.end()) {
            continue;
        }
        ++checked;
        EXPECT_FALSE(c.deviations.empty()) << c.id;
    }
    EXPECT_EQ(checked, 8);
}

// B48: HELO<LF>MAIL FROM:<><LF> answered before any CRLF is lenient.
// spec: 2.3.8 R-2.3.8-1 test (known fault B48)
TEST(ValidateFaultCases, BareLfCommandsAreOneLine)
{
    const auto r = run_one("rfc5321/2.3.8/3", test::conforming_script);
    EXPECT_EQ(r.result, grade::pass) << grade_of(r);
    // A server that ends lines at LF runs both commands: both replies are
    // in the finding.
    const test::fake_smtp_server splitter{
        [](std::string_view line, fake_session&) {
            return std::string{line.starts_with("HELO") ? "250 fake.example.org\r\n"
                                                        : "250 2.1.0 sender OK\r\n"};
        },
        "220 fake.example.org ESMTP\r\n", "127.0.0.1", "\n"};
    const auto split = run_one("rfc5321/2.3.8/3", test::config_for(splitter));
    EXPECT_EQ(split.result, grade::lenient) << grade_of(split);
    EXPECT_EQ(split.found.deviation, "bare-lf-command");
    EXPECT_EQ(split.found.detail,
              "HELO<LF>MAIL FROM:<><LF> got 250 fake.example.org, then 250 2.1.0 sender OK (the "
              "rest ran as a second command) before any CRLF: a bare line end was taken as the "
              "end of a command (2.3.8 R-2.3.8-1)");
}

// A finding names the transcript line it rests on.
TEST(ValidateFaultCases, EvidencePointsAtTheJudgedReply)
{
    const auto r = run_one("rfc5321/4.1.1.9/1", test::conforming_script);
    ASSERT_LT(r.found.evidence, r.log.entries().size());
    EXPECT_EQ(r.log.entries()[r.found.evidence].octets, "250 2.0.0 OK\r\n");
}

}  // namespace smtpspec::validate
