// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// libFuzzer target: grammar::parse_reply_line. A parsed line must have a code
// of 200..599 and give back its own octets when formatted again.

#include "fuzz/check.hpp"
#include "grammar/parse.hpp"
#include "grammar/reply.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace smtpspec;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const auto parsed = grammar::parse_reply_line(line);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        SMTPSPEC_FUZZ_CHECK(e->offset <= line.size());
        return 0;
    }
    const auto& r = std::get<grammar::reply_line>(parsed);
    SMTPSPEC_FUZZ_CHECK(r.code >= 200 && r.code <= 559);
    if (r.last) {
        // format_reply writes an empty text as the bare code; "250 \r\n" is not a Reply-line.
        const std::string wire = grammar::format_reply(grammar::reply{r.code, {r.text}});
        SMTPSPEC_FUZZ_CHECK(wire == line);
    }
    return 0;
}
