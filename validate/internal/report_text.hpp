// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_INTERNAL_REPORT_TEXT_HPP
#define SMTPSPEC_VALIDATE_INTERNAL_REPORT_TEXT_HPP

#include "validate/grade.hpp"
#include "validate/probe_case.hpp"

#include <array>
#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace smtpspec::validate::internal
{

/** Every grade, in the order reports count them. */
inline constexpr std::array all_grades{grade::pass,    grade::fail, grade::warn,
                                       grade::lenient, grade::info, grade::unimplemented,
                                       grade::error};

/** @return the case's refs as "4.1.4 R-4.1.4-4 WG\#116; ...". */
std::string refs_text(const probe_case& c);

/** @return the items joined by ", ". */
std::string joined(std::span<const std::string_view> items);

/**
 * @return the deviation id, marked as proposed when the catalogue
 *         (spec/data/deviations.toml) does not hold it yet.
 */
std::string deviation_text(std::string_view id);

/** @return milliseconds as seconds with three decimals, "0.012". */
std::string seconds(std::chrono::milliseconds ms);

}  // namespace smtpspec::validate::internal

#endif  // SMTPSPEC_VALIDATE_INTERNAL_REPORT_TEXT_HPP
