// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "spec/coverage.hpp"

#include "spec/catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>

namespace
{

using namespace smtpspec;
using spec::coverage_status;

bool cites(const std::vector<const spec::citation*>& cs, std::string_view file)
{
    return std::ranges::any_of(cs, [&](const spec::citation* c) { return c->file == file; });
}

TEST(SpecCoverage, HasOneEntryPerRequirementInCatalogueOrder)
{
    const auto rows = spec::coverage();
    ASSERT_EQ(rows.size(), spec::requirements().size());
    EXPECT_EQ(rows.size(), 412U);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].requirement, &spec::requirements()[i]);
    }
}

TEST(SpecCoverage, CitationsNameKnownRequirementsAndRealLines)
{
    ASSERT_FALSE(spec::citations().empty());
    for (const auto& c : spec::citations()) {
        EXPECT_GT(c.line, 0) << c.file;
        EXPECT_FALSE(c.file.starts_with("tests/spec/")) << "tests of the catalogue are not counted";
        EXPECT_FALSE(c.file.starts_with("tools/")) << "the CLI explains, it does not implement";
        if (!c.requirement.empty()) {
            EXPECT_NE(spec::find_requirement(c.requirement), nullptr) << c.file << ':' << c.line;
        }
    }
}

TEST(SpecCoverage, FindsTheRefAndTheSpecCommentOfTheDataEndRule)
{
    // The reference server cites R-4.1.1.4-5 in a spec::ref, and the data
    // reader's test in a spec comment.
    const auto cov = spec::coverage_of(*spec::find_requirement("R-4.1.1.4-5"));
    EXPECT_EQ(cov.status, coverage_status::implemented_tested);
    EXPECT_TRUE(cites(cov.implementations, "reference/server_session.cpp"));
    EXPECT_TRUE(cites(cov.tests, "tests/reference/data_reader_test.cpp"));
}

TEST(SpecCoverage, NotApplicableOnlyWithAReasonAndNoCitation)
{
    for (const auto& row : spec::coverage()) {
        if (row.status == coverage_status::not_applicable) {
            EXPECT_FALSE(row.requirement->na.empty()) << row.requirement->id;
            EXPECT_TRUE(row.implementations.empty() && row.tests.empty()) << row.requirement->id;
        }
    }
    // The IANA registry's rule binds registrations, not SMTP software.
    EXPECT_EQ(spec::coverage_of(*spec::find_requirement("R-2.2.2-1")).status,
              coverage_status::not_applicable);
}

TEST(SpecCoverage, StatusFollowsTheCitations)
{
    for (const auto& row : spec::coverage()) {
        const bool impl = !row.implementations.empty();
        const bool test = !row.tests.empty();
        const auto want = impl && test ? coverage_status::implemented_tested
                          : impl       ? coverage_status::implemented
                          : test       ? coverage_status::tested
                          : row.requirement->na.empty() ? coverage_status::missing
                                                        : coverage_status::not_applicable;
        EXPECT_EQ(row.status, want) << row.requirement->id;
    }
}

TEST(SpecCoverage, NamesStatusesAndKinds)
{
    EXPECT_EQ(spec::to_string(coverage_status::implemented_tested), "implemented+tested");
    EXPECT_EQ(spec::to_string(coverage_status::not_applicable), "not applicable");
    EXPECT_EQ(spec::to_string(coverage_status::missing), "missing");
    EXPECT_EQ(spec::to_string(spec::citation_kind::todo), "todo");
    EXPECT_EQ(spec::to_string(spec::citation_kind::implementation), "implementation");
}

}  // namespace
