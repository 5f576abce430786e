// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_REFERENCE_HOLDS_HPP
#define SMTPSPEC_TESTS_REFERENCE_HOLDS_HPP

#include <gtest/gtest.h>

#include <string>

namespace smtpspec::reference
{

/**
 * For EXPECT_TRUE: whether a text (a notice, a trace) holds a part.
 * @param text the whole text.
 * @param part the octets it must hold.
 * @return success, or a failure that shows the part and the whole text.
 */
inline testing::AssertionResult holds(const std::string& text, const std::string& part)
{
    if (text.find(part) != std::string::npos) {
        return testing::AssertionSuccess();
    }
    return testing::AssertionFailure() << "lacks\n" << part << "\nin\n" << text;
}

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_TESTS_REFERENCE_HOLDS_HPP
