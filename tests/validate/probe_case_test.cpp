// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_case.hpp"

#include "spec/catalogue.hpp"
#include "validate/cases.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace smtpspec::validate
{

TEST(ValidateProbeCase, PrefixStopsAtABoundaryOfTheId)
{
    EXPECT_TRUE(id_matches("rfc5321/4.1.1.1/1", ""));
    EXPECT_TRUE(id_matches("rfc5321/4.1.1.1/1", "rfc5321"));
    EXPECT_TRUE(id_matches("rfc5321/4.1.1.1/1", "rfc5321/"));
    EXPECT_TRUE(id_matches("rfc5321/4.1.1.1/1", "rfc5321/4.1.1"));
    EXPECT_TRUE(id_matches("rfc5321/4.1.1.1/1", "rfc5321/4.1.1.1/1"));
    EXPECT_FALSE(id_matches("rfc5321/4.1.1.10/1", "rfc5321/4.1.1.1"));
    EXPECT_FALSE(id_matches("rfc5321/4.1.1.1/1", "rfc5321/4.1.1.1/1x"));
    EXPECT_FALSE(id_matches("rfc5321/3.3/1", "rfc5321/4"));
}

TEST(ValidateProbeCase, SelectsByCommaSeparatedPrefixes)
{
    const auto all = rfc5321_cases();
    EXPECT_EQ(select_cases(all, "").size(), all.size());
    const auto some = select_cases(all, "rfc5321/3.3,rfc5321/4.1.1.10");
    ASSERT_EQ(some.size(), 3U);
    EXPECT_EQ(some[0]->id, "rfc5321/3.3/1");
    EXPECT_EQ(some[2]->id, "rfc5321/4.1.1.10/1");
    EXPECT_TRUE(select_cases(all, "rfc5321/9").empty());
}

// Every case: a unique id "rfc5321/<section>/<n>" naming a catalogued
// section, a title, at least one ref, and a check.
TEST(ValidateProbeCase, CatalogueIsWellFormed)
{
    const auto all = rfc5321_cases();
    EXPECT_GE(all.size(), 12U);
    std::set<std::string_view> ids;
    for (const auto& c : all) {
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
        ASSERT_TRUE(c.id.starts_with("rfc5321/")) << c.id;
        const auto rest = c.id.substr(8);
        const auto slash = rest.find('/');
        ASSERT_NE(slash, std::string_view::npos) << c.id;
        EXPECT_NE(spec::find_section(rest.substr(0, slash)), nullptr) << c.id;
        EXPECT_FALSE(c.title.empty()) << c.id;
        EXPECT_FALSE(c.refs.empty()) << c.id;
        EXPECT_NE(c.run, nullptr) << c.id;
    }
}

// The level of a case matches the strongest keyword among the requirement
// ids it cites, unless it cites none.
TEST(ValidateProbeCase, LevelAgreesWithTheCitedRequirements)
{
    for (const auto& c : rfc5321_cases()) {
        bool any_must = false;
        bool any_should = false;
        for (const auto& r : c.refs) {
            for (const auto& id : r.requirements()) {
                const auto* req = spec::find_requirement(id.str());
                ASSERT_NE(req, nullptr) << id.str();
                any_must = any_must || req->keyword.starts_with("MUST");
                any_should = any_should || req->keyword.starts_with("SHOULD");
            }
        }
        if (c.checks == level::should) {
            EXPECT_TRUE(any_should) << c.id << " is SHOULD but cites no SHOULD";
        }
        if (c.checks == level::must && (any_must || any_should)) {
            EXPECT_TRUE(any_must) << c.id << " is MUST but cites no MUST";
        }
    }
}

}  // namespace smtpspec::validate
