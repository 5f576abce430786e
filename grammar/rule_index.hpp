// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULE_INDEX_HPP
#define SMTPSPEC_GRAMMAR_RULE_INDEX_HPP

// Every rule of grammar/rules by name, so that a program can parse a string
// with a rule chosen at run time (`smtpspec parse RULE`) and see the parse
// tree. The list is generated from the rule headers by grammar/rule_catalog.py,
// so a rule added there is here without an edit.

#include "grammar/command.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::grammar
{

/** One node of a parse tree: an ABNF rule and the octets it matched. */
struct tree_node
{
    std::string_view identifier;  ///< C++ name of the rule, without namespaces ("Reverse_path").
    std::size_t begin = 0;        ///< Offset of its first octet in the input.
    std::size_t end = 0;          ///< Offset one past its last octet.
    std::size_t depth = 0;        ///< 0 for the rule parsed, 1 for its children, ...
};

/** What parsing a whole input with one rule gave. */
struct rule_parse
{
    /// The named rules that matched, parents before children (pre-order);
    /// empty when the parse failed. Helpers of rules::internal are not shown.
    std::vector<tree_node> tree;
    /// Why the input is not in the rule's language; empty on success.
    std::optional<syntax_error> error;
};

/** A rule of grammar/rules, with what is needed to parse with it. */
struct rule_info
{
    std::string_view identifier;  ///< Below grammar::rules, e.g. "dsn::xtext", "Reverse_path".
    std::string_view name;        ///< ABNF spelling, e.g. "dsn::xtext", "Reverse-path".
    std::string_view section;     ///< Where the ABNF is, e.g. "RFC 5321 4.1.2".
    /// Parses a whole input (the rule, then the end of the input) with the pure rule.
    rule_parse (*parse)(std::string_view text);
};

/** @return every public rule of grammar/rules, in header order. */
std::span<const rule_info> all_rules();

/**
 * @param name the ABNF spelling ("Reverse-path", "dsn::xtext") or the C++
 *        identifier ("Reverse_path", "dsn::xtext"); case matters, as in the RFC.
 * @return the rule, or nullptr when there is none of that name.
 */
const rule_info* find_rule(std::string_view name);

}  // namespace smtpspec::grammar

#endif  // SMTPSPEC_GRAMMAR_RULE_INDEX_HPP
