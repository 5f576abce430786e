// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_case.hpp"

namespace smtpspec::validate
{

namespace
{
std::vector<std::string_view> split_commas(std::string_view list)
{
    std::vector<std::string_view> out;
    for (std::size_t start = 0; start <= list.size();) {
        const auto comma = list.find(',', start);
        const auto end = comma == std::string_view::npos ? list.size() : comma;
        if (end > start) {
            out.push_back(list.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}
}  // namespace

bool probe_case::has_tag(std::string_view tag) const noexcept
{
    for (const auto t : tags) {
        if (t == tag) {
            return true;
        }
    }
    return false;
}

bool id_matches(std::string_view id, std::string_view prefix) noexcept
{
    if (prefix.empty()) {
        return true;
    }
    if (!id.starts_with(prefix)) {
        return false;
    }
    if (id.size() == prefix.size() || prefix.back() == '/' || prefix.back() == '.') {
        return true;
    }
    const char next = id[prefix.size()];
    return next == '/' || next == '.';
}

std::vector<const probe_case*> select_cases(std::span<const probe_case> all,
                                            std::string_view prefixes)
{
    const auto wanted = split_commas(prefixes);
    std::vector<const probe_case*> out;
    for (const auto& c : all) {
        bool selected = wanted.empty();
        for (const auto p : wanted) {
            selected = selected || id_matches(c.id, p);
        }
        if (selected) {
            out.push_back(&c);
        }
    }
    return out;
}

std::vector<const probe_case*> filter_by_tags(std::span<const probe_case* const> cases,
                                              std::string_view tags,
                                              std::string_view prefixes)
{
    const auto wanted = split_commas(tags);
    const auto ids = split_commas(prefixes);
    std::vector<const probe_case*> out;
    for (const auto* c : cases) {
        bool tagged = wanted.empty();
        bool slow_asked = false;
        for (const auto t : wanted) {
            tagged = tagged || c->has_tag(t);
            slow_asked = slow_asked || t == "slow";
        }
        for (const auto id : ids) {
            slow_asked = slow_asked || id == c->id;
        }
        if (tagged && (slow_asked || !c->has_tag("slow"))) {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace smtpspec::validate
