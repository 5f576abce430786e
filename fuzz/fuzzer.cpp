// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The libFuzzer entry point of every target: fuzz/CMakeLists.txt compiles this
// file once per target, with SMTPSPEC_FUZZ_TARGET naming the check of
// fuzz/checks.hpp (check_parse_command, ...). A failed check aborts, which
// libFuzzer records as a crash and saves with the input.

#include "fuzz/checks.hpp"

#include <cstddef>
#include <cstdint>

#ifndef SMTPSPEC_FUZZ_TARGET
#error "compile with -DSMTPSPEC_FUZZ_TARGET=check_<target>"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return smtpspec::fuzz::run_or_abort(&smtpspec::fuzz::SMTPSPEC_FUZZ_TARGET, data, size);
}
