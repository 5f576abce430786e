// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "spec/catalogue.hpp"

#include "spec/ref.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>

namespace
{

using namespace smtpspec;

TEST(SpecCatalogue, FindsRequirementBySectionAndKeyword)
{
    const auto* r = spec::find_requirement("R-4.1.1.4-3");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->section, "4.1.1.4");
    EXPECT_EQ(r->keyword, "MUST");
    EXPECT_EQ(spec::find_requirement("R-4.1.1.4-99"), nullptr);
}

TEST(SpecCatalogue, FindsSectionsOfRfc5321AndOtherRfcs)
{
    const auto* s = spec::find_section("4.1.1.4");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->title, "DATA (DATA)");
    EXPECT_NE(spec::find_section("rfc7504/3"), nullptr);
    EXPECT_EQ(spec::find_section("4.9.9"), nullptr);
}

TEST(SpecCatalogue, FindsWgIssue)
{
    const auto* w = spec::find_wg_issue(116);
    ASSERT_NE(w, nullptr);
    EXPECT_TRUE(w->behaviour);
    EXPECT_EQ(w->profile_switch, "helo_resets_transaction");
    EXPECT_EQ(spec::find_wg_issue(117), nullptr);
}

TEST(SpecCatalogue, FormatsRefForPeople)
{
    constexpr spec::ref r{"4.1.1.4", {"R-4.1.1.4-3"}, {114}};
    EXPECT_EQ(spec::to_string(r), "4.1.1.4 R-4.1.1.4-3 WG#114");

    constexpr spec::ref bare{"4.2.3"};
    EXPECT_EQ(spec::to_string(bare), "4.2.3");

    constexpr spec::ref two{"4.1.4", {"R-4.1.4-13", "R-4.1.4-16"}, {101, 116}};
    EXPECT_EQ(spec::to_string(two), "4.1.4 R-4.1.4-13 R-4.1.4-16 WG#101 WG#116");
}

TEST(SpecCatalogue, RefsCompareByValue)
{
    constexpr spec::ref a{"4.1.4", {"R-4.1.4-13"}, {101}};
    constexpr spec::ref b{"4.1.4", {"R-4.1.4-13"}, {101}};
    constexpr spec::ref c{"4.1.4", {"R-4.1.4-13"}};
    static_assert(a == b);
    static_assert(!(a == c));
    EXPECT_EQ(a.requirements().size(), 1U);
    EXPECT_EQ(c.issues().size(), 0U);
}

// Every keyword of RFC 5321 is catalogued with the party it binds.
// spec: 1.3 test
TEST(SpecCatalogue, EveryRequirementHasSummaryActorAndKnownReferences)
{
    const std::set<std::string_view> actors{"client", "server", "both", "relay", "operator"};
    ASSERT_EQ(spec::requirements().size(), 412U);
    for (const auto& r : spec::requirements()) {
        SCOPED_TRACE(std::string{r.id});
        EXPECT_FALSE(r.summary.empty());
        EXPECT_EQ(r.summary.find('\n'), std::string_view::npos);
        EXPECT_TRUE(actors.contains(r.actor)) << r.actor;
        EXPECT_NE(spec::find_section(r.section), nullptr);
        EXPECT_TRUE(r.id.starts_with("R-" + std::string{r.section} + "-"));
        for (const int issue : r.wg) {
            EXPECT_NE(spec::find_wg_issue(issue), nullptr) << issue;
        }
    }
}

// MAIL inside an open transaction is tagged with WG#101, and so on.
// spec: 4.1.4 R-4.1.4-13 test
TEST(SpecCatalogue, WgIssuesAreAttachedWhereTheWgDiscussesThem)
{
    const auto has = [](std::string_view id, int issue) {
        const auto* r = spec::find_requirement(id);
        return r != nullptr && std::ranges::find(r->wg, issue) != r->wg.end();
    };
    EXPECT_TRUE(has("R-4.1.4-13", 101));
    EXPECT_TRUE(has("R-4.1.1-1", 105));
    EXPECT_TRUE(has("R-4.1.1.1-2", 107));
    EXPECT_TRUE(has("R-4.1.4-4", 116));
    EXPECT_TRUE(has("R-6.1-1", 114));
    EXPECT_TRUE(has("R-F.1-1", 108));
    EXPECT_TRUE(has("R-5.1-7", 121));
}

struct expected_reply
{
    int code;
    std::string_view group;
};

