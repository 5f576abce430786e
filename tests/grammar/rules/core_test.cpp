// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Tests of grammar/rules/core.hpp: the RFC 5234 B.1 core rules.

#include "grammar/rules/core.hpp"

#include "tests/grammar/rule_table.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace smtpspec::grammar::test
{
namespace
{

namespace r = rules;

/// Checks that Rule matches exactly the single octets for which @p in_set is true.
template <typename Rule>
void expect_octet_set(const std::function<bool(int)>& in_set)
{
    for (int c = 0; c < 256; ++c) {
        EXPECT_EQ(accepts<Rule>(std::string(1, static_cast<char>(c))), in_set(c)) << "octet " << c;
    }
}

TEST(grammar_rules_core, single_octet_rules_rfc5234_B_1)
{
    expect_octet_set<r::ALPHA>([](int c) { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); });
    expect_octet_set<r::BIT>([](int c) { return c == '0' || c == '1'; });
    expect_octet_set<r::CHAR>([](int c) { return c >= 1 && c <= 127; });
    expect_octet_set<r::CR>([](int c) { return c == 13; });
    expect_octet_set<r::LF>([](int c) { return c == 10; });
    expect_octet_set<r::CTL>([](int c) { return c <= 31 || c == 127; });
    expect_octet_set<r::DIGIT>([](int c) { return c >= '0' && c <= '9'; });
    expect_octet_set<r::DQUOTE>([](int c) { return c == 34; });
    expect_octet_set<r::HEXDIG>([](int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    });
    expect_octet_set<r::HTAB>([](int c) { return c == 9; });
    expect_octet_set<r::SP>([](int c) { return c == 32; });
    expect_octet_set<r::VCHAR>([](int c) { return c >= 33 && c <= 126; });
    expect_octet_set<r::WSP>([](int c) { return c == 32 || c == 9; });
}

// spec: 2.3.8 R-2.3.8-1 test (CRLF is the only line terminator)
TEST(grammar_rules_core, CRLF_is_CR_then_LF_rfc5234_B_1)
{
    check_rows<r::CRLF>({{"\r\n", 2}, {"\n", no_match}, {"\r", no_match}, {"\n\r", no_match},
                         {"\r\r\n", no_match}});
}

}  // namespace
}  // namespace smtpspec::grammar::test
