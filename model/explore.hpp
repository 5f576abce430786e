// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_EXPLORE_HPP
#define SMTPSPEC_MODEL_EXPLORE_HPP

#include "model/profile.hpp"
#include "model/state.hpp"
#include "model/step.hpp"
#include "spec/ref.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::model
{

/**
 * One letter of the explorer's input alphabet: an input for step() with the
 * names under which it appears in graphs and transcripts.
 */
struct labelled_input
{
    std::string name;  ///< Short name for graph edges, e.g. "MAIL" or "eod-ok".
    std::string line;  ///< What a transcript shows after "C: ".
    input value;       ///< What step() is given.
};

/**
 * The explorer's default alphabet: connect, one representative of every
 * command the grammar knows (EHLO, HELO, MAIL, RCPT, DATA, RSET, VRFY, EXPN,
 * HELP, NOOP, QUIT), lines refused with 500 and 501, an over-long line, an
 * acceptable and an unacceptable end of data, and a disconnect.
 *
 * This is the one place to add a representative when step() learns a new
 * command or event; the check "alphabet-covers-commands" fails while an
 * alternative of grammar::command or of model::input has none.
 * @return the alphabet, in the order the explorer tries it.
 */
std::vector<labelled_input> default_alphabet();

/** How the explorer abstracts and bounds the state space. */
struct explore_options
{
    /**
     * Recipient counts up to this value are kept exactly; counts above it and
     * below the profile's max_recipients form one abstract value, and the
     * limit itself stays exact. See docs/model.md, "Abstraction".
     */
    std::size_t exact_recipients = 2;
    /// Every closed state is one node (closed reads nothing, which is checked).
    bool merge_closed = true;
    /// Safety bound: exploration stops (and reports it) past this many states.
    std::size_t max_states = 100000;
    /// Violations kept per invariant; the first kept is a shortest one.
    std::size_t max_violations = 16;
};

/** The function explored; step() unless a test substitutes a variant. */
using step_function = std::function<outcome(const profile&, const state&, const input&)>;

/** One transition of the explored graph. */
struct graph_edge
{
    std::size_t from;   ///< Index of the source state.
    std::size_t to;     ///< Index of the target state.
    std::size_t input;  ///< Index into the alphabet.
    int code;           ///< The reply code; 0 when nothing is sent.
    spec::ref why;      ///< The ref step() gave.
};

/** One invariant the explorer checks. */
struct invariant
{
    std::string_view id;       ///< Short id, e.g. "data-needs-rcpt".
    std::string_view summary;  ///< What must hold, in this project's words.
    spec::ref why;             ///< The section and requirements behind it.
};

/** @return every invariant the explorer checks, in the order it reports them. */
const std::vector<invariant>& invariants();

/** A broken invariant, with the shortest path that shows it. */
struct violation
{
    std::string_view invariant;            ///< The invariant's id.
    std::string detail;                    ///< What was found, for people.
    std::vector<std::size_t> path;         ///< Edges from the initial state, in order.
};

/** The reachable graph of one profile and what was found in it. */
struct exploration
{
    profile explored;                     ///< The profile (with any switches set).
    explore_options options;              ///< The abstraction used.
    std::vector<labelled_input> alphabet; ///< The inputs tried in every state.
    std::vector<state> states;            ///< Reachable abstract states; [0] is initial.
    std::vector<graph_edge> edges;        ///< Distinct (from, input, code, to) transitions.
    std::vector<violation> violations;    ///< Empty when every invariant holds.
    bool truncated = false;               ///< True when max_states stopped the search.

    /**
     * @param s a state of this exploration.
     * @return a one-line description, e.g. "rcpt ehlo n=3..99", unique
     *         among the states of this exploration.
     */
    [[nodiscard]] std::string describe(const state& s) const;

    /**
     * @param s a state.
     * @return the description from the members this version names (phase,
     *         EHLO or HELO, refused, recipients), without disambiguation.
     */
    [[nodiscard]] std::string describe_known(const state& s) const;

    /**
     * @param path edge indices from the initial state.
     * @return the path as an SMTP transcript, one "C:" and one "S:" line per
     *         step, the server line naming the ref and the state reached.
     */
    [[nodiscard]] std::string transcript(const std::vector<std::size_t>& path) const;

    /**
     * @param id an invariant id.
     * @return the number of violations of that invariant found.
     */
    [[nodiscard]] std::size_t count(std::string_view id) const;
};

/**
 * Enumerates every reachable abstract state of a profile by breadth-first
 * search over step() and the alphabet, then checks every invariant. Breadth
 * first means each counterexample path is a shortest one.
 * @param p the profile.
 * @param options the abstraction and bounds.
 * @param alphabet the inputs to try in every state.
 * @param fn the step function (step() itself outside tests).
 * @return the graph and the violations found. Pure: no I/O.
 */
exploration explore(const profile& p, const explore_options& options = {},
                    std::vector<labelled_input> alphabet = default_alphabet(),
                    const step_function& fn = step);

/** What two explorations differ in, edges compared by their descriptions. */
struct exploration_diff
{
    /// Edges of the first exploration that the second lacks.
    std::vector<std::size_t> only_in_first;
    /// Edges of the second exploration that the first lacks.
    std::vector<std::size_t> only_in_second;
    /// States of the first that the second never reaches.
    std::vector<std::size_t> states_only_in_first;
    /// States of the second that the first never reaches.
    std::vector<std::size_t> states_only_in_second;
};

/**
 * Compares two explorations of the same alphabet (for instance rfc5321 and
 * rfc5321bis, which differ by WG #116).
 * @param a the first.
 * @param b the second.
 * @return the edges and states present in one and not the other.
 */
exploration_diff diff(const exploration& a, const exploration& b);

/**
 * @param e an exploration.
 * @param id the invariant.
 * @return the first violation of that invariant, if any.
 */
std::optional<violation> first_violation(const exploration& e, std::string_view id);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_EXPLORE_HPP