// The closed set of reply codes of 4.2.3, each in its function group of 4.2.1.
// clang-format off
constexpr std::array<expected_reply, 24> rfc5321_replies{{
    {211, "information"}, {214, "information"}, {220, "connections"}, {221, "connections"},
    {250, "mail system"}, {251, "mail system"}, {252, "mail system"}, {354, "mail system"},
    {421, "connections"}, {450, "mail system"}, {451, "mail system"}, {452, "mail system"},
    {455, "mail system"}, {500, "syntax"},      {501, "syntax"},      {502, "syntax"},
    {503, "syntax"},      {504, "syntax"},      {550, "mail system"}, {551, "mail system"},
    {552, "mail system"}, {553, "mail system"}, {554, "mail system"}, {555, "mail system"},
}};
// clang-format on

// spec: 4.2.3 test
TEST(SpecReplyCodes, EveryCodeOfSection423IsPresentWithItsGroup)
{
    for (const auto& want : rfc5321_replies) {
        SCOPED_TRACE(want.code);
        const auto* c = spec::find_reply_code(want.code);
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(c->group, want.group);
        EXPECT_FALSE(c->meaning.empty());
        EXPECT_FALSE(c->commands.empty());
        EXPECT_TRUE(std::ranges::find(c->sections, "4.2.3") != c->sections.end());
    }
}

// spec: rfc7504/3 test
// spec: rfc7504/4 test
TEST(SpecReplyCodes, Rfc7504AddsCodes521And556)
{
    const auto* c521 = spec::find_reply_code(521);
    ASSERT_NE(c521, nullptr);
    EXPECT_EQ(c521->group, "connections");
    EXPECT_TRUE(std::ranges::find(c521->commands, "greeting") != c521->commands.end());

    const auto* c556 = spec::find_reply_code(556);
    ASSERT_NE(c556, nullptr);
    EXPECT_EQ(c556->group, "mail system");
    EXPECT_TRUE(std::ranges::find(c556->commands, "RCPT") != c556->commands.end());

    EXPECT_EQ(spec::reply_codes().size(), 28U);
    EXPECT_EQ(spec::find_reply_code(599), nullptr);
}

// The command-reply sequences, spot-checked.
// spec: 4.3.2 test
TEST(SpecReplyCodes, CommandsFollowSection432)
{
    const auto returns = [](int code, std::string_view command) {
        const auto* c = spec::find_reply_code(code);
        return c != nullptr && std::ranges::find(c->commands, command) != c->commands.end();
    };
    EXPECT_TRUE(returns(220, "greeting"));
    EXPECT_TRUE(returns(554, "greeting"));
    EXPECT_TRUE(returns(354, "DATA"));
    EXPECT_TRUE(returns(221, "QUIT"));
    EXPECT_TRUE(returns(503, "RCPT"));
    EXPECT_TRUE(returns(252, "VRFY"));
    EXPECT_TRUE(returns(421, "any"));
    EXPECT_FALSE(returns(354, "MAIL"));
    EXPECT_FALSE(returns(221, "RSET"));
}

// spec: 4.2.1 test
TEST(SpecReplyCodes, GroupFollowsSecondDigit)
{
    for (const auto& c : spec::reply_codes()) {
        SCOPED_TRACE(c.code);
        const int digit = c.code / 10 % 10;
        const std::string_view expected = digit == 0 ? "syntax"
                                        : digit == 1 ? "information"
                                        : digit == 2 ? "connections"
                                        : digit == 5 ? "mail system"
                                                     : "unspecified";
        EXPECT_EQ(c.group, expected);
    }
}

// The leniencies of the reference server, each off unless switched on.
TEST(SpecDeviations, EveryLeniencyIsCataloguedOffByDefault)
{
    constexpr std::array<std::string_view, 9> ids{
        "space-after-colon",    "path-without-brackets", "long-local-part",
        "bare-lf-in-data",      "trailing-white-space",  "long-command-line",
        "long-text-line",       "bare-lf-command",       "ehlo-literal-trailing-text"};
    EXPECT_EQ(spec::deviations().size(), ids.size());
    for (const auto id : ids) {
        SCOPED_TRACE(std::string{id});
        const auto* d = spec::find_deviation(id);
        ASSERT_NE(d, nullptr);
        EXPECT_FALSE(d->default_on);
        EXPECT_NE(spec::find_section(d->section), nullptr);
        EXPECT_FALSE(d->accepts.empty());
        EXPECT_FALSE(d->why.empty());
        EXPECT_FALSE(d->postfix.empty());
        EXPECT_FALSE(d->exim.empty());
        EXPECT_FALSE(d->opensmtpd.empty());
        for (const auto rid : d->requirements) {
            EXPECT_NE(spec::find_requirement(rid), nullptr) << rid;
        }
    }
    EXPECT_EQ(spec::find_deviation("anything-goes"), nullptr);
}

