// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/switches.hpp"

#include "spec/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace smtpspec::model
{
namespace
{

TEST(model_switches, every_switch_of_the_wg_catalogue_is_settable)
{
    for (const auto& issue : spec::wg_issues()) {
        if (!issue.profile_switch.empty()) {
            const auto* sw = find_profile_switch(issue.profile_switch);
            ASSERT_NE(sw, nullptr) << "WG #" << issue.number << " names "
                                   << issue.profile_switch;
            EXPECT_EQ(sw->wg_issue(), issue.number);
        }
    }
}

TEST(model_switches, set_and_get_round_trip)
{
    profile p = rfc5321();
    const auto* helo = find_profile_switch("helo_resets_transaction");
    ASSERT_NE(helo, nullptr);
    EXPECT_EQ(helo->get(p), "false");
    EXPECT_TRUE(helo->set(p, "true"));
    EXPECT_TRUE(p.helo_resets_transaction);
    EXPECT_FALSE(helo->set(p, "maybe"));
    EXPECT_TRUE(p.helo_resets_transaction);
    const auto* limit = find_profile_switch("max_recipients");
    ASSERT_NE(limit, nullptr);
    EXPECT_TRUE(limit->set(p, "250"));
    EXPECT_EQ(p.max_recipients, 250U);
    EXPECT_FALSE(limit->set(p, "12x"));
    EXPECT_FALSE(limit->set(p, ""));
    EXPECT_EQ(limit->get(p), "250");
    EXPECT_EQ(limit->wg_issue(), 0);
    EXPECT_EQ(find_profile_switch("no_such_switch"), nullptr);
}

// The two profiles differ exactly in the WG #116 and #121 readings.
TEST(model_switches, rfc5321bis_differs_by_116_and_121)
{
    std::vector<int> issues;
    for (const auto& sw : profile_switches()) {
        if (sw.get(rfc5321()) != sw.get(rfc5321bis())) {
            issues.push_back(sw.wg_issue());
        }
    }
    EXPECT_EQ(issues, (std::vector<int>{116, 121}));
}

// Each row reaches its own member: changing one switch changes the profile,
// and the extension rows of RFC 3207, 3030 and 3461 are there.
TEST(model_switches, every_row_sets_a_distinct_member)
{
    std::vector<std::string> names;
    for (const auto& sw : profile_switches()) {
        profile p = rfc5321();
        const std::string before = sw.get(p);
        ASSERT_TRUE(sw.set(p, before == "true" ? "false" : before == "false" ? "true" : "7"))
            << sw.name;
        EXPECT_NE(p, rfc5321()) << sw.name;
        names.emplace_back(sw.name);
    }
    EXPECT_EQ(names.size(), 18U);
    for (const char* extension : {"starttls", "chunking", "dsn"}) {
        EXPECT_NE(std::ranges::find(names, extension), names.end()) << extension;
    }
}

}  // namespace
}  // namespace smtpspec::model
