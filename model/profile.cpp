// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/profile.hpp"

namespace smtpspec::model
{

namespace
{
profile make_rfc5321()
{
    profile p;
    p.name = "rfc5321";
    // RFC 5321 names only EHLO as resetting the transaction (4.1.4); HELO's
    // effect is left open, and this profile keeps the transaction.
    p.helo_resets_transaction = false;
    // 5.1 as published calls CNAME MX targets outside its scope.
    p.follow_cname_mx_targets = false;
    return p;
}

profile make_rfc5321bis()
{
    profile p = make_rfc5321();
    p.name = "rfc5321bis";
    p.helo_resets_transaction = true;   // WG #116: "EHLO (or HELO)".
    p.follow_cname_mx_targets = true;   // WG #121: new text of 5.1.
    return p;
}
}  // namespace

const profile& rfc5321() noexcept
{
    static const profile p = make_rfc5321();
    return p;
}

const profile& rfc5321bis() noexcept
{
    static const profile p = make_rfc5321bis();
    return p;
}

std::optional<profile> find_profile(std::string_view name) noexcept
{
    if (name == rfc5321().name) {
        return rfc5321();
    }
    if (name == rfc5321bis().name) {
        return rfc5321bis();
    }
    return std::nullopt;
}

}  // namespace smtpspec::model
