// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/dns/table_resolver.hpp"

namespace smtpspec::reference::dns
{

namespace
{
/// A recursive server gives up on long alias chains; so does the table.
constexpr int max_cname_hops = 8;
}  // namespace

table_resolver& table_resolver::mx(std::string_view name, std::uint16_t preference,
                                   std::string_view exchange)
{
    names_[normalize_name(name)].mx.push_back({preference, normalize_name(exchange)});
    return *this;
}

table_resolver& table_resolver::a(std::string_view name, std::string_view address)
{
    names_[normalize_name(name)].a.emplace_back(address);
    return *this;
}

table_resolver& table_resolver::aaaa(std::string_view name, std::string_view address)
{
    names_[normalize_name(name)].aaaa.emplace_back(address);
    return *this;
}

table_resolver& table_resolver::cname(std::string_view name, std::string_view target)
{
    names_[normalize_name(name)].cname = normalize_name(target);
    return *this;
}

table_resolver& table_resolver::fail(std::string_view name, status how)
{
    names_[normalize_name(name)].failure = how;
    return *this;
}

answer table_resolver::query(std::string_view name, rr_type type)
{
    std::string current = normalize_name(name);
    queries_.emplace_back(current, type);
    answer out;
    for (int hop = 0; hop <= max_cname_hops; ++hop) {
        const auto found = names_.find(current);
        if (found == names_.end()) {
            // An alias to a missing name: the chain is reported with nxdomain.
            out.status = status::nxdomain;
            return out;
        }
        const table_entry& e = found->second;
        if (e.failure) {
            out.status = *e.failure;
            return out;
        }
        if (type == rr_type::cname) {
            if (!e.cname.empty()) {
                out.cname_chain.push_back(e.cname);
            }
            out.status = e.cname.empty() ? status::nodata : status::ok;
            return out;
        }
        if (!e.cname.empty()) {
            out.cname_chain.push_back(e.cname);
            current = e.cname;
            continue;
        }
        switch (type) {
        case rr_type::mx: out.mx = e.mx; break;
        case rr_type::a: out.addresses = e.a; break;
        case rr_type::aaaa: out.addresses = e.aaaa; break;
        case rr_type::cname: break;
        }
        out.status = out.mx.empty() && out.addresses.empty() ? status::nodata : status::ok;
        return out;
    }
    out.status = status::servfail;  // Alias loop or chain too long.
    return out;
}

}  // namespace smtpspec::reference::dns
