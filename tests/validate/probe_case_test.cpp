// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/probe_case.hpp"

#include "spec/catalogue.hpp"
#include "validate/cases.hpp"

#include <gtest/gtest.h>

#include <fstream>
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
    ASSERT_EQ(some.size(), 5U);
    EXPECT_EQ(some[0]->id, "rfc5321/3.3/1");
    EXPECT_EQ(some[2]->id, "rfc5321/4.1.1.10/1");
    EXPECT_EQ(some[4]->id, "rfc5321/4.1.1.10/3");
    EXPECT_TRUE(select_cases(all, "rfc5321/9").empty());
}

// Every case: a unique id "<doc>/<section>/<n>" (RFC 5321 sections in the
// catalogue), a title, at least one ref, a check; at least 80 cases.
TEST(ValidateProbeCase, CatalogueIsWellFormed)
{
    const auto all = rfc5321_cases();
    EXPECT_GE(all.size(), 80U);
    std::set<std::string_view> ids;
    for (const auto& c : all) {
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
        ASSERT_TRUE(c.id.starts_with("rfc")) << c.id;
        const auto first = c.id.find('/');
        const auto last = c.id.rfind('/');
        ASSERT_NE(first, last) << c.id;
        const auto section = c.id.substr(first + 1, last - first - 1);
        if (c.id.starts_with("rfc5321/")) {
            EXPECT_NE(spec::find_section(section), nullptr) << c.id;
        } else {
            EXPECT_TRUE(c.has_tag("extension")) << c.id << " of another RFC is an extension";
        }
        EXPECT_FALSE(c.title.empty()) << c.id;
        EXPECT_FALSE(c.refs.empty()) << c.id;
        EXPECT_TRUE(static_cast<bool>(c.run)) << c.id;
    }
}

// Every row of tests/known-faults.md that concerns a server names a case.
// The rows about clients and the linter only (B09, B10, B37, B41) do not.
TEST(ValidateProbeCase, EveryServerKnownFaultHasACase)
{
    std::ifstream in{SMTPSPEC_KNOWN_FAULTS};
    ASSERT_TRUE(in) << SMTPSPEC_KNOWN_FAULTS;
    std::set<std::string> covered;
    for (const auto& c : rfc5321_cases()) {
        for (const auto f : c.faults) {
            covered.insert(std::string{f});
        }
    }
    const std::set<std::string> not_server{"B09", "B10", "B37", "B41"};
    std::size_t rows = 0;
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("| B")) {
            continue;
        }
        const std::string id = line.substr(2, line.find(' ', 2) - 2);
        ++rows;
        if (!not_server.contains(id)) {
            EXPECT_TRUE(covered.contains(id)) << id << " has no probe case";
        }
    }
    EXPECT_GE(rows, 30U);
}

// Slow cases run only when asked for by tag or by full id.
TEST(ValidateProbeCase, SlowCasesRunOnlyWhenNamed)
{
    const auto all = select_cases(rfc5321_cases(), "");
    const auto normal = filter_by_tags(all, "");
    for (const auto* c : normal) {
        EXPECT_FALSE(c->has_tag("slow")) << c->id;
    }
    EXPECT_LT(normal.size(), all.size());
    const auto slow = filter_by_tags(all, "slow");
    EXPECT_EQ(slow.size(), all.size() - normal.size());
    const auto one = select_cases(rfc5321_cases(), "rfc5321/4.5.3.2.7/1");
    EXPECT_EQ(filter_by_tags(one, "", "rfc5321/4.5.3.2.7/1").size(), 1U);
    EXPECT_TRUE(filter_by_tags(select_cases(rfc5321_cases(), "rfc5321/4.5.3.2"), "").empty());
    for (const auto* c : filter_by_tags(all, "smuggling")) {
        EXPECT_TRUE(c->has_tag("smuggling")) << c->id;
    }
}

// A case graded fail must rest on a MUST: its level is MUST only when it
// cites a MUST requirement, or checks the ABNF itself (tag "abnf"), or an
// extension RFC whose requirements the catalogue does not hold. SHOULD
// cases cite a SHOULD.
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
        if (c.checks == level::must) {
            EXPECT_TRUE(any_must || c.has_tag("abnf") || c.has_tag("extension"))
                << c.id << " is MUST but cites no MUST";
        }
    }
}

}  // namespace smtpspec::validate
