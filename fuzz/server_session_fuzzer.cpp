// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// libFuzzer target: the reference server session, with the model as oracle
// (corpus::check_server_session): every reply must be one model::step permits
// in the state the model tracks alongside, every reply line must parse, and
// the same octets fed in one piece must get the same replies. The input is
// what the client sends after the greeting; it is run under both profiles.

#include "corpus/oracle.hpp"
#include "fuzz/check.hpp"
#include "model/profile.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace smtpspec;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (const model::profile* p : {&model::rfc5321(), &model::rfc5321bis()}) {
        const corpus::oracle_report r = corpus::check_server_session(bytes, *p);
        if (r.failure) {
            std::fprintf(stderr, "oracle (%.*s): %s\n", static_cast<int>(p->name.size()),
                         p->name.data(), r.failure->c_str());
        }
        SMTPSPEC_FUZZ_CHECK(!r.failure.has_value());
    }
    return 0;
}
