// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/report.hpp"

#include "tests/lint/lint_support.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::lint
{
namespace
{

const char* const bare_lf_session = "S: 220 mx.example.org\n"
                                    "C: HELO client.example.net\\nNOOP\n"
                                    "S: 500 bare LF\n";

TEST(LintReport, TextShowsEachLineWithItsAnnotationAndFindings)
{
    const result r = test::run(bare_lf_session);
    const std::string text = to_text(r, "session.txt");
    EXPECT_EQ(text,
              "1 S: 220 mx.example.org                         "
              "[Reply-line (Greeting) | connecting -> greeted | 3.1]\n"
              "2 C: HELO client.example.net\\nNOOP              "
              "[command (failed: bare CR or LF) | greeted]\n"
              "2   ! error R-2.3.8-3 (client, 2.3.8): the command line holds a bare CR or LF; "
              "only CRLF ends a line, so the server sees one malformed line [known fault B48]\n"
              "3 S: 500 bare LF                                "
              "[Reply-line | greeted -> greeted | 4.2.2]\n"
              "3   ! error R-4.1.4-18 (client, 4.1.4): the session ends without QUIT\n"
              "session.txt: 3 lines (3 on the wire), 2 findings (2 errors, 0 warnings, 0 notes)\n");
}

TEST(LintReport, SummaryCountsTheLinesOfTheFile)
{
    // 4 lines in the file, a comment among them; lines 3 and 4 carry three
    // wire lines each (one write), so 7 lines go on the wire.
    const result r = test::run("# three commands in one write\n"
                               "S: 220 mx.example.org\n"
                               "C: NOOP\\r\\nNOOP\\r\\nQUIT\n"
                               "S: 250 ok\\r\\n250 ok\\r\\n221 bye\n");
    ASSERT_FALSE(r.error.has_value());
    EXPECT_EQ(r.input_lines, 4U);
    EXPECT_EQ(r.lines.size(), 7U);
    const std::string text = to_text(r, "s.txt");
    EXPECT_TRUE(text.ends_with("\ns.txt: 4 lines (7 on the wire), 2 findings (2 errors, 0 "
                               "warnings, 0 notes)\n"))
        << text;
}

// spec: 2.3.8 R-2.3.8-3 test
TEST(LintReport, SarifFields)
{
    const result r = test::run(bare_lf_session);
    const auto log = nlohmann::json::parse(to_sarif(r, "dir/session.txt"));
    EXPECT_EQ(log["version"], "2.1.0");
    EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    ASSERT_EQ(log["runs"].size(), 1U);
    const auto& run = log["runs"][0];
    EXPECT_EQ(run["tool"]["driver"]["name"], "smtpspec lint");
    const auto& rules = run["tool"]["driver"]["rules"];
    ASSERT_EQ(rules.size(), 2U);
    EXPECT_EQ(rules[0]["id"], "R-2.3.8-3");
    EXPECT_EQ(rules[0]["shortDescription"]["text"],
              "A client never sends a lone CR or LF; these octets appear only as line endings");
    EXPECT_EQ(rules[0]["properties"]["keyword"], "MUST NOT");
    EXPECT_EQ(rules[0]["properties"]["section"], "2.3.8");
    EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "error");
    EXPECT_EQ(rules[1]["id"], "R-4.1.4-18");
    const auto& results = run["results"];
    ASSERT_EQ(results.size(), 2U);
    EXPECT_EQ(results[0]["ruleId"], "R-2.3.8-3");
    EXPECT_EQ(results[0]["ruleIndex"], 0);
    EXPECT_EQ(results[0]["level"], "error");
    EXPECT_EQ(results[0]["properties"]["knownFault"], "B48");
    EXPECT_EQ(results[0]["properties"]["actor"], "client");
    const auto& location = results[0]["locations"][0]["physicalLocation"];
    EXPECT_EQ(location["artifactLocation"]["uri"], "dir/session.txt");
    EXPECT_EQ(location["region"]["startLine"], 2);
    EXPECT_EQ(results[1]["ruleIndex"], 1);
    EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
    EXPECT_EQ(run["artifacts"][0]["location"]["uri"], "dir/session.txt");
}

TEST(LintReport, SarifOfACleanRunHasNoResults)
{
    const result r = test::run("S: 220 mx.example.org\nC: QUIT\nS: 221 bye\n");
    const auto log = nlohmann::json::parse(to_sarif(r, "clean.txt"));
    EXPECT_TRUE(log["runs"][0]["results"].empty());
    EXPECT_TRUE(log["runs"][0]["tool"]["driver"]["rules"].empty());
}

TEST(LintReport, SarifOfNonUtf8TextIsValidJson)
{
    const result r = test::run("S: 220 mx.example.org\nC: NOOP \\xFF\nS: 250 ok\n");
    const auto log = nlohmann::json::parse(to_sarif(r, "x.txt"));
    EXPECT_TRUE(log.is_object());
}

}  // namespace
}  // namespace smtpspec::lint
