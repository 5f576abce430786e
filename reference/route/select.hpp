// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_ROUTE_SELECT_HPP
#define SMTPSPEC_REFERENCE_ROUTE_SELECT_HPP

#include "reference/dns/resolver.hpp"
#include "spec/ref.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::route
{

/** What shapes the choice of targets besides the DNS data. */
struct options
{
    /// WG #121: use MX targets that are CNAMEs (5321bis) or skip them as a
    /// misconfiguration (RFC 5321: outside the scope). From model::profile.
    bool follow_cname_mx_targets = false;
    /// Names this client is known by (its EHLO name at least); an MX list
    /// that names one is cut there, so mail never loops back (5.1 R-5.1-19).
    std::vector<std::string> own_names;
    /// Cap on the addresses tried (5.1 R-5.1-12); never below 2 (R-5.1-13).
    std::size_t max_targets = 10;
    bool use_ipv4 = true;  ///< Use A records (5.2).
    bool use_ipv6 = true;  ///< Use AAAA records, tried after the A records of a host (5.2).
};

/** One place to try, in the order of the plan. */
struct target
{
    std::string host;              ///< MX exchange, the domain itself (implicit MX) or a literal.
    std::string address;           ///< Numeric address to connect to.
    std::uint16_t preference = 0;  ///< MX preference; 0 for an implicit MX or a literal.
};

/** One decision, for the annotated trace. */
struct note
{
    std::string text;  ///< What was decided, for people.
    spec::ref why;     ///< The rule behind it.
};

/** How routing ended. */
enum class outcome
{
    targets,    ///< At least one target to try.
    permanent,  ///< No target, and asking again will not help: report an error.
    temporary,  ///< No target for now: queue and retry later (5.1 R-5.1-5, 4.5.4.1).
};

/** Everything routing decided for one domain. */
struct plan
{
    route::outcome outcome = route::outcome::permanent;  ///< How it ended.
    std::vector<target> targets;                          ///< In the order to try them.
    std::vector<note> notes;                              ///< Every decision, in order.
    int reply_code = 0;        ///< For a failure: the reply a relay would give (556 for null MX).
    std::string enhanced;      ///< For a failure: its enhanced status code (RFC 3463).
    std::string error;         ///< For a failure: why, for people.
};

/** The DNS data one routing decision reads. */
struct records
{
    dns::answer mx;                            ///< The answer to the MX query of the domain.
    std::map<std::string, dns::answer> a;      ///< A answers, by normalized host name.
    std::map<std::string, dns::answer> aaaa;   ///< AAAA answers, by normalized host name.
};

/**
 * Reads an address literal (4.1.3): "[192.0.2.1]" or "[IPv6:2001:db8::1]".
 * @param domain the domain part of a mailbox.
 * @return the numeric address, or nothing when the domain is not an IPv4 or
 * IPv6 literal (a name, or a General-address-literal).
 */
std::optional<std::string> literal_address(std::string_view domain);

/**
 * @param name an MX exchange.
 * @return true when it is written as an address (bracketed, dotted quad, or
 * IPv6), which an MX record may not hold (5.1 R-5.1-9).
 */
bool looks_like_address(std::string_view name);

/**
 * Lists the host names whose A and AAAA records select() will read, given the
 * answer to the MX query: the exchanges, or the domain itself (or its
 * canonical name) for an implicit MX.
 * @param domain the destination domain (not a literal).
 * @param mx the answer to its MX query.
 * @return normalized names, each once.
 */
std::vector<std::string> hosts_to_resolve(std::string_view domain, const dns::answer& mx);

/**
 * Chooses the delivery targets of a domain from its DNS data, as 5.1 says:
 * MX records by preference, in random order within one preference (the random
 * source is a parameter so that tests are repeatable); the implicit MX when
 * the domain has no MX; null MX (RFC 7505) as a permanent 556 failure; MX
 * targets that are aliases per options::follow_cname_mx_targets (WG #121);
 * exchanges written as addresses skipped; the list cut at the client's own
 * name. Pure: no I/O.
 * @param domain the destination domain, a name or an address literal.
 * @param data the DNS answers (ignored for a literal).
 * @param opts the options.
 * @param rng the random source for equal preferences.
 * @return the plan, with a note and a Ref for every decision.
 */
plan select(std::string_view domain, const records& data, const options& opts,
            std::mt19937_64& rng);

}  // namespace smtpspec::reference::route

#endif  // SMTPSPEC_REFERENCE_ROUTE_SELECT_HPP
