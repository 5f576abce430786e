// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/route/resolve.hpp"

#include <utility>

namespace smtpspec::reference::route
{

namespace
{
/// One line that says what the DNS answered, for the trace.
std::string describe(std::string_view name, dns::rr_type type, const dns::answer& a)
{
    std::string out = std::string{dns::to_string(type)} + " " + std::string{name} + ": "
        + std::string{dns::to_string(a.status)};
    if (!a.detail.empty()) {
        out += " (" + a.detail + ")";
    }
    for (const auto& alias : a.cname_chain) {
        out += " CNAME " + alias;
    }
    for (const auto& r : a.mx) {
        out += " [" + std::to_string(r.preference) + " " + (r.exchange.empty() ? "." : r.exchange)
            + "]";
    }
    for (const auto& address : a.addresses) {
        out += " " + address;
    }
    return out;
}
}  // namespace

plan resolve(std::string_view domain, dns::resolver& dns, const options& opts,
             std::mt19937_64& rng)
{
    records data;
    std::vector<note> asked;
    if (domain.empty() || domain.front() != '[') {
        // 5.1 R-5.1-1: the domain is looked up in the DNS, MX first.
        data.mx = dns.query(domain, dns::rr_type::mx);
        asked.push_back(
            {describe(domain, dns::rr_type::mx, data.mx), spec::ref{"5.1", {"R-5.1-1"}}});
        for (const auto& host : hosts_to_resolve(domain, data.mx)) {
            if (opts.use_ipv4) {
                data.a[host] = dns.query(host, dns::rr_type::a);
                asked.push_back({describe(host, dns::rr_type::a, data.a[host]), spec::ref{"5.2"}});
            }
            if (opts.use_ipv6) {
                data.aaaa[host] = dns.query(host, dns::rr_type::aaaa);
                asked.push_back(
                    {describe(host, dns::rr_type::aaaa, data.aaaa[host]), spec::ref{"5.2"}});
            }
        }
    }
    plan p = select(domain, data, opts, rng);
    asked.insert(asked.end(), std::make_move_iterator(p.notes.begin()),
                 std::make_move_iterator(p.notes.end()));
    p.notes = std::move(asked);
    return p;
}

}  // namespace smtpspec::reference::route
