// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_FUZZ_EXPECT_HPP
#define SMTPSPEC_FUZZ_EXPECT_HPP

// The assertion of the fuzz checks: it stays on in release builds and makes
// the enclosing check return a failure naming the file, line and condition.

#include <string>

/// Returns a fuzz::failure naming the condition from the enclosing check when @p cond is false.
#define SMTPSPEC_FUZZ_EXPECT(cond)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return std::string(__FILE__) + ":" + std::to_string(__LINE__) +                        \
                   ": check failed: " #cond;                                                       \
        }                                                                                          \
    } while (false)

#endif  // SMTPSPEC_FUZZ_EXPECT_HPP
