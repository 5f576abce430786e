// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_REFLECT_HPP
#define SMTPSPEC_CORPUS_REFLECT_HPP

// Reads a PEGTL rule type into a grammar_graph: one specialization of
// combinator<> per PEGTL combinator, dispatched on the rule's rule_t. A rule
// type of grammar/rules (any type named smtpspec::...) becomes a node of kind
// rule and is read once, so recursive rules terminate. A combinator without a
// specialization here stops the build with a message naming it: generating
// from a rule the corpus does not understand would give strings outside the
// parser's language.

#include "corpus/graph.hpp"

#include <tao/pegtl.hpp>
#include <tao/pegtl/demangle.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace smtpspec::corpus
{

/** Adds rule types to a grammar_graph; keeps the rules already read. */
class graph_builder
{
public:
    /** @param g the graph to extend; must outlive the builder. */
    explicit graph_builder(grammar_graph& g) : graph_(g) {}

    /**
     * Reads @p Rule and everything below it.
     * @tparam Rule a PEGTL rule type.
     * @return the index of its node in the graph.
     */
    template <typename Rule>
    std::size_t add();

    /** @return a new node of @p kind, with no sub-nodes yet. */
    std::size_t make(node_kind kind)
    {
        graph_.nodes.push_back(node{});
        graph_.nodes.back().kind = kind;
        return graph_.nodes.size() - 1;
    }

    /** @return the node at @p index (the reference is invalidated by make()). */
    node& at(std::size_t index) { return graph_.nodes[index]; }

    /** @return a node with the sub-nodes of each of @p Rules, in order. */
    template <typename... Rules>
    std::size_t make_with(node_kind kind)
    {
        const std::vector<std::size_t> subs{add<Rules>()...};
        const std::size_t n = make(kind);
        at(n).subs = subs;
        return n;
    }

    /** @return a repeat node of @p Rule, @p min to @p max times. */
    template <typename Rule>
    std::size_t make_repeat(unsigned min, unsigned max)
    {
        const std::size_t sub = add<Rule>();
        const std::size_t n = make(node_kind::repeat);
        at(n).subs = {sub};
        at(n).min = min;
        at(n).max = max;
        return n;
    }

    /** @return a charset node for the octets @p lo .. @p hi. */
    std::size_t make_charset(unsigned char lo, unsigned char hi, bool negated)
    {
        const std::size_t n = make(node_kind::charset);
        for (unsigned c = lo; c <= hi; ++c) {
            at(n).chars.set(c);
        }
        if (negated) {
            at(n).chars.flip();
        }
        return n;
    }

private:
    grammar_graph& graph_;
    std::unordered_map<std::string_view, std::size_t> rules_;  // demangled name -> node
};

/**
 * How one PEGTL combinator becomes nodes. Only the specializations below
 * exist; the primary template rejects anything else at compile time.
 * @tparam Combinator a rule_t of PEGTL (a type in tao::pegtl::internal).
 */
template <typename Combinator>
struct combinator
{
    static_assert(sizeof(Combinator) == 0,
                  "corpus/reflect.hpp: no generator for this PEGTL combinator; add a "
                  "specialization of smtpspec::corpus::combinator for it");

    /** @return never; see the static_assert. */
    static std::size_t add(graph_builder&);
};

namespace internal
{
namespace pi = tao::pegtl::internal;

/** @return true for the types of this project, which are grammar rules with a name. */
inline bool is_project_rule(std::string_view demangled)
{
    return demangled.starts_with("smtpspec::");
}

/** @return the name below smtpspec::grammar::rules, or the whole name for other rules. */
inline std::string_view rule_identifier(std::string_view demangled)
{
    constexpr std::string_view prefix = "smtpspec::grammar::rules::";
    return demangled.starts_with(prefix) ? demangled.substr(prefix.size()) : demangled;
}
}  // namespace internal

template <typename Rule>
std::size_t graph_builder::add()
{
    const std::string_view full = tao::pegtl::demangle<Rule>();
    if (!internal::is_project_rule(full)) {
        return combinator<typename Rule::rule_t>::add(*this);
    }
    if (const auto it = rules_.find(full); it != rules_.end()) {
        return it->second;
    }
    // Registered before its body is read, so that a recursive rule refers to itself.
    const std::size_t n = make(node_kind::rule);
    rules_.emplace(full, n);
    rule_entry entry;
    entry.identifier = std::string(internal::rule_identifier(full));
    entry.internal = entry.identifier.starts_with("internal::")
        || entry.identifier.find("::internal::") != std::string::npos;
    // ABNF names replace "-" by "_" in C++; helpers have no ABNF name and keep theirs.
    entry.name = entry.identifier;
    if (!entry.internal) {
        std::ranges::replace(entry.name, '_', '-');
    }
    entry.node = n;
    at(n).rule = graph_.rules.size();
    graph_.rules.push_back(std::move(entry));
    const std::size_t body = combinator<typename Rule::rule_t>::add(*this);
    at(n).subs = {body};
    return n;
}

/// seq<R...>: all of them, in order.
template <typename... Rules>
struct combinator<internal::pi::seq<Rules...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_with<Rules...>(node_kind::seq); }
};

