// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/dictionary.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace smtpspec::corpus
{
namespace
{

bool has_value(const std::vector<dictionary_entry>& d, std::string_view value)
{
    return std::ranges::any_of(d, [&](const dictionary_entry& e) { return e.value == value; });
}

TEST(corpus_dictionary, keywords_and_separators_come_from_the_grammar)
{
    const auto d = grammar_dictionary(rule_set::grammar());
    for (const char* v : {"MAIL", "RCPT", "EHLO", "QUIT", "FROM:", "TO:", "IPv6:", "IPV6:",
                          "<Postmaster>", "::", "\r\n", "@", "<", ">", ":", " ", "220 "}) {
        EXPECT_TRUE(has_value(d, v)) << v;
    }
}

TEST(corpus_dictionary, reply_codes_come_from_the_model)
{
    const auto d = reply_code_dictionary();
    for (const char* v : {"220 ", "250 ", "250-", "354 ", "421 ", "500 ", "501 ", "503 ", "554 "}) {
        EXPECT_TRUE(has_value(d, v)) << v;
    }
    EXPECT_FALSE(has_value(d, "999 "));
}

TEST(corpus_dictionary, extension_keywords_come_from_the_server)
{
    const auto d = extension_dictionary();
    EXPECT_TRUE(has_value(d, "8BITMIME"));
    EXPECT_TRUE(has_value(d, "SIZE="));
}

TEST(corpus_dictionary, format_escapes_what_libfuzzer_needs_escaped)
{
    const std::string text = format_dictionary({{"crlf", "\r\n"}, {"q", "a\"b\\"}});
    EXPECT_NE(text.find("crlf=\"\\x0D\\x0A\"\n"), std::string::npos);
    EXPECT_NE(text.find("q=\"a\\x22b\\x5C\"\n"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::corpus
