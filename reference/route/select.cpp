// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/route/select.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <set>
#include <utility>

namespace smtpspec::reference::route
{

namespace
{
using spec::ref;

bool is_ipv4(const std::string& text)
{
    in_addr a{};
    return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& text)
{
    in6_addr a{};
    return inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

bool iequals_prefix(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size()
        && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return (a | 0x20) == (b | 0x20);
           });
}

plan fail(plan p, outcome how, int code, std::string enhanced, std::string error, const ref& why)
{
    p.outcome = how;
    p.targets.clear();
    p.reply_code = code;
    p.enhanced = std::move(enhanced);
    p.notes.push_back({error, why});
    p.error = std::move(error);
    return p;
}

/// Shuffles each run of equal preferences (5.1 R-5.1-15) with Fisher-Yates;
/// mt19937_64's output is fixed by the standard, so a seed gives one order
/// on every platform.
void shuffle_equal_preferences(std::vector<dns::mx_record>& mx, std::mt19937_64& rng)
{
    for (std::size_t begin = 0; begin < mx.size();) {
        std::size_t end = begin + 1;
        while (end < mx.size() && mx[end].preference == mx[begin].preference) {
            ++end;
        }
        for (std::size_t i = end - begin; i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(rng() % i);
            std::swap(mx[begin + i - 1], mx[begin + j]);
        }
        begin = end;
    }
}

/// What the address lookups of one host gave.
struct host_addresses
{
    std::vector<std::string> addresses;
    std::vector<std::string> aliases;  ///< CNAME chain seen on the way.
    bool temporary = false;            ///< A lookup failed in a way that may pass.
    bool missing = false;              ///< No answer was supplied at all.
    std::string why;                   ///< The resolver's detail of a temporary failure.
};

host_addresses addresses_of(const std::string& host, const records& data, const options& opts)
{
    host_addresses out;
    const auto take = [&](const std::map<std::string, dns::answer>& answers) {
        const auto found = answers.find(host);
        if (found == answers.end()) {
            out.missing = true;
            return;
        }
        const dns::answer& ans = found->second;
        if (out.aliases.empty()) {
            out.aliases = ans.cname_chain;
        }
        out.temporary = out.temporary || dns::is_temporary(ans.status);
        if (dns::is_temporary(ans.status) && out.why.empty()) {
            out.why = ans.detail;
        }
        if (ans.status == dns::status::ok) {
            out.addresses.insert(out.addresses.end(), ans.addresses.begin(), ans.addresses.end());
        }
    };
    if (opts.use_ipv4) {
        take(data.a);
    }
    if (opts.use_ipv6) {
        take(data.aaaa);
    }
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator)
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}
}  // namespace

std::optional<std::string> literal_address(std::string_view domain)
{
    if (domain.size() < 3 || domain.front() != '[' || domain.back() != ']') {
        return std::nullopt;
    }
    const std::string_view inner = domain.substr(1, domain.size() - 2);
    if (iequals_prefix(inner, "IPv6:")) {
        std::string v6{inner.substr(5)};
        return is_ipv6(v6) ? std::optional{v6} : std::nullopt;
    }
    std::string v4{inner};
    return is_ipv4(v4) ? std::optional{v4} : std::nullopt;
}

bool looks_like_address(std::string_view name)
{
    if (name.empty()) {
        return false;
    }
    if (name.front() == '[') {
        return true;
    }
    const std::string text = dns::normalize_name(name);
    return is_ipv4(text) || is_ipv6(text);
}

std::vector<std::string> hosts_to_resolve(std::string_view domain, const dns::answer& mx)
{
    std::vector<std::string> out;
    if (mx.status == dns::status::nodata) {
        out.push_back(mx.cname_chain.empty() ? dns::normalize_name(domain)
                                             : mx.cname_chain.back());
        return out;
    }
    if (mx.status != dns::status::ok) {
        return out;
    }
    for (const auto& r : mx.mx) {
        const std::string host = dns::normalize_name(r.exchange);
        if (!host.empty() && !looks_like_address(host)
            && std::ranges::find(out, host) == out.end()) {
            out.push_back(host);
        }
    }
    return out;
}

