// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/command.hpp"

namespace smtpspec::grammar
{

namespace
{
struct verb_of
{
    const char* operator()(const ehlo_command&) const noexcept { return "EHLO"; }
    const char* operator()(const helo_command&) const noexcept { return "HELO"; }
    const char* operator()(const mail_command&) const noexcept { return "MAIL"; }
    const char* operator()(const rcpt_command&) const noexcept { return "RCPT"; }
    const char* operator()(const data_command&) const noexcept { return "DATA"; }
    const char* operator()(const rset_command&) const noexcept { return "RSET"; }
    const char* operator()(const vrfy_command&) const noexcept { return "VRFY"; }
    const char* operator()(const expn_command&) const noexcept { return "EXPN"; }
    const char* operator()(const help_command&) const noexcept { return "HELP"; }
    const char* operator()(const noop_command&) const noexcept { return "NOOP"; }
    const char* operator()(const quit_command&) const noexcept { return "QUIT"; }
};
}  // namespace

const char* verb(const command& c) noexcept { return std::visit(verb_of{}, c); }

}  // namespace smtpspec::grammar
