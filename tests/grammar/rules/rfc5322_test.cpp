// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/rfc5322.hpp: the RFC 5322 rules used by 4.4.

#include "grammar/rules/rfc5322.hpp"

#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

TEST(grammar_rules_rfc5322, FWS_takes_every_fold_rfc5322_3_2_2)
{
    check_rows<r::FWS>({
        {" ", 1},
        {" \t ", 3},
        {"\r\n ", 3},
        {" \r\n\t", 4},
        {" \r\n \r\n x", 7},  // obs-FWS: two folds
        {"\r\n \r\n ", 3},      // the second fold needs WSP before it
        {" \r\nx", 1},
        {"\r\n", no_match},
        {"x", no_match},
    });
    const std::string abnf_fws = R"re((?:(?:[ \t]*\r\n)?[ \t]+|[ \t]+(?:\r\n[ \t]+)*))re";
    EXPECT_GT(expect_same_language<r::FWS>(abnf_fws, all_strings("\r\n x", 6)), 10U);
}

TEST(grammar_rules_rfc5322, comments_and_CFWS_rfc5322_3_2_2)
{
    check_rows<r::ctext>({{"a", 1}, {"(", no_match}, {")", no_match}, {"\\", no_match},
                          {"\x01", 1}, {" ", no_match}});
    check_rows<r::quoted_pair>({{"\\(", 2}, {"\\ ", 2}, {"\\\r", 2}, {"\\", no_match}});
    check_rows<r::comment>({
        {"()", 2},
        {"(a b)", 5},
        {"(a (nested (deep)) b)", 21},
        {"( a )", 5},
        {"(a\\)b)", 6},
        {"(a", no_match},
        {"(a))", 3},
    });
    check_rows<r::CFWS>({{" (c) ", 5}, {"(c)(d)", 6}, {" ", 1}, {"\r\n (x)\r\n ", 9},
                         {"x", no_match}});
}

TEST(grammar_rules_rfc5322, date_time_rfc5322_3_3)
{
    check_rows<r::date_time>({
        {"Fri, 4 Dec 2026 15:00:00 +0000", 30},
        {"4 Dec 2026 15:00 -0800", 22},
        {"Fri, 04 Dec 2026 15:00:00 +0100 (CET)", 37},
        {"fri, 4 dec 2026 15:00:00 +0000", 30},
        {"Fri, 4 Dec 26 15:00:00 +0000", no_match},   // two-digit year is obs- (4.4)
        {"Fri, 4 Dec 2026 15:00:00 GMT", no_match},   // obs-zone
        {"Fri 4 Dec 2026 15:00:00 +0000", no_match},
        {"Fri, 4 Dec 2026 15:00:00+0000", no_match},
    });
    check_rows<r::day_name>({{"Sun", 3}, {"Mo", no_match}});
    check_rows<r::month>({{"Sep", 3}, {"Sept", 3}, {"Xyz", no_match}});
    check_rows<r::zone>({{" +0000", 6}, {" +000", no_match}, {"+0000", no_match}});
}

TEST(grammar_rules_rfc5322, msg_id_rfc5322_3_6_4)
{
    check_rows<r::dot_atom_text>({{"a.b", 3}, {"a.", 1}, {".a", no_match}});
    check_rows<r::msg_id>({
        {"<a@b>", 5},
        {" <id.1@host.example> ", 21},
        {"<a@[1.2.3.4]>", 13},
        {"<a@[x\\]y]>", 10},
        {"<a b@c>", no_match},
        {"<@c>", no_match},
        {"<a@>", no_match},
    });
}

}  // namespace
}  // namespace smtpspec::grammar::test
