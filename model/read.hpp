// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_READ_HPP
#define SMTPSPEC_MODEL_READ_HPP

#include "grammar/parse.hpp"
#include "model/profile.hpp"
#include "model/step.hpp"

#include <optional>
#include <string_view>

namespace smtpspec::model
{

/** What one command line is to the model, and the leniencies that made it so. */
struct command_reading
{
    input in;  ///< What step() receives for the line.
    /// Set when `in` is a bad_line_event: where and why the grammar refused it.
    std::optional<grammar::syntax_error> error;
    /// EHLO with text after its address literal: the literal alone was read
    /// (4.1.1.1, WG \#107: servers cope with the text).
    bool ehlo_literal_text = false;
    /// NOOP with an argument that is not a String: the argument is ignored
    /// (4.1.1.9: servers ignore NOOP's argument).
    bool noop_argument_ignored = false;
};

/**
 * Reads one complete command line as a conforming server of profile `p`
 * does, so that the reference server and every oracle that predicts it
 * (property tests, the fuzz checks, the corpus oracle) agree on what a line
 * is: over-long lines (4.5.3.1.4), bare CR or LF inside the line (2.3.8), the
 * commands of 4.1.1 with the profile's trailing white space reading
 * (WG \#105), extension commands, and the two leniencies above.
 * @param line the line with its CRLF.
 * @param p the profile.
 * @return the input for model::step and what was tolerated.
 */
command_reading read_command_line(std::string_view line, const profile& p);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_READ_HPP
