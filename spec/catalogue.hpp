// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_SPEC_CATALOGUE_HPP
#define SMTPSPEC_SPEC_CATALOGUE_HPP

#include "spec/ref.hpp"

#include <span>
#include <string>
#include <string_view>

namespace smtpspec::spec
{

/** A section of the standard: its number and heading. */
struct section_entry
{
    std::string_view id;     ///< "4.1.1.2", or "rfc3207/4.2" for another RFC.
    std::string_view title;  ///< The section's heading.
};

/** One use of a requirement keyword in RFC 5321, summarised in our words. */
struct requirement_entry
{
    std::string_view id;       ///< Stable id, "R-<section>-<n>".
    std::string_view section;  ///< Section the keyword stands in.
    std::string_view keyword;  ///< MUST, MUST NOT, SHOULD, SHOULD NOT, MAY, ...
    std::string_view actor;    ///< client, server, both, relay or operator.
    std::string_view summary;  ///< One line in this project's own words.
    std::span<const int> wg;   ///< EMAILCORE issues that touch it.
    bool wire;                 ///< Observable on the wire.
    std::string_view na;       ///< Why it cannot apply to smtpspec; empty when it can.
};

/** An EMAILCORE working-group issue and the readings on the table. */
struct wg_issue_entry
{
    int number;                                ///< The WG tracker's number.
    std::string_view title;                    ///< Own-words title.
    std::span<const std::string_view> bis_sections;  ///< Sections of 5321bis.
    std::span<const std::string_view> readings;      ///< Readings discussed.
    bool behaviour;                 ///< True when a reading changes behaviour.
    std::string_view profile_switch;  ///< model::profile member, or empty.
};

/** A reply code of 4.2 and where it may be sent. */
struct reply_code_entry
{
    int code;                                    ///< Three-digit code.
    std::string_view group;                      ///< Function group (4.2.1).
    std::string_view meaning;                    ///< Own-words meaning.
    std::span<const std::string_view> commands;  ///< Commands that may return it (4.3.2).
    std::span<const std::string_view> sections;  ///< Sections that define or use it.
};

/**
 * A leniency real servers apply that the reference server can switch on
 * (spec/data/deviations.toml). The server's switches and the prober's
 * "lenient" grade use its id.
 */
struct deviation_entry
{
    std::string_view id;                             ///< kebab-case name.
    std::string_view section;                        ///< Section whose rule it departs from.
    std::span<const std::string_view> requirements;  ///< Requirement ids involved.
    std::span<const int> wg;                         ///< EMAILCORE issues involved.
    bool default_on;                                 ///< On in the reference server by default.
    std::string_view accepts;                        ///< What is taken when it is on.
    std::string_view why;                            ///< Which real senders need it.
    std::string_view postfix;                        ///< Postfix setting, or "none known".
    std::string_view exim;                           ///< Exim setting, or "none known".
    std::string_view opensmtpd;                      ///< OpenSMTPD setting, or "none known".
};

/**
 * What 5321bis changes in one requirement of RFC 5321
 * (spec/data/bis_changes.toml), through a WG issue or a folded-in RFC.
 */
struct bis_change_entry
{
    std::string_view requirement;  ///< The requirement id of RFC 5321.
    std::string_view state;        ///< "draft" (in the 5321bis text) or "open" (WG undecided).
    std::string_view change;       ///< The change, in own words.
    std::span<const int> wg;       ///< EMAILCORE issues behind it.
    std::span<const int> rfcs;     ///< RFCs folded into 5321bis behind it (7504, 7505).
};

/**
 * One SMTP service extension and what smtpspec has for it
 * (spec/data/extensions.toml).
 */
struct extension_entry
{
    std::string_view keyword;  ///< EHLO keyword, such as "8BITMIME".
    int rfc;                   ///< The RFC that defines it.
    std::string_view grammar;  ///< "specific", "generic" (esmtp-param only) or "none".
    std::string_view server;   ///< "default", "optional" (profile switch) or "none".
    std::string_view client;   ///< "yes" or "no".
    int prober_cases;          ///< Probe cases in validate/ that exercise it.
    std::string_view note;     ///< What exactly is there.
};

/** @return every section of the catalogue, in document order. */
std::span<const section_entry> sections() noexcept;

/** @return every requirement of the catalogue, in document order. */
std::span<const requirement_entry> requirements() noexcept;

/** @return every WG issue of the catalogue, by number. */
std::span<const wg_issue_entry> wg_issues() noexcept;

/** @return every reply code of the catalogue, by code. */
std::span<const reply_code_entry> reply_codes() noexcept;

/** @return every deviation of the catalogue, in file order. */
std::span<const deviation_entry> deviations() noexcept;

/** @return every 5321bis change, in file order. */
std::span<const bis_change_entry> bis_changes() noexcept;

/** @return every extension of the matrix, in file order. */
std::span<const extension_entry> extensions() noexcept;

/** @return the section with this id, or nullptr. */
const section_entry* find_section(std::string_view id) noexcept;

/** @return the requirement with this id, or nullptr. */
const requirement_entry* find_requirement(std::string_view id) noexcept;

/** @return the WG issue with this number, or nullptr. */
const wg_issue_entry* find_wg_issue(int number) noexcept;

/** @return the reply code entry, or nullptr when the catalogue lacks it. */
const reply_code_entry* find_reply_code(int code) noexcept;

/** @return the 5321bis change of this requirement id, or nullptr when there is none. */
const bis_change_entry* find_bis_change(std::string_view requirement) noexcept;

/** @return the extension with this EHLO keyword (exact case), or nullptr. */
const extension_entry* find_extension(std::string_view keyword) noexcept;

/** @return the deviation with this id (such as "bare-lf-in-data"), or nullptr. */
const deviation_entry* find_deviation(std::string_view id) noexcept;

/**
 * Formats a ref for people: "4.1.1.2 R-4.1.1.2-1 WG#101".
 * @param r the ref.
 * @return the section, then each requirement id, then each WG issue.
 */
std::string to_string(const ref& r);

}  // namespace smtpspec::spec

#endif  // SMTPSPEC_SPEC_CATALOGUE_HPP
