// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_GRAMMAR_RULE_TABLE_HPP
#define SMTPSPEC_TESTS_GRAMMAR_RULE_TABLE_HPP

// Helpers for table-driven tests of single PEGTL rules, and for checking a
// rule against a regular expression written straight from its ABNF.

#include <tao/pegtl.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::grammar::test
{

/// Marks a row whose input the rule does not match at all.
inline constexpr int no_match = -1;

/** One row of a rule table: the input and how many octets the rule consumes. */
struct rule_row
{
    std::string_view input;  ///< Octets given to the rule.
    int consumed;            ///< Octets matched from the start, or no_match.
};

/** @return how many octets of @p text Rule matches from the start, if it matches. */
template <typename Rule>
std::optional<std::size_t> match_prefix(std::string_view text)
{
    tao::pegtl::memory_input<> in(text.data(), text.size(), "test");
    if (!tao::pegtl::parse<Rule>(in)) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(in.current() - text.data());
}

/** @return true when Rule matches all of @p text. */
template <typename Rule>
bool accepts(std::string_view text)
{
    tao::pegtl::memory_input<> in(text.data(), text.size(), "test");
    return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>>(in);
}

/** Checks every row of a table against Rule. */
template <typename Rule>
void check_rows(std::initializer_list<rule_row> rows)
{
    for (const rule_row& row : rows) {
        SCOPED_TRACE("input \"" + std::string(row.input) + "\"");
        const std::optional<std::size_t> got = match_prefix<Rule>(row.input);
        if (row.consumed == no_match) {
            EXPECT_FALSE(got.has_value()) << "matched " << got.value_or(0) << " octets";
        } else {
            ASSERT_TRUE(got.has_value()) << "did not match";
            EXPECT_EQ(*got, static_cast<std::size_t>(row.consumed));
        }
    }
}

/** @return every string of length 0..max_length over the given alphabet. */
inline std::vector<std::string> all_strings(std::string_view alphabet, std::size_t max_length)
{
    std::vector<std::string> out{""};
    std::size_t begin = 0;
    for (std::size_t length = 1; length <= max_length; ++length) {
        const std::size_t end = out.size();
        for (std::size_t i = begin; i < end; ++i) {
            for (const char c : alphabet) {
                out.push_back(out[i] + c);
            }
        }
        begin = end;
    }
    return out;
}

/** @return @p count strings, each 1..max_tokens tokens joined, from a fixed seed. */
inline std::vector<std::string> token_strings(const std::vector<std::string>& tokens,
                                              std::size_t max_tokens, std::size_t count)
{
    std::mt19937 random(5321);
    std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
    std::uniform_int_distribution<std::size_t> length(1, max_tokens);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string s;
        for (std::size_t n = length(random); n > 0; --n) {
            s += tokens[pick(random)];
        }
        out.push_back(std::move(s));
    }
    return out;
}

/**
 * Checks that Rule accepts (as a whole) exactly the inputs the ABNF accepts,
 * the ABNF being given as an ECMAScript regular expression. A regular
 * expression explores every way to match, as ABNF does; PEG does not, so a
 * disagreement is a transcription error.
 * @return the number of inputs the ABNF accepts, so callers can check that the
 *         sample is not trivial.
 */
template <typename Rule>
std::size_t expect_same_language(const std::string& abnf_regex,
                                 const std::vector<std::string>& inputs)
{
    const std::regex abnf(abnf_regex, std::regex::ECMAScript);
    std::size_t accepted = 0;
    std::size_t disagreements = 0;
    for (const std::string& input : inputs) {
        const bool want = std::regex_match(input, abnf);
        accepted += want ? 1 : 0;
        if (accepts<Rule>(input) != want && ++disagreements <= 10) {
            ADD_FAILURE() << "\"" << input << "\": ABNF " << (want ? "accepts" : "rejects")
                          << ", rule does not agree";
        }
    }
    EXPECT_EQ(disagreements, 0U);
    return accepted;
}

}  // namespace smtpspec::grammar::test

#endif  // SMTPSPEC_TESTS_GRAMMAR_RULE_TABLE_HPP
