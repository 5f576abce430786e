// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_DOT_HPP
#define SMTPSPEC_MODEL_DOT_HPP

#include "model/explore.hpp"

#include <string>

namespace smtpspec::model
{

/** Which transitions a drawing of the state graph shows. */
struct dot_options
{
    /// Draw transitions that keep the state (refusals, NOOP, ignored input).
    bool self_loops = false;
    /// Draw the 421 replies and disconnects that every state has to closed.
    bool closing = false;
};

/**
 * Renders an explored state graph as Graphviz DOT: one node per state,
 * labelled with its phase and flags; one edge per pair of states, labelled
 * with each input that leads there and the reply codes, e.g. "RCPT 250|251".
 * @param e the exploration.
 * @param o what to leave out.
 * @return the DOT text of a digraph. Pure: nothing is written.
 */
std::string to_dot(const exploration& e, const dot_options& o = {});

/**
 * Renders two explorations in one graph: transitions both have in grey,
 * those only the first has in red and dashed, those only the second has in
 * blue and bold.
 * @param a the first (e.g. rfc5321).
 * @param b the second (e.g. rfc5321bis).
 * @param o what to leave out.
 * @return the DOT text of a digraph.
 */
std::string to_dot_diff(const exploration& a, const exploration& b, const dot_options& o = {});

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_DOT_HPP
