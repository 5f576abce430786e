// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_GRAPH_HPP
#define SMTPSPEC_CORPUS_GRAPH_HPP

// The grammar as data: what corpus/reflect.hpp reads off the PEGTL rule types,
// one node per combinator, so that generators, coverage and dictionaries walk
// exactly the rules the parser runs.

#include <bitset>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace smtpspec::corpus
{

/** What a node of the grammar graph stands for: one PEGTL combinator family. */
enum class node_kind
{
    seq,      ///< seq<...>: every sub-node in order.
    sor,      ///< sor<...>: the first sub-node that matches (ordered choice).
    repeat,   ///< star, plus, opt, rep, rep_opt, rep_min_max: min..max of one sub-node.
    charset,  ///< one, range, ranges (and their negations): one octet out of a set.
    literal,  ///< string, istring: fixed octets, case-insensitive for istring.
    at,       ///< at<...>: a look-ahead that must match; consumes nothing.
    not_at,   ///< not_at<...>: a look-ahead that must not match; consumes nothing.
    rule,     ///< A rule of grammar/rules (a named type); sub-node 0 is its body.
    empty,    ///< success, eof, bof and the like: matches without consuming.
    fail,     ///< failure: never matches.
};

/** The repetition count that stands for "no upper bound" (star, plus). */
inline constexpr unsigned unbounded = std::numeric_limits<unsigned>::max();

/** One node of the grammar graph. */
struct node
{
    node_kind kind = node_kind::empty;  ///< The combinator family.
    std::vector<std::size_t> subs;      ///< Sub-nodes, by index into grammar_graph::nodes.
    unsigned min = 0;                   ///< Repeat: fewest iterations.
    unsigned max = 0;                   ///< Repeat: most iterations, or unbounded.
    std::bitset<256> chars;             ///< Charset: the octets it accepts.
    std::string text;                   ///< Literal: the octets, as written in the rule.
    bool icase = false;                 ///< Literal: letters match in either case (istring).
    std::size_t rule = 0;               ///< Rule: index into grammar_graph::rules.
};

/** A rule of grammar/rules that appears in the graph. */
struct rule_entry
{
    std::string identifier;  ///< C++ name below grammar::rules, e.g. "Reverse_path".
    std::string name;        ///< ABNF spelling, e.g. "Reverse-path"; helpers keep their identifier.
    std::size_t node = 0;    ///< Its node of kind rule.
    bool internal = false;   ///< True for helpers in grammar::rules::internal.
};

/** The grammar as a graph of nodes; rules may refer to each other (even recursively). */
struct grammar_graph
{
    std::vector<node> nodes;        ///< Every node; a rule appears once.
    std::vector<rule_entry> rules;  ///< Every rule met, in the order first reached.
};

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_GRAPH_HPP
