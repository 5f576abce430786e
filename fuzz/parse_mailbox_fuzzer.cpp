// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// libFuzzer target: grammar::parse_mailbox. A parsed mailbox is within the
// limits of 4.5.3.1.1 and 4.5.3.1.2 and prints back to its own octets.

#include "fuzz/check.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "grammar/print.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace smtpspec;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = grammar::parse_mailbox(text);
    if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
        SMTPSPEC_FUZZ_CHECK(e->offset <= text.size());
        return 0;
    }
    const auto& m = std::get<grammar::mailbox>(parsed);
    SMTPSPEC_FUZZ_CHECK(m.local_part.size() <= grammar::limits::local_part_octets);
    SMTPSPEC_FUZZ_CHECK(m.domain.size() <= grammar::limits::domain_octets);
    SMTPSPEC_FUZZ_CHECK(grammar::to_string(m) == text);
    return 0;
}
