// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/dns/resolver.hpp"

namespace smtpspec::reference::dns
{

std::string_view to_string(status s) noexcept
{
    switch (s) {
    case status::ok: return "ok";
    case status::nxdomain: return "nxdomain";
    case status::nodata: return "nodata";
    case status::servfail: return "servfail";
    case status::timeout: return "timeout";
    case status::unreachable: return "unreachable";
    }
    return "unknown";
}

std::string_view to_string(rr_type t) noexcept
{
    switch (t) {
    case rr_type::mx: return "MX";
    case rr_type::a: return "A";
    case rr_type::aaaa: return "AAAA";
    case rr_type::cname: return "CNAME";
    }
    return "?";
}

std::string normalize_name(std::string_view name)
{
    std::string out{name};
    if (!out.empty() && out.back() == '.') {
        out.pop_back();
    }
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

}  // namespace smtpspec::reference::dns