plan select(std::string_view domain, const records& data, const options& opts,
            std::mt19937_64& rng)
{
    plan p;
    const std::string name = dns::normalize_name(domain);

    // An address literal names the host itself: no DNS (4.1.3, 2.3.4).
    if (!domain.empty() && domain.front() == '[') {
        const auto address = literal_address(domain);
        if (!address) {
            return fail(std::move(p), outcome::permanent, 550, "5.1.2",
                        "the address literal " + std::string{domain}
                            + " is not an IPv4 or IPv6 address this client can reach",
                        ref{"4.1.3"});
        }
        p.outcome = outcome::targets;
        p.targets.push_back({std::string{domain}, *address, 0});
        p.notes.push_back({"address literal " + std::string{domain} + ": deliver to " + *address
                               + " without DNS",
                           ref{"4.1.3"}});
        return p;
    }

    const dns::answer& mx = data.mx;
    if (dns::is_temporary(mx.status)) {
        return fail(std::move(p), outcome::temporary, 451, "4.4.3",
                    "the MX query for " + name + " failed for now (" +
                        (mx.detail.empty() ? std::string{dns::to_string(mx.status)} : mx.detail) +
                        "); queue and retry later",
                    ref{"5.1", {"R-5.1-5", "R-4.5.4.1-1"}});
    }
    if (mx.status == dns::status::nxdomain) {
        return fail(std::move(p), outcome::permanent, 550, "5.1.2",
                    "the domain " + name + " does not exist (NXDOMAIN)", ref{"5.1", {"R-5.1-4"}});
    }
    std::string canonical = name;
    if (!mx.cname_chain.empty()) {
        canonical = mx.cname_chain.back();
        p.notes.push_back({name + " is an alias (" + join(mx.cname_chain, " -> ")
                               + "); processed as " + canonical,
                           ref{"5.1", {"R-5.1-1"}, {98}}});
    }
    const auto is_own = [&](const std::string& host) {
        return std::ranges::any_of(opts.own_names, [&](const std::string& own) {
            return dns::normalize_name(own) == host;
        });
    };

    // The candidate hosts: the MX records, or the implicit MX.
    std::vector<dns::mx_record> hosts;
    bool implicit = false;
    if (mx.status == dns::status::nodata || mx.mx.empty()) {
        implicit = true;
        if (is_own(canonical)) {
            return fail(std::move(p), outcome::permanent, 550, "5.4.6",
                        canonical + " has no MX and is this client's own name: delivering "
                                    "there would loop",
                        ref{"5.1", {"R-5.1-6", "R-5.1-19"}});
        }
        p.notes.push_back({canonical + " has no MX records: implicit MX, preference 0, "
                                       "pointing to " + canonical,
                           ref{"5.1", {"R-5.1-7"}}});
        hosts.push_back({0, canonical});
    } else {
        if (mx.mx.size() == 1 && mx.mx.front().exchange.empty()) {
            return fail(std::move(p), outcome::permanent, 556, "5.1.10",
                        canonical + " publishes a null MX (RFC 7505): it accepts no mail",
                        ref{"rfc7504/4", {"R-5.1-8"}});
        }
        hosts = mx.mx;
        std::ranges::stable_sort(hosts, {}, &dns::mx_record::preference);
        shuffle_equal_preferences(hosts, rng);
        std::string order;
        for (const auto& h : hosts) {
            order += (order.empty() ? "" : ", ") + std::to_string(h.preference) + " "
                + (h.exchange.empty() ? std::string{"."} : h.exchange);
        }
        p.notes.push_back({"MX of " + canonical + " by preference, equal preferences in "
                                                  "random order: " + order,
                           ref{"5.1", {"R-5.1-14", "R-5.1-15"}}});

        // Never back to ourselves: cut the list at our own name (loop, 5.1).
        const auto own = std::ranges::find_if(hosts, [&](const dns::mx_record& h) {
            return is_own(dns::normalize_name(h.exchange));
        });
        if (own != hosts.end()) {
            const std::uint16_t cut = own->preference;
            std::erase_if(hosts, [&](const dns::mx_record& h) { return h.preference >= cut; });
            p.notes.push_back({own->exchange + " is this client: MX records of preference "
                                   + std::to_string(cut) + " and above are dropped",
                               ref{"5.1", {"R-5.1-19", "R-5.1-20"}}});
            if (hosts.empty()) {
                return fail(std::move(p), outcome::permanent, 550, "5.4.6",
                            "no MX of " + canonical + " is preferred to this client itself: "
                                                      "delivering would loop",
                            ref{"5.1", {"R-5.1-21"}});
            }
        }
    }

    // Each host to its addresses, in the order the resolver gave (R-5.1-16).
    bool temporary = false;
    for (const auto& h : hosts) {
        const std::string host = dns::normalize_name(h.exchange);
        if (host.empty()) {
            p.notes.push_back({"MX \".\" of " + canonical + " is mixed with other MX records "
                                                           "(RFC 7505 allows it only alone): "
                                                           "skipped",
                               ref{"5.1", {"R-5.1-9"}}});
            continue;
        }
        if (looks_like_address(host)) {
            p.notes.push_back({"MX " + host + " is an address, not a domain name: skipped",
                               ref{"5.1", {"R-5.1-9"}}});
            continue;
        }
        const host_addresses found = addresses_of(host, data, opts);
        if (!implicit && !found.aliases.empty()) {
            const std::string chain = host + " -> " + join(found.aliases, " -> ");
            if (!opts.follow_cname_mx_targets) {
                p.notes.push_back({"MX " + host + " is a CNAME (" + chain
                                       + "): a misconfiguration, not followed (RFC 5321 "
                                         "reading of WG #121)",
                                   ref{"5.1", {"R-5.1-10"}, {121}}});
                continue;
            }
            p.notes.push_back({"MX " + host + " is a CNAME (" + chain
                                   + "): followed (5321bis reading of WG #121)",
                               ref{"5.1", {"R-5.1-10"}, {121}}});
        }
        if (found.addresses.empty()) {
            temporary = temporary || found.temporary;
            p.notes.push_back(
                {host +
                     (found.temporary ? ": address lookup failed for now" +
                                            (found.why.empty() ? "" : " (" + found.why + ")")
                                      : ": no address records") +
                     ", skipped",
                 ref{"5.1", {"R-5.1-10"}}});
            continue;
        }
        p.notes.push_back({host + " (preference " + std::to_string(h.preference)
                               + "): " + join(found.addresses, ", "),
                           ref{"5.1", {"R-5.1-16"}}});
        for (const auto& address : found.addresses) {
            p.targets.push_back({host, address, h.preference});
        }
    }

    if (p.targets.empty()) {
        if (temporary) {
            return fail(std::move(p), outcome::temporary, 451, "4.4.3",
                        "no address for the mail hosts of " + canonical
                            + " for now; queue and retry later",
                        ref{"5.1", {"R-5.1-5", "R-4.5.4.1-1"}});
        }
        return fail(std::move(p), outcome::permanent, 550, "5.4.4",
                    implicit ? "the implicit MX " + canonical + " has no usable address"
                             : "none of the MX records of " + canonical + " is usable",
                    implicit ? ref{"5.1", {"R-5.1-6"}} : ref{"5.1", {"R-5.1-6", "R-5.1-8"}});
    }
    const std::size_t cap = std::max<std::size_t>(opts.max_targets, 2);
    if (p.targets.size() > cap) {
        p.notes.push_back({"trying the first " + std::to_string(cap) + " of "
                               + std::to_string(p.targets.size()) + " addresses",
                           ref{"5.1", {"R-5.1-12", "R-5.1-13"}}});
        p.targets.resize(cap);
    }
    p.outcome = outcome::targets;
    return p;
}

}  // namespace smtpspec::reference::route
