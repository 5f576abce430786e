// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/switches.hpp"

#include "spec/catalogue.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace smtpspec::model
{

namespace
{
// clang-format off
// One row per member of model::profile (except its name). Add a row here when
// a member is added there; tests/model/switches_test.cpp checks that every
// switch the WG-issue catalogue names has a row.
const std::array switch_table{
    profile_switch{"mail_in_transaction_is_503",
                   "MAIL inside an open transaction gets 503 (4.1.4)",
                   &profile::mail_in_transaction_is_503},
    profile_switch{"tolerate_trailing_space",
                   "white space before the CRLF of a command is accepted (4.1.1)",
                   &profile::tolerate_trailing_space},
    profile_switch{"reject_null_forward_path",
                   "RCPT TO:<> is a syntax error (4.1.1.3)",
                   &profile::reject_null_forward_path},
    profile_switch{"ehlo_literal_trailing_text_must_not",
                   "text after the EHLO address literal is a MUST NOT (4.1.1.1)",
                   &profile::ehlo_literal_trailing_text_must_not},
    profile_switch{"turn_must_not",
                   "TURN without authentication is a MUST NOT (appendix)",
                   &profile::turn_must_not},
    profile_switch{"durable_before_reply",
                   "accepted mail is on stable storage before the final 250 (6.1)",
                   &profile::durable_before_reply},
    profile_switch{"helo_resets_transaction",
                   "HELO, like EHLO, resets an open transaction (4.1.4)",
                   &profile::helo_resets_transaction},
    profile_switch{"follow_cname_mx_targets",
                   "the client follows MX targets that are CNAMEs (5.1)",
                   &profile::follow_cname_mx_targets},
    profile_switch{"greeting_554",
                   "greet with 554 and refuse every transaction (3.1)",
                   &profile::greeting_554},
    profile_switch{"max_recipients",
                   "recipients buffered per transaction, at least 100 (4.5.3.1.8)",
                   &profile::max_recipients},
    profile_switch{"max_message_size",
                   "largest message accepted in octets, 0 for none (RFC 1870)",
                   &profile::max_message_size},
    profile_switch{"pipelining", "offer PIPELINING (RFC 2920)", &profile::pipelining},
    profile_switch{"eightbitmime", "offer 8BITMIME (RFC 6152)", &profile::eightbitmime},
    profile_switch{"size", "offer SIZE (RFC 1870)", &profile::size},
    profile_switch{"enhanced_status_codes", "offer ENHANCEDSTATUSCODES (RFC 2034)",
                   &profile::enhanced_status_codes},
    profile_switch{"starttls", "offer STARTTLS when a certificate is at hand (RFC 3207)",
                   &profile::starttls},
    profile_switch{"chunking", "offer CHUNKING and accept BDAT (RFC 3030)", &profile::chunking},
    profile_switch{"dsn", "offer DSN and accept its MAIL and RCPT parameters (RFC 3461)",
                   &profile::dsn},
};
// clang-format on

bool parse_bool(std::string_view text, bool& out)
{
    if (text == "true" || text == "1" || text == "on" || text == "yes") {
        out = true;
        return true;
    }
    if (text == "false" || text == "0" || text == "off" || text == "no") {
        out = false;
        return true;
    }
    return false;
}

bool parse_size(std::string_view text, std::size_t& out)
{
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc{} && ptr == end;
}
}  // namespace

std::string profile_switch::get(const profile& p) const
{
    if (const auto* b = std::get_if<bool profile::*>(&member)) {
        return p.**b ? "true" : "false";
    }
    return std::to_string(p.*std::get<std::size_t profile::*>(member));
}

bool profile_switch::set(profile& p, std::string_view value) const
{
    if (const auto* b = std::get_if<bool profile::*>(&member)) {
        bool v = false;
        if (!parse_bool(value, v)) {
            return false;
        }
        p.**b = v;
        return true;
    }
    std::size_t v = 0;
    if (!parse_size(value, v)) {
        return false;
    }
    p.*std::get<std::size_t profile::*>(member) = v;
    return true;
}

int profile_switch::wg_issue() const noexcept
{
    const auto issues = spec::wg_issues();
    const auto it = std::ranges::find(issues, name, &spec::wg_issue_entry::profile_switch);
    return it == issues.end() ? 0 : it->number;
}

std::span<const profile_switch> profile_switches() noexcept { return switch_table; }

const profile_switch* find_profile_switch(std::string_view name) noexcept
{
    const auto it = std::ranges::find(switch_table, name, &profile_switch::name);
    return it == switch_table.end() ? nullptr : &*it;
}

}  // namespace smtpspec::model
