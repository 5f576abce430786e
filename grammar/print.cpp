// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/print.hpp"

namespace smtpspec::grammar
{

std::string to_string(const mailbox& m)
{
    return m.local_part + '@' + m.domain;
}

std::string to_string(const path& p)
{
    std::string out = "<";
    if (!p.source_route.empty()) {
        out += p.source_route;
        out += ':';
    }
    out += to_string(p.box);
    out += '>';
    return out;
}

std::string to_string(const reverse_path& r)
{
    return r.is_null() ? std::string("<>") : to_string(*r.value);
}

std::string to_string(const forward_path& f)
{
    if (f.bare_postmaster || !f.value) {
        return "<Postmaster>";
    }
    return to_string(*f.value);
}

std::string to_string(const esmtp_param& p)
{
    return p.value ? p.keyword + '=' + *p.value : p.keyword;
}

}  // namespace smtpspec::grammar
