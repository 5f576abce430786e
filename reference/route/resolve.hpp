// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_ROUTE_RESOLVE_HPP
#define SMTPSPEC_REFERENCE_ROUTE_RESOLVE_HPP

#include "reference/dns/resolver.hpp"
#include "reference/route/select.hpp"

#include <random>
#include <string_view>

namespace smtpspec::reference::route
{

/**
 * Routes one domain (5.1): asks the resolver for the MX records, then for the
 * A and AAAA records of each host select() will read, and selects. An address
 * literal is routed without any query.
 * @param domain the destination domain, a name or an address literal.
 * @param dns the resolver (a table in tests, c-ares in production).
 * @param opts the options.
 * @param rng the random source for equal preferences.
 * @return the plan; its notes begin with one line per DNS answer.
 */
plan resolve(std::string_view domain, dns::resolver& dns, const options& opts,
             std::mt19937_64& rng);

}  // namespace smtpspec::reference::route

#endif  // SMTPSPEC_REFERENCE_ROUTE_RESOLVE_HPP
