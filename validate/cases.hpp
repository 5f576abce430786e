// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_CASES_HPP
#define SMTPSPEC_VALIDATE_CASES_HPP

#include "validate/probe_case.hpp"

#include <span>

namespace smtpspec::validate
{

/**
 * The catalogue of probe cases for the base protocol of RFC 5321, ordered
 * by id. Each id is unique.
 * @return every case.
 */
std::span<const probe_case> rfc5321_cases();

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_CASES_HPP
