// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "fuzz/checks.hpp"

#include "fuzz/expect.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "grammar/reply.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace smtpspec::fuzz
{

namespace
{
/// @return how a MAIL or RCPT command prints, or nothing for other commands.
std::optional<std::string> print_path_command(const grammar::command& cmd)
{
    std::string printed;
    if (const auto* mail = std::get_if<grammar::mail_command>(&cmd)) {
        printed = "MAIL FROM:" + grammar::to_string(mail->from);
        for (const auto& p : mail->params) {
            printed += " " + grammar::to_string(p);
        }
    } else if (const auto* rcpt = std::get_if<grammar::rcpt_command>(&cmd)) {
        printed = "RCPT TO:" + grammar::to_string(rcpt->to);
        for (const auto& p : rcpt->params) {
            printed += " " + grammar::to_string(p);
        }
    } else {
        return std::nullopt;
    }
    return printed + "\r\n";
}
}  // namespace

failure check_parse_command(std::string_view line)
{
    const auto strict = grammar::parse_command(line);
    const auto lenient = grammar::parse_command(line, grammar::parse_options{true});
    if (const auto* e = std::get_if<grammar::syntax_error>(&strict)) {
        SMTPSPEC_FUZZ_EXPECT(e->offset <= line.size());
        SMTPSPEC_FUZZ_EXPECT(e->reply_code == 500 || e->reply_code == 501);
        SMTPSPEC_FUZZ_EXPECT(!e->rule.empty());
        return std::nullopt;
    }
    const auto& cmd = std::get<grammar::command>(strict);
    SMTPSPEC_FUZZ_EXPECT(std::holds_alternative<grammar::command>(lenient));
    SMTPSPEC_FUZZ_EXPECT(std::get<grammar::command>(lenient) == cmd);
    const std::optional<std::string> printed = print_path_command(cmd);
    if (!printed) {
        return std::nullopt;
    }
    const auto again = grammar::parse_command(*printed);
    SMTPSPEC_FUZZ_EXPECT(std::holds_alternative<grammar::command>(again));
    SMTPSPEC_FUZZ_EXPECT(std::get<grammar::command>(again) == cmd);
    return std::nullopt;
}

failure check_parse_mailbox(std::string_view text)
{
    const auto parsed = grammar::parse_mailbox(text);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        SMTPSPEC_FUZZ_EXPECT(e->offset <= text.size());
        return std::nullopt;
    }
    const auto& m = std::get<grammar::mailbox>(parsed);
    SMTPSPEC_FUZZ_EXPECT(m.local_part.size() <= grammar::limits::local_part_octets);
    SMTPSPEC_FUZZ_EXPECT(m.domain.size() <= grammar::limits::domain_octets);
    SMTPSPEC_FUZZ_EXPECT(grammar::to_string(m) == text);
    return std::nullopt;
}

failure check_parse_reply_line(std::string_view line)
{
    const auto parsed = grammar::parse_reply_line(line);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        SMTPSPEC_FUZZ_EXPECT(e->offset <= line.size());
        return std::nullopt;
    }
    const auto& r = std::get<grammar::reply_line>(parsed);
    SMTPSPEC_FUZZ_EXPECT(r.code >= 200 && r.code <= 559);
    if (r.space_without_text) {
        // The one form accepted beyond the ABNF (4.2.1 R-4.2.1-3): code, SP, CRLF.
        SMTPSPEC_FUZZ_EXPECT(r.last && r.text.empty());
        SMTPSPEC_FUZZ_EXPECT(line == std::to_string(r.code) + " \r\n");
    } else if (r.last) {
        // format_reply writes an empty text as the bare code.
        const std::string wire = grammar::format_reply(grammar::reply{r.code, {r.text}});
        SMTPSPEC_FUZZ_EXPECT(wire == line);
    }
    return std::nullopt;
}

std::span<const target> targets()
{
    static constexpr std::array<target, 6> all{{
        {"parse_command", &check_parse_command},
        {"parse_mailbox", &check_parse_mailbox},
        {"parse_reply_line", &check_parse_reply_line},
        {"server_session", &check_server_session},
        {"client_session", &check_client_session},
        {"lint", &check_lint},
    }};
    return all;
}

int run_or_abort(failure (*check)(std::string_view), const unsigned char* data, std::size_t size)
{
    const failure f = check(std::string_view(reinterpret_cast<const char*>(data), size));
    if (f) {
        std::fprintf(stderr, "%s\n", f->c_str());
        std::abort();
    }
    return 0;
}

}  // namespace smtpspec::fuzz
