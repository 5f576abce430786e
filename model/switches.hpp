// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_MODEL_SWITCHES_HPP
#define SMTPSPEC_MODEL_SWITCHES_HPP

#include "model/profile.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace smtpspec::model
{

/**
 * One member of model::profile that can be set by name, as
 * `smtpspec model explore --set NAME=VALUE` does.
 *
 * The table of switches (profile_switches()) is the one place that names the
 * members; a member added to model::profile is settable once it has a row
 * there. The WG issue a switch belongs to is not repeated here: it is read
 * from the WG-issue catalogue (spec/data/wg_issues.toml, field `switch`).
 */
struct profile_switch
{
    std::string_view name;         ///< The member's name, e.g. "helo_resets_transaction".
    std::string_view description;  ///< One line, in this project's words.
    /// The member: a yes/no switch or a limit.
    std::variant<bool profile::*, std::size_t profile::*> member;

    /**
     * @param p a profile.
     * @return the member's value in p: "true"/"false" or a decimal number.
     */
    [[nodiscard]] std::string get(const profile& p) const;

    /**
     * Sets the member from text.
     * @param p the profile to change.
     * @param value "true"/"false" (also "1"/"0", "on"/"off") or a decimal number.
     * @return false when value does not suit the member; p is then unchanged.
     */
    bool set(profile& p, std::string_view value) const;

    /**
     * @return the EMAILCORE issue that selects this switch in the WG-issue
     *         catalogue, or 0 when the switch is not a WG reading.
     */
    [[nodiscard]] int wg_issue() const noexcept;
};

/** @return every settable member of model::profile, in declaration order. */
std::span<const profile_switch> profile_switches() noexcept;

/**
 * @param name a member name.
 * @return the switch of that name, or nullptr.
 */
const profile_switch* find_profile_switch(std::string_view name) noexcept;

}  // namespace smtpspec::model

#endif  // SMTPSPEC_MODEL_SWITCHES_HPP
