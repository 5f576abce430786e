// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_LINT_LINT_SUPPORT_HPP
#define SMTPSPEC_TESTS_LINT_LINT_SUPPORT_HPP

#include "lint/lint.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::lint::test
{

/// A greeting and an EHLO whose reply offers PIPELINING, 8BITMIME, SIZE, DSN
/// and STARTTLS: lines 1 to 7.
inline constexpr std::string_view ehlo_prefix = "S: 220 mx.example.org ESMTP\n"
                                                "C: EHLO client.example.net\n"
                                                "S: 250-mx.example.org\n"
                                                "S: 250-PIPELINING\n"
                                                "S: 250-8BITMIME\n"
                                                "S: 250-DSN\n"
                                                "S: 250 STARTTLS\n";

/// The same without PIPELINING: lines 1 to 4.
inline constexpr std::string_view plain_prefix = "S: 220 mx.example.org ESMTP\n"
                                                 "C: EHLO client.example.net\n"
                                                 "S: 250-mx.example.org\n"
                                                 "S: 250 8BITMIME\n";

/** @return the result of linting the text with the rfc5321 profile. */
inline result run(std::string_view text)
{
    return lint(text, options{});
}

/** @return each finding as "RULE-ID@LINE", or "RULE-ID@LINE/FAULT" when it names a fault. */
inline std::vector<std::string> ids(const result& r)
{
    std::vector<std::string> out;
    for (const finding& f : r.findings) {
        out.push_back(f.rule_id + "@" + std::to_string(f.line) +
                      (f.fault.empty() ? "" : "/" + f.fault));
    }
    return out;
}

}  // namespace smtpspec::lint::test

#endif  // SMTPSPEC_TESTS_LINT_LINT_SUPPORT_HPP
