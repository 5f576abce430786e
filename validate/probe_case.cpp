// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_case.hpp"

namespace smtpspec::validate
{

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
    std::vector<std::string_view> wanted;
    for (std::size_t start = 0; start <= prefixes.size();) {
        const auto comma = prefixes.find(',', start);
        const auto end = comma == std::string_view::npos ? prefixes.size() : comma;
        if (end > start) {
            wanted.push_back(prefixes.substr(start, end - start));
        }
        start = end + 1;
    }
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

}  // namespace smtpspec::validate