/// sor<R...>: ordered choice.
template <typename... Rules>
struct combinator<internal::pi::sor<Rules...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_with<Rules...>(node_kind::sor); }
};

/// star<R>: zero or more.
template <typename Rule>
struct combinator<internal::pi::star<Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_repeat<Rule>(0, unbounded); }
};

/// plus<R>: one or more.
template <typename Rule>
struct combinator<internal::pi::plus<Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_repeat<Rule>(1, unbounded); }
};

/// opt<R>: zero or one.
template <typename Rule>
struct combinator<internal::pi::opt<Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_repeat<Rule>(0, 1); }
};

/// rep<N, R>: exactly N.
template <unsigned Count, typename Rule>
struct combinator<internal::pi::rep<Count, Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_repeat<Rule>(Count, Count); }
};

/// rep_opt<Max, R>: zero to Max.
template <unsigned Max, typename Rule>
struct combinator<internal::pi::rep_opt<Max, Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_repeat<Rule>(0, Max); }
};

/**
 * rep_min_max<Min, Max, R>: Min to Max, and then R must not follow (PEGTL adds
 * that check; the ABNF Min*Max does not have it).
 */
template <unsigned Min, unsigned Max, typename Rule>
struct combinator<internal::pi::rep_min_max<Min, Max, Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t rep = b.make_repeat<Rule>(Min, Max);
        const std::size_t guard = b.make_with<Rule>(node_kind::not_at);
        const std::size_t n = b.make(node_kind::seq);
        b.at(n).subs = {rep, guard};
        return n;
    }
};

/// until<Cond, R>: R as long as Cond does not match, then Cond.
template <typename Cond, typename Rule>
struct combinator<internal::pi::until<Cond, Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t stop = b.make_with<Cond>(node_kind::not_at);
        const std::size_t step = b.add<Rule>();
        const std::size_t body = b.make(node_kind::seq);
        b.at(body).subs = {stop, step};
        const std::size_t loop = b.make(node_kind::repeat);
        b.at(loop).subs = {body};
        b.at(loop).max = unbounded;
        const std::size_t cond = b.add<Cond>();
        const std::size_t n = b.make(node_kind::seq);
        b.at(n).subs = {loop, cond};
        return n;
    }
};

/// until<Cond>: any octets up to Cond.
template <typename Cond>
struct combinator<internal::pi::until<Cond>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        return combinator<internal::pi::until<Cond, tao::pegtl::any>>::add(b);
    }
};

/// if_must<Default, Cond, R...>: Cond then R... (optional as a whole when Default).
template <bool Default, typename Cond, typename... Rules>
struct combinator<internal::pi::if_must<Default, Cond, Rules...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t body = b.make_with<Cond, Rules...>(node_kind::seq);
        if (!Default) {
            return body;
        }
        const std::size_t n = b.make(node_kind::repeat);
        b.at(n).subs = {body};
        b.at(n).max = 1;
        return n;
    }
};

/// if_then_else<C, T, E>: C T, or (not C) E.
template <typename Cond, typename Then, typename Else>
struct combinator<internal::pi::if_then_else<Cond, Then, Else>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t yes = b.make_with<Cond, Then>(node_kind::seq);
        const std::size_t guard = b.make_with<Cond>(node_kind::not_at);
        const std::size_t other = b.add<Else>();
        const std::size_t no = b.make(node_kind::seq);
        b.at(no).subs = {guard, other};
        const std::size_t n = b.make(node_kind::sor);
        b.at(n).subs = {yes, no};
        return n;
    }
};

/// must<R>: R (a failure raises instead of backtracking; the language is R's).
template <typename Rule>
struct combinator<internal::pi::must<Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// enable<R>: R with actions on; the language is R's.
template <typename Rule>
struct combinator<internal::pi::enable<Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// disable<R>: R with actions off; the language is R's.
template <typename Rule>
struct combinator<internal::pi::disable<Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// action<A, R>: R with other actions; the language is R's.
template <template <typename...> class Action, typename Rule>
struct combinator<internal::pi::action<Action, Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// control<C, R>: R with another control; the language is R's.
template <template <typename...> class Control, typename Rule>
struct combinator<internal::pi::control<Control, Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// state<S, R>: R with another state; the language is R's.
template <typename State, typename Rule>
struct combinator<internal::pi::state<State, Rule>>
{
    /** @return the node of R. */
    static std::size_t add(graph_builder& b) { return b.add<Rule>(); }
};

