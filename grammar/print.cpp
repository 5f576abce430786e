// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/print.hpp"

namespace smtpspec::grammar
{

std::string to_string(const path& p)
{
    std::string out = "<";
    if (!p.source_route.empty()) {
        out += p.source_route;
        out += ':';
    }
    out += p.box.str();
    out += '>';
    return out;
}

std::string to_string(const reverse_path& p)
{
    return p.value ? to_string(*p.value) : std::string{"<>"};
}

std::string to_string(const forward_path& p)
{
    if (p.bare_postmaster || !p.value) {
        return "<Postmaster>";
    }
    return to_string(*p.value);
}

}  // namespace smtpspec::grammar
