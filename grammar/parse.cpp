// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Placeholder until the PEGTL grammar lands: every line is refused with 500.

#include "grammar/parse.hpp"

namespace smtpspec::grammar
{

command_result parse_command(std::string_view line)
{
    return parse_command(line, parse_options{});
}

command_result parse_command(std::string_view, const parse_options&)
{
    return syntax_error{"command", 0, "grammar not built yet", 500};
}

std::variant<mailbox, syntax_error> parse_mailbox(std::string_view)
{
    return syntax_error{"Mailbox", 0, "grammar not built yet", 501};
}

std::variant<reply_line, syntax_error> parse_reply_line(std::string_view)
{
    return syntax_error{"Reply-line", 0, "grammar not built yet", 500};
}

}  // namespace smtpspec::grammar
