// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_RULE_SET_HPP
#define SMTPSPEC_CORPUS_RULE_SET_HPP

// Every rule of grammar/rules, read into one grammar_graph, with what the
// corpus needs to know about each: how to parse a string with it (the pure
// PEGTL rule and, where one exists, the typed parser of grammar/parse.hpp),
// and the constraints the typed parsers add to the ABNF (the 4.5.3.1 size
// limits and the comments of 4.1.3).

#include "corpus/graph.hpp"
#include "grammar/command.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::corpus
{

/** What parsing a string with a rule gave. */
struct verdict
{
    /// The pure rule matches the whole string, and so does the typed parser.
    bool accepted = false;
    bool typed = false;     ///< A typed parser of grammar/parse.hpp took part.
    /// Where and why it failed: from the typed parser when there is one, else
    /// from the pure rule's parse. Empty when accepted.
    std::optional<grammar::syntax_error> error;
};

/** A size limit of 4.5.3.1 that a typed parser enforces on a rule's match. */
struct size_limit
{
    std::size_t octets = 0;   ///< The most octets a match may have.
    const char* section = ""; ///< The subsection of 4.5.3.1 that sets it.
    bool per_line = false;    ///< The limit applies to each CRLF-ended line of the match.
    bool reachable = true;    ///< The grammar can reach the limit (a coverage target).
};

/** The rules of grammar/rules and what the corpus knows about them. */
class rule_set
{
public:
    /** @return the set of every rule in grammar/rules (built once). */
    static const rule_set& grammar();

    /** @return the graph of all rules. */
    [[nodiscard]] const grammar_graph& graph() const noexcept { return graph_; }

    /** @return the public rules (not grammar::rules::internal), as rule indices, in file order. */
    [[nodiscard]] const std::vector<std::size_t>& public_rules() const noexcept
    {
        return public_;
    }

    /**
     * @param name ABNF spelling or C++ identifier of a rule.
     * @return its rule index, or nothing when no public rule has that name.
     */
    [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;

    /** @return the ABNF name of rule @p rule, e.g. "Reverse-path". */
    [[nodiscard]] const std::string& name(std::size_t rule) const
    {
        return graph_.rules[rule].name;
    }

    /**
     * Parses @p text with rule @p rule from start to end.
     * @param rule a public rule.
     * @param text the candidate.
     * @return whether it is in the language, and if not, where it fails.
     */
    [[nodiscard]] verdict check(std::size_t rule, std::string_view text) const;

    /**
     * @return true when the rule has a typed parser (a command, Mailbox,
     * Reply-line, Greeting), whose verdict check() includes.
     */
    [[nodiscard]] bool has_typed_parser(std::size_t rule) const;

    /**
     * The constraints a typed parser adds to the ABNF for one rule's match:
     * its 4.5.3.1 size limit, an Snum of at most 255, the group counts of
     * IPv6-comp and IPv6v4-comp and the "IPv6:" tag of 4.1.3.
     * @param rule any rule of the graph, public or internal.
     * @param text what the rule matched.
     * @return true when a typed parser would accept it.
     */
    [[nodiscard]] bool within_constraints(std::size_t rule, std::string_view text) const;

    /** @return true when within_constraints() can refuse a match of @p rule. */
    [[nodiscard]] bool constrained(std::size_t rule) const;

    /** @return the size limit of a rule, if 4.5.3.1 sets one. */
    [[nodiscard]] std::optional<size_limit> limit(std::size_t rule) const;

private:
    rule_set();

    struct parsers;

    grammar_graph graph_;
    std::vector<std::size_t> public_;
    std::vector<const parsers*> parsers_;  // by rule index; nullptr for internal rules
};

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_RULE_SET_HPP
