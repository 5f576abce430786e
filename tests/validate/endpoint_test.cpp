// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/endpoint.hpp"

#include <gtest/gtest.h>

namespace smtpspec::validate
{

TEST(ValidateEndpoint, ParsesNumericIpv4AndBracketedIpv6)
{
    EXPECT_EQ(parse_endpoint("127.0.0.1:2525")->host, "127.0.0.1");
    EXPECT_EQ(parse_endpoint("127.0.0.1:2525")->port, 2525);
    EXPECT_EQ(parse_endpoint("[::1]:25")->host, "::1");
    EXPECT_EQ(parse_endpoint("[0:0::1]:25")->host, "::1");
    EXPECT_EQ(parse_endpoint("[::1]:25")->str(), "[::1]:25");
    EXPECT_EQ(parse_endpoint("127.0.0.1:1")->str(), "127.0.0.1:1");
}

TEST(ValidateEndpoint, RefusesNamesMissingPortsAndBadForms)
{
    for (const char* bad : {"localhost:25", "mx.example.org:25", "127.0.0.1", "127.0.0.1:",
                            "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:25x", "::1:25",
                            "[127.0.0.1]:25", "[::1]", ""}) {
        EXPECT_FALSE(parse_endpoint(bad).has_value()) << bad;
    }
}

}  // namespace smtpspec::validate
