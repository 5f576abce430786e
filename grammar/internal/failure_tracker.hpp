// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_INTERNAL_FAILURE_TRACKER_HPP
#define SMTPSPEC_GRAMMAR_INTERNAL_FAILURE_TRACKER_HPP

// Finds where and in which ABNF rule a failed parse went wrong.
//
// PEG parsing backtracks, so "the" point of failure is a choice. The tracker
// takes the furthest octet that any alternative reached, and of the failures
// there the last one: it is the failure that made the whole line fail, while
// earlier ones at the same octet are optional parts that did not match. It
// names the outermost ABNF rule that was begun exactly at that octet (the
// thing that was expected there), or, if none was, the innermost ABNF rule
// still open (the thing that could not go on). When two different rules were
// expected at the same octet in the same place (Domain / address-literal after
// "EHLO "), neither is named but the rule that contains both. The core rules
// of RFC 5234 (SP, CRLF, ...) are never named; the message says which octet
// was found.

#include "grammar/command.hpp"

#include <tao/pegtl.hpp>
#include <tao/pegtl/demangle.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace smtpspec::grammar::internal
{

/// One ABNF rule being matched.
struct open_rule
{
    std::string_view identifier;  ///< C++ name of the rule, e.g. "Reverse_path".
    std::size_t start;            ///< Offset where its match began.
};

/** What the control below records during a parse; derive parse states from it. */
struct failure_tracker
{
    const char* base = nullptr;       ///< First octet of the input.
    std::vector<open_rule> open;      ///< ABNF rules being matched, outermost first.
    bool failed = false;              ///< True once a terminal has failed.
    std::size_t offset = 0;           ///< Furthest offset of a failure.
    std::string_view identifier;      ///< The rule to name for it.
    /// The rule expected at that offset, and its depth in open; empty if none.
    std::string_view expected;
    std::size_t expected_depth = 0;
};

/** @return the C++ identifier of an ABNF rule of grammar/rules, or "" for any other rule. */
template <typename Rule>
std::string_view rule_identifier()
{
    static constexpr std::string_view prefix = "smtpspec::grammar::rules::";
    const std::string_view full = tao::pegtl::demangle<Rule>();
    if (!full.starts_with(prefix)) {
        return {};
    }
    // Extension rules live one namespace deeper (rules::dsn::xtext); helpers
    // live in rules::internal or rules::<extension>::internal and are not named.
    const std::string_view rest = full.substr(prefix.size());
    if (rest.find('<') != std::string_view::npos || rest.starts_with("internal::")
        || rest.find("::internal::") != std::string_view::npos) {
        return {};
    }
    const std::size_t last = rest.rfind("::");
    return last == std::string_view::npos ? rest : rest.substr(last + 2);
}

/** @return true for the RFC 5234 core rules, which are too small to name in an error. */
inline bool is_core_rule(std::string_view identifier)
{
    static constexpr std::array<std::string_view, 14> core{
        "ALPHA", "BIT", "CHAR", "CR", "CRLF", "CTL", "DIGIT",
        "DQUOTE", "HEXDIG", "HTAB", "LF", "SP", "VCHAR", "WSP"};
    return std::find(core.begin(), core.end(), identifier) != core.end();
}

/** @return the ABNF spelling of a rule identifier: "Reverse_path" -> "Reverse-path". */
inline std::string abnf_name(std::string_view identifier)
{
    std::string name(identifier);
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

/** PEGTL control that keeps a failure_tracker up to date. */
template <typename Rule>
struct tracking_control : tao::pegtl::normal<Rule>
{
    /// True for rules without sub-rules, whose failure means an octet did not fit.
    static constexpr bool terminal =
        std::is_same_v<typename Rule::subs_t, tao::pegtl::empty_list>;

    template <typename ParseInput, typename State>
    static void start(const ParseInput& in, State& st)
    {
        const std::string_view id = rule_identifier<Rule>();
        if (!id.empty()) {
            st.open.push_back({id, static_cast<std::size_t>(in.current() - st.base)});
        }
    }

    template <typename ParseInput, typename State>
    static void success(const ParseInput&, State& st)
    {
        if (!rule_identifier<Rule>().empty()) {
            st.open.pop_back();
        }
    }

    template <typename ParseInput, typename State>
    static void failure(const ParseInput& in, State& st)
    {
        if constexpr (terminal) {
            const auto at = static_cast<std::size_t>(in.current() - st.base);
            if (!st.failed || at > st.offset) {
                st.failed = true;
                st.offset = at;
                st.expected = {};
                blame(st, at);
            } else if (at == st.offset) {
                blame(st, at);
            }
        }
        if (!rule_identifier<Rule>().empty()) {
            st.open.pop_back();
        }
    }

private:
    static void blame(failure_tracker& st, std::size_t at)
    {
        for (std::size_t i = 0; i < st.open.size(); ++i) {
            const open_rule& r = st.open[i];
            if (r.start != at || is_core_rule(r.identifier)) {
                continue;
            }
            if (!st.expected.empty() && st.expected_depth == i && st.expected != r.identifier) {
                // Two alternatives expected here: name the rule holding both.
                st.identifier = innermost(st, i);
            } else if (st.expected.empty() || st.expected_depth != i) {
                st.identifier = r.identifier;
            }
            st.expected = r.identifier;
            st.expected_depth = i;
            return;
        }
        st.expected = {};
        st.identifier = innermost(st, st.open.size());
    }

    /// @return the innermost non-core rule among open[0 .. end).
    static std::string_view innermost(const failure_tracker& st, std::size_t end)
    {
        while (end > 0) {
            --end;
            if (!is_core_rule(st.open[end].identifier)) {
                return st.open[end].identifier;
            }
        }
        return {};
    }
};

/** @return a description of the octet at @p offset of @p text, for error messages. */
inline std::string describe_octet(std::string_view text, std::size_t offset)
{
    if (offset >= text.size()) {
        return "end of input";
    }
    const auto c = static_cast<unsigned char>(text[offset]);
    if (c == '\n' && (offset == 0 || text[offset - 1] != '\r')) {
        return "bare LF (a line ends only with CRLF, RFC 5321 2.3.8)";
    }
    if (c == '\r' && (offset + 1 >= text.size() || text[offset + 1] != '\n')) {
        return "bare CR (a line ends only with CRLF, RFC 5321 2.3.8)";
    }
    if (c == '\r') {
        return "CRLF";
    }
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "octet 0x";
    out += hex[c >> 4];
    out += hex[c & 15];
    if (c > 32 && c < 127) {
        out += " '";
        out += static_cast<char>(c);
        out += '\'';
    } else if (c == 32) {
        out += " (SP)";
    }
    return out;
}

/**
 * The syntax error a failed parse left in @p st.
 * @param st the tracker after the parse failed.
 * @param text the input of the parse.
 * @param reply_code the reply code to give the error.
 * @param top_rule the rule to name when no ABNF rule was open at the failure.
 * @return the error, naming the rule and the offset.
 */
inline syntax_error failure_error(const failure_tracker& st, std::string_view text,
                                  int reply_code, std::string_view top_rule)
{
    const std::string rule = abnf_name(st.identifier.empty() ? top_rule : st.identifier);
    return syntax_error{rule, st.offset,
                        rule + ": unexpected " + describe_octet(text, st.offset)
                            + " at offset " + std::to_string(st.offset),
                        reply_code};
}

/// The input of every parse here: the caller's octets, not copied, with no line counting.
using line_input =
    tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy, tao::pegtl::eol::crlf, const char*>;

/**
 * Matches @p Rule against the whole of @p text with @p Action and PEGTL's
 * plain control: nothing is recorded but what the actions store in @p st.
 * @return true when the whole text matches.
 */
template <typename Rule, template <typename> class Action, typename State>
bool matches(std::string_view text, State& st)
{
    line_input in(text.data(), text.data() + text.size(), "line");
    return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>, Action>(in, st);
}

/**
 * Parses @p text again with the failure tracker, to name the rule and the
 * offset where it fails. Only called once a parse has failed, so that
 * successful parses never pay for the tracker.
 * @param text an input that @p Rule does not match as a whole.
 * @param reply_code the reply code to give the error.
 * @param top_rule the rule to name when no ABNF rule was open at the failure.
 * @return the syntax error.
 */
template <typename Rule>
syntax_error explain_failure(std::string_view text, int reply_code, std::string_view top_rule)
{
    failure_tracker st;
    st.base = text.data();
    line_input in(text.data(), text.data() + text.size(), "line");
    tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>, tao::pegtl::nothing,
                      tracking_control>(in, st);
    return failure_error(st, text, reply_code, top_rule);
}

/**
 * Runs @p Rule over @p text with @p Action, filling @p st: first without the
 * failure tracker, and only when that fails once more with it.
 * @return nothing on success; otherwise the syntax error, with @p reply_code.
 */
template <typename Rule, template <typename> class Action, typename State>
std::optional<syntax_error> run(std::string_view text, State& st, int reply_code,
                                std::string_view top_rule)
{
    st.base = text.data();
    if (matches<Rule, Action>(text, st)) {
        return std::nullopt;
    }
    return explain_failure<Rule>(text, reply_code, top_rule);
}

}  // namespace smtpspec::grammar::internal

#endif  // SMTPSPEC_GRAMMAR_INTERNAL_FAILURE_TRACKER_HPP
