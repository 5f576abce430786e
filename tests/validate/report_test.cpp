// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/report.hpp"

#include "validate/cases.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

namespace smtpspec::validate
{

namespace
{
const probe_case& case_named(std::string_view id)
{
    for (const auto& c : rfc5321_cases()) {
        if (c.id == id) {
            return c;
        }
    }
    throw std::logic_error("no such case");
}

case_result result(std::string_view id, grade g, std::string detail)
{
    case_result r;
    r.which = &case_named(id);
    r.result = g;
    r.found.detail = std::move(detail);
    r.connected = true;
    r.elapsed = std::chrono::milliseconds{12};
    r.log.add(direction::server, "220 <hi> & \"bye\"\r\n");
    r.log.add(direction::client, "QUIT\r\n");
    r.log.add(direction::server, std::string{"221 \xff\x01\r\n"});
    return r;
}

/** A report with one result of each of four grades. */
probe_report sample()
{
    probe_report r;
    r.target = endpoint{"::1", 2525};
    r.results.push_back(result("rfc5321/3.1/1", grade::pass, "greeting 220"));
    r.results.push_back(result("rfc5321/3.3/1", grade::fail, "RCPT before MAIL got 250"));
    r.results.push_back(result("rfc5321/4.1.4/1", grade::lenient, "MAIL before EHLO got 250"));
    r.results.push_back(result("rfc5321/4.1.1.9/1", grade::error, "no reply <timeout>"));
    return r;
}
}  // namespace

TEST(ValidateReport, TextHasOneLinePerCaseThenASummary)
{
    std::ostringstream out;
    write_text_report(out, sample());
    const std::string text = out.str();
    EXPECT_NE(text.find("PASS          rfc5321/3.1/1        greeting is 220 with valid "
                        "Reply-line syntax  [3.1 R-3.1-3; 4.2; 4.2.1 R-4.2.1-5; 4.3.2 "
                        "R-4.3.2-3]\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("FAIL          rfc5321/3.3/1 "), std::string::npos);
    EXPECT_NE(text.find("[4.1.4 R-4.1.4-1 R-4.1.4-16; 4.1.1.1 R-4.1.1.1-6]"), std::string::npos);
    EXPECT_TRUE(text.ends_with(
        "4 cases: 1 pass, 1 fail, 0 warn, 1 lenient, 0 info, 0 unimplemented, 1 error\n"))
        << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
}

// With --tls both, a case may run twice: the summary counts runs.
TEST(ValidateReport, SummaryCountsRunsWhenCasesRanOverTlsToo)
{
    probe_report r = sample();
    r.results.push_back(result("rfc5321/3.1/1", grade::pass, "greeting 220"));
    r.results.back().over_tls = true;
    EXPECT_EQ(format_summary(r),
              "5 runs: 2 pass, 1 fail, 0 warn, 1 lenient, 0 info, 0 unimplemented, 1 error");
    EXPECT_EQ(format_summary(sample()),
              "4 cases: 1 pass, 1 fail, 0 warn, 1 lenient, 0 info, 0 unimplemented, 1 error");
}

TEST(ValidateReport, TextDetailsShowFindingAndTranscript)
{
    std::ostringstream out;
    write_text_report(out, sample(), true);
    EXPECT_NE(out.str().find("    RCPT before MAIL got 250\n      S: 220 <hi>"), std::string::npos)
        << out.str();
}

TEST(ValidateReport, JsonCarriesGradesRefsAndEscapedTranscripts)
{
    const auto doc = nlohmann::json::parse(to_json(sample()));
    EXPECT_EQ(doc["target"], "[::1]:2525");
    EXPECT_EQ(doc["exit_code"], 1);
    EXPECT_EQ(doc["summary"]["total"], 4);
    EXPECT_EQ(doc["summary"]["fail"], 1);
    EXPECT_EQ(doc["summary"]["warn"], 0);
    ASSERT_EQ(doc["cases"].size(), 4U);
    const auto& fail = doc["cases"][1];
    EXPECT_EQ(fail["id"], "rfc5321/3.3/1");
    EXPECT_EQ(fail["grade"], "fail");
    EXPECT_EQ(fail["level"], "MUST");
    EXPECT_EQ(fail["refs"][0]["section"], "3.3");
    EXPECT_EQ(fail["refs"][0]["requirements"][0], "R-3.3-10");
    EXPECT_EQ(fail["duration_ms"], 12);
    EXPECT_EQ(fail["transcript"][2]["from"], "S");
    EXPECT_EQ(fail["transcript"][2]["octets"], "221 \\xFF\\x01\\r\\n");
    const auto& nested = doc["cases"][2];
    EXPECT_EQ(nested["grade"], "lenient");
}

TEST(ValidateReport, JsonListsWgIssues)
{
    probe_report r;
    r.results.push_back(result("rfc5321/4.1.4/3", grade::pass, "503"));
    const auto doc = nlohmann::json::parse(to_json(r));
    EXPECT_EQ(doc["cases"][0]["refs"][0]["wg_issues"][0], 101);
}

TEST(ValidateReport, JunitHasOneTestcasePerCaseAndFailuresForFailAndError)
{
    const std::string xml = to_junit(sample());
    EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>"));
    EXPECT_NE(xml.find("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"0\""),
              std::string::npos)
        << xml;
    std::size_t testcases = 0;
    for (auto p = xml.find("<testcase "); p != std::string::npos;
         p = xml.find("<testcase ", p + 1)) {
        ++testcases;
    }
    EXPECT_EQ(testcases, 4U);
    EXPECT_NE(xml.find("<failure type=\"fail\" message=\"RCPT before MAIL got 250\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("<error type=\"error\" message=\"no reply &lt;timeout&gt;\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("S: 220 &lt;hi&gt; &amp; &quot;bye&quot;\\r\\n"), std::string::npos);
    EXPECT_NE(xml.find("221 \\xFF\\x01"), std::string::npos);
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
}

TEST(ValidateReport, ListShowsIdLevelTitleAndRefs)
{
    std::ostringstream out;
    const auto cases = select_cases(rfc5321_cases(), "rfc5321/4.1.4/2");
    write_case_list(out, cases);
    EXPECT_EQ(out.str(),
              "rfc5321/4.1.4/2      SHOULD NOOP before EHLO gets 250  [4.1.4 R-4.1.4-11]\n");
}

// Markup and octets are escaped exactly once: "&" is "&amp;" (never
// "&amp;amp;"), a backslash from the server is shown as "\\" by
// reference::printable and left alone by the XML escape.
TEST(ValidateReport, JunitEscapesOnce)
{
    probe_report r;
    auto res = result("rfc5321/3.3/1", grade::fail, "got 250 a&b <x>");
    res.log.add(direction::server, "250 a\\b & c\r\n");
    r.results.push_back(std::move(res));
    const std::string xml = to_junit(r);
    EXPECT_NE(xml.find("message=\"got 250 a&amp;b &lt;x&gt;\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("S: 250 a\\\\b &amp; c\\r\\n"), std::string::npos) << xml;
    EXPECT_EQ(xml.find("&amp;amp;"), std::string::npos);
    EXPECT_EQ(xml.find("&amp;lt;"), std::string::npos);
}

// The HTML page is self-contained (no script, no external reference) and
// escapes what the server sent.
TEST(ValidateReport, HtmlIsSelfContainedAndEscaped)
{
    const std::string html = to_html(sample());
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_EQ(html.find("<hi>"), std::string::npos);
    EXPECT_NE(html.find("S: 220 &lt;hi&gt; &amp; &quot;bye&quot;\\r\\n"), std::string::npos)
        << html;
    EXPECT_NE(html.find("no reply &lt;timeout&gt;"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"g fail\">fail</span>"), std::string::npos);
}

// Each line of the excerpt says what it is; the evidence line carries the grade.
TEST(ValidateReport, ExcerptIsAnnotated)
{
    auto r = result("rfc5321/3.3/1", grade::fail, "RCPT before MAIL got 250");
    r.found.evidence = 2;
    const auto lines = annotated_excerpt(r);
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[1].from, "C");
    EXPECT_EQ(lines[1].note, "4.1.1.10 QUIT");
    EXPECT_TRUE(lines[2].evidence);
    EXPECT_TRUE(lines[2].note.starts_with("<== fail: 221 ")) << lines[2].note;
    EXPECT_FALSE(lines[0].evidence);
}

}  // namespace smtpspec::validate