// Trailing white space is the leniency WG#105 discusses (4.1.1).
// spec: 4.1.1 R-4.1.1-1 test
TEST(SpecDeviations, TrailingWhiteSpaceCitesIssue105)
{
    const auto* d = spec::find_deviation("trailing-white-space");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->section, "4.1.1");
    EXPECT_TRUE(std::ranges::find(d->wg, 105) != d->wg.end());
    EXPECT_TRUE(std::ranges::find(d->requirements, "R-4.1.1-1") != d->requirements.end());
}

TEST(SpecDeviations, DeviationIdIsCheckedAtCompileTime)
{
    constexpr spec::deviation_id id{"bare-lf-in-data"};
    static_assert(id.str() == "bare-lf-in-data");
    EXPECT_NE(spec::find_deviation(id.str()), nullptr);
}

// spec: rfc7504/3 test
TEST(SpecCatalogue, RecordsWhat5321bisChanges)
{
    const auto* greeting = spec::find_bis_change("R-3.1-3");
    ASSERT_NE(greeting, nullptr);
    EXPECT_EQ(greeting->state, "draft");
    EXPECT_TRUE(std::ranges::find(greeting->rfcs, 7505) == greeting->rfcs.end());
    EXPECT_TRUE(std::ranges::find(greeting->rfcs, 7504) != greeting->rfcs.end());
    const auto* null_mx = spec::find_bis_change("R-5.1-6");
    ASSERT_NE(null_mx, nullptr);
    EXPECT_TRUE(std::ranges::find(null_mx->rfcs, 7505) != null_mx->rfcs.end());
    const auto* helo = spec::find_bis_change("R-4.1.4-4");
    ASSERT_NE(helo, nullptr);
    EXPECT_TRUE(std::ranges::find(helo->wg, 116) != helo->wg.end());
    EXPECT_EQ(spec::find_bis_change("R-2.1-1"), nullptr);
    for (const auto& b : spec::bis_changes()) {
        EXPECT_NE(spec::find_requirement(b.requirement), nullptr) << b.requirement;
        EXPECT_TRUE(b.state == "draft" || b.state == "open") << b.requirement;
        EXPECT_FALSE(b.wg.empty() && b.rfcs.empty()) << b.requirement;
    }
}

TEST(SpecCatalogue, ExtensionMatrixMatchesTheReferenceCode)
{
    ASSERT_EQ(spec::extensions().size(), 10U);
    const auto* size = spec::find_extension("SIZE");
    ASSERT_NE(size, nullptr);
    EXPECT_EQ(size->rfc, 1870);
    EXPECT_EQ(size->server, "default");
    EXPECT_EQ(size->client, "yes");
    EXPECT_EQ(spec::find_extension("8BITMIME")->client, "yes");
    EXPECT_EQ(spec::find_extension("ENHANCEDSTATUSCODES")->server, "default");
    EXPECT_EQ(spec::find_extension("PIPELINING")->server, "optional");
    EXPECT_EQ(spec::find_extension("STARTTLS")->server, "none");
    EXPECT_EQ(spec::find_extension("CHUNKING")->grammar, "specific");
    EXPECT_EQ(spec::find_extension("PIPELINING")->grammar, "none");
    EXPECT_EQ(spec::find_extension("size"), nullptr);
}

TEST(SpecCatalogue, NotApplicableRequirementsGiveAReason)
{
    const auto* relay = spec::find_requirement("R-5.1-18");
    ASSERT_NE(relay, nullptr);
    EXPECT_TRUE(relay->na.starts_with("Binds a relay"));
    EXPECT_TRUE(spec::find_requirement("R-4.1.1.4-5")->na.empty());
    const auto na = std::ranges::count_if(spec::requirements(),
                                          [](const auto& r) { return !r.na.empty(); });
    EXPECT_EQ(na, 57);
}

}  // namespace
