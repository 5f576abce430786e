// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_FUZZ_CHECK_HPP
#define SMTPSPEC_FUZZ_CHECK_HPP

// An assertion for fuzz targets that stays on in release builds and reports
// through abort(), which libFuzzer records as a crash with the input.

#include <cstdio>
#include <cstdlib>

/// Aborts with the condition's text when @p cond is false.
#define SMTPSPEC_FUZZ_CHECK(cond)                                                              \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            std::abort();                                                                     \
        }                                                                                     \
    } while (false)

#endif  // SMTPSPEC_FUZZ_CHECK_HPP