/// at<R>: look-ahead, consumes nothing.
template <typename Rule>
struct combinator<internal::pi::at<Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_with<Rule>(node_kind::at); }
};

/// not_at<R>: negative look-ahead, consumes nothing.
template <typename Rule>
struct combinator<internal::pi::not_at<Rule>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_with<Rule>(node_kind::not_at); }
};

/// one<C...> and not_one<C...>: one octet from (or outside) a list.
template <internal::pi::result_on_found Result, char... Cs>
struct combinator<internal::pi::one<Result, internal::pi::peek_char, Cs...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t n = b.make(node_kind::charset);
        (b.at(n).chars.set(static_cast<unsigned char>(Cs)), ...);
        if (Result == internal::pi::result_on_found::failure) {
            b.at(n).chars.flip();
        }
        return n;
    }
};

/// range<Lo, Hi> and not_range<Lo, Hi>.
template <internal::pi::result_on_found Result, char Lo, char Hi>
struct combinator<internal::pi::range<Result, internal::pi::peek_char, Lo, Hi>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        return b.make_charset(static_cast<unsigned char>(Lo), static_cast<unsigned char>(Hi),
                              Result == internal::pi::result_on_found::failure);
    }
};

/// ranges<Lo1, Hi1, ..., [C]>: pairs of bounds, and an optional single octet at the end.
template <char... Cs>
struct combinator<internal::pi::ranges<internal::pi::peek_char, Cs...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t n = b.make(node_kind::charset);
        constexpr char list[] = {Cs...};
        constexpr std::size_t count = sizeof...(Cs);
        for (std::size_t i = 0; i + 1 < count; i += 2) {
            for (unsigned c = static_cast<unsigned char>(list[i]);
                 c <= static_cast<unsigned char>(list[i + 1]); ++c) {
                b.at(n).chars.set(c);
            }
        }
        if (count % 2 == 1) {
            b.at(n).chars.set(static_cast<unsigned char>(list[count - 1]));
        }
        return n;
    }
};

/// any: every octet.
template <>
struct combinator<internal::pi::any<internal::pi::peek_char>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make_charset(0, 255, false); }
};

/// bytes<N>: N octets of any value.
template <unsigned Count>
struct combinator<internal::pi::bytes<Count>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        return b.make_repeat<tao::pegtl::any>(Count, Count);
    }
};

/// string<C...>: these octets.
template <char... Cs>
struct combinator<internal::pi::string<Cs...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t n = b.make(node_kind::literal);
        b.at(n).text = std::string{Cs...};
        return n;
    }
};

/// istring<C...>: these octets, letters in either case.
template <char... Cs>
struct combinator<internal::pi::istring<Cs...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        const std::size_t n = b.make(node_kind::literal);
        b.at(n).text = std::string{Cs...};
        b.at(n).icase = true;
        return n;
    }
};

/// success: the empty string.
template <>
struct combinator<internal::pi::success>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::empty); }
};

/// eof: the end of the input, i.e. not_at<any>: generates nothing, and holds only at the end.
template <>
struct combinator<internal::pi::eof>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b)
    {
        return b.make_with<tao::pegtl::any>(node_kind::not_at);
    }
};

/// bof: the start of the input; generates nothing.
template <>
struct combinator<internal::pi::bof>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::empty); }
};

/// bol: the start of a line; generates nothing.
template <>
struct combinator<internal::pi::bol>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::empty); }
};

/// failure: matches nothing.
template <>
struct combinator<internal::pi::failure>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::fail); }
};

/// apply<A...>: runs actions, matches the empty string.
template <typename... Actions>
struct combinator<internal::pi::apply<Actions...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::empty); }
};

/// apply0<A...>: runs actions, matches the empty string.
template <typename... Actions>
struct combinator<internal::pi::apply0<Actions...>>
{
    /** @return the new node. */
    static std::size_t add(graph_builder& b) { return b.make(node_kind::empty); }
};

/**
 * Reads @p Rule into a new graph.
 * @tparam Rule a PEGTL rule type.
 * @return the graph; its rules list starts with Rule when Rule is a named rule.
 */
template <typename Rule>
grammar_graph reflect()
{
    grammar_graph g;
    graph_builder b(g);
    b.add<Rule>();
    return g;
}

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_REFLECT_HPP
