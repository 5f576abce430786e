// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// libFuzzer target: grammar::parse_command. Besides crashes, checks that an
// error points inside the line and carries 500 or 501, that the lenient
// parse accepts whatever the strict one does, and that a parsed MAIL or RCPT
// prints back to a line that parses to the same command.

#include "fuzz/check.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace smtpspec;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const auto strict = grammar::parse_command(line);
    const auto lenient = grammar::parse_command(line, grammar::parse_options{true});
    if (const auto* e = std::get_if<grammar::syntax_error>(&strict)) {
        SMTPSPEC_FUZZ_CHECK(e->offset <= line.size());
        SMTPSPEC_FUZZ_CHECK(e->reply_code == 500 || e->reply_code == 501);
        SMTPSPEC_FUZZ_CHECK(!e->rule.empty());
        return 0;
    }
    const auto& cmd = std::get<grammar::command>(strict);
    SMTPSPEC_FUZZ_CHECK(std::holds_alternative<grammar::command>(lenient));
    SMTPSPEC_FUZZ_CHECK(std::get<grammar::command>(lenient) == cmd);
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
        return 0;
    }
    const auto again = grammar::parse_command(printed + "\r\n");
    SMTPSPEC_FUZZ_CHECK(std::holds_alternative<grammar::command>(again));
    SMTPSPEC_FUZZ_CHECK(std::get<grammar::command>(again) == cmd);
    return 0;
}
