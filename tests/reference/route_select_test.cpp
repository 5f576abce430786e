// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/route/select.hpp"

#include "reference/dns/table_resolver.hpp"
#include "reference/route/resolve.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace smtpspec::reference::route
{
namespace
{

using dns::status;

/// One zone for every case: each domain is one situation of 5.1.
dns::table_resolver zone()
{
    dns::table_resolver z;
    z.mx("two.test", 20, "mx2.two.test").mx("two.test", 10, "mx1.two.test");
    z.a("mx1.two.test", "192.0.2.1").a("mx2.two.test", "192.0.2.2");
    z.a("implicit.test", "192.0.2.10");
    z.mx("nullmx.test", 0, ".");
    z.mx("mixednull.test", 0, ".").mx("mixednull.test", 10, "mx1.two.test");
    z.mx("cname-mx.test", 10, "alias.cname-mx.test");
    z.cname("alias.cname-mx.test", "real.cname-mx.test").a("real.cname-mx.test", "192.0.2.20");
    z.mx("cname-and-plain.test", 10, "alias.cname-mx.test").mx("cname-and-plain.test", 20,
                                                               "mx2.two.test");
    z.fail("servfail.test", status::servfail);
    z.fail("timeout.test", status::timeout);
    z.mx("mx-literal.test", 10, "192.0.2.5").mx("mx-literal.test", 10, "[192.0.2.6]");
    z.mx("mx-literal-mixed.test", 5, "192.0.2.5").mx("mx-literal-mixed.test", 10, "mx1.two.test");
    z.mx("loop-first.test", 10, "me.test").mx("loop-first.test", 20, "mx2.two.test");
    z.mx("loop-second.test", 10, "mx1.two.test").mx("loop-second.test", 20, "ME.test.");
    z.mx("loop-second.test", 30, "mx2.two.test");
    z.a("me.test", "192.0.2.99");
    z.mx("noaddr.test", 10, "ghost.noaddr.test");
    z.mx("tempaddr.test", 10, "flaky.tempaddr.test").fail("flaky.tempaddr.test", status::servfail);
    z.mx("dual.test", 10, "mx.dual.test");
    z.a("mx.dual.test", "192.0.2.30").a("mx.dual.test", "192.0.2.31");
    z.aaaa("mx.dual.test", "2001:db8::30");
    z.cname("aliasdom.test", "two.test");
    z.cname("alias-implicit.test", "implicit.test");
    return z;
}

plan route(std::string_view domain, options opts = {}, std::uint64_t seed = 1)
{
    auto z = zone();
    std::mt19937_64 rng{seed};
    if (opts.own_names.empty()) {
        opts.own_names = {"me.test"};
    }
    return resolve(domain, z, opts, rng);
}

std::vector<std::string> addresses(const plan& p)
{
    std::vector<std::string> out;
    for (const auto& t : p.targets) {
        out.push_back(t.address);
    }
    return out;
}

bool cites(const plan& p, std::string_view requirement)
{
    return std::ranges::any_of(p.notes, [&](const note& n) {
        return std::ranges::any_of(n.why.requirements(),
                                   [&](const auto& r) { return r.str() == requirement; });
    });
}

bool cites_issue(const plan& p, int issue)
{
    return std::ranges::any_of(p.notes, [&](const note& n) {
        return std::ranges::any_of(n.why.issues(),
                                   [&](const auto& i) { return i.number() == issue; });
    });
}

struct route_case
{
    const char* domain;
    bool follow_cname;
    outcome expected;
    std::vector<std::string> targets;  ///< Addresses in order.
    int code;                          ///< Reply code for failures, 0 otherwise.
    const char* requirement;           ///< A requirement the notes must cite.
};

// The ctest name of a case: the domain, and the reading when a domain is
// routed under both (two cases of one name would be one ctest test).
void PrintTo(const route_case& c, std::ostream* os)
{
    *os << c.domain << (c.follow_cname ? "+follow-cname" : "");
}

class route_table : public ::testing::TestWithParam<route_case>
{
};

// spec: 5.1 R-5.1-1 R-5.1-4 R-5.1-5 R-5.1-6 R-5.1-7 R-5.1-8 R-5.1-9 test
// spec: 5.1 R-5.1-10 R-5.1-14 R-5.1-16 R-5.1-19 R-5.1-20 R-5.1-21 test
TEST_P(route_table, selects_targets_per_section_5_1)
{
    const route_case& c = GetParam();
    options opts;
    opts.follow_cname_mx_targets = c.follow_cname;
    const plan p = route(c.domain, opts);
    std::string notes;
    for (const auto& n : p.notes) {
        notes += n.text + "\n";
    }
    EXPECT_EQ(p.outcome, c.expected) << notes;
    EXPECT_EQ(addresses(p), c.targets) << notes;
    EXPECT_EQ(p.reply_code, c.code) << notes;
    EXPECT_TRUE(cites(p, c.requirement)) << c.requirement << "\n" << notes;
    EXPECT_EQ(p.error.empty(), c.expected == outcome::targets) << notes;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(section_5_1, route_table, ::testing::Values(
    route_case{"two.test", false, outcome::targets, {"192.0.2.1", "192.0.2.2"}, 0, "R-5.1-14"},
    route_case{"TWO.test.", false, outcome::targets, {"192.0.2.1", "192.0.2.2"}, 0, "R-5.1-14"},
    route_case{"implicit.test", false, outcome::targets, {"192.0.2.10"}, 0, "R-5.1-7"},
    route_case{"nullmx.test", false, outcome::permanent, {}, 556, "R-5.1-8"},
    route_case{"mixednull.test", false, outcome::targets, {"192.0.2.1"}, 0, "R-5.1-9"},
    route_case{"cname-mx.test", false, outcome::permanent, {}, 550, "R-5.1-10"},
    route_case{"cname-mx.test", true, outcome::targets, {"192.0.2.20"}, 0, "R-5.1-10"},
    route_case{"cname-and-plain.test", false, outcome::targets, {"192.0.2.2"}, 0, "R-5.1-10"},
    route_case{"cname-and-plain.test", true, outcome::targets, {"192.0.2.20", "192.0.2.2"}, 0,
               "R-5.1-10"},
    route_case{"nxdomain.test", false, outcome::permanent, {}, 550, "R-5.1-4"},
    route_case{"servfail.test", false, outcome::temporary, {}, 451, "R-5.1-5"},
    route_case{"timeout.test", false, outcome::temporary, {}, 451, "R-5.1-5"},
    route_case{"mx-literal.test", false, outcome::permanent, {}, 550, "R-5.1-8"},
    route_case{"mx-literal-mixed.test", false, outcome::targets, {"192.0.2.1"}, 0, "R-5.1-9"},
    route_case{"loop-first.test", false, outcome::permanent, {}, 550, "R-5.1-21"},
    route_case{"loop-second.test", false, outcome::targets, {"192.0.2.1"}, 0, "R-5.1-20"},
    route_case{"me.test", false, outcome::permanent, {}, 550, "R-5.1-19"},
    route_case{"noaddr.test", false, outcome::permanent, {}, 550, "R-5.1-8"},
    route_case{"tempaddr.test", false, outcome::temporary, {}, 451, "R-5.1-5"},
    route_case{"dual.test", false, outcome::targets,
               {"192.0.2.30", "192.0.2.31", "2001:db8::30"}, 0, "R-5.1-16"},
    route_case{"aliasdom.test", false, outcome::targets, {"192.0.2.1", "192.0.2.2"}, 0,
               "R-5.1-1"},
    route_case{"alias-implicit.test", false, outcome::targets, {"192.0.2.10"}, 0, "R-5.1-7"}
));
// clang-format on

// RFC 7505 3 and RFC 7504 4: a lone MX "." means no mail; 556 5.1.10.
// spec: rfc7504/4 R-5.1-8 test
TEST(route_select, null_mx_is_a_permanent_556_with_5_1_10)
{
    const plan p = route("nullmx.test");
    EXPECT_EQ(p.outcome, outcome::permanent);
    EXPECT_EQ(p.reply_code, 556);
    EXPECT_EQ(p.enhanced, "5.1.10");
    EXPECT_TRUE(std::ranges::any_of(p.notes, [](const note& n) {
        return n.why.section().str() == "rfc7504/4";
    }));
}

// A DNS server that does not answer is named in the reason, which stays
// temporary (451 4.4.3) so that the message is queued.
// spec: 5.1 R-5.1-5 test
TEST(route_select, an_unreachable_dns_server_is_named_and_temporary)
{
    records data;
    data.mx.status = status::unreachable;
    data.mx.detail = "no answer from DNS server 127.0.0.1:5399 (refused)";
    std::mt19937_64 rng{1};
    const plan p = select("example.test", data, options{}, rng);
    EXPECT_EQ(p.outcome, outcome::temporary);
    EXPECT_EQ(p.reply_code, 451);
    EXPECT_EQ(p.enhanced, "4.4.3");
    EXPECT_EQ(p.error, "the MX query for example.test failed for now (no answer from DNS server "
                       "127.0.0.1:5399 (refused)); queue and retry later");
}

// spec: 5.1 R-5.1-10 test
TEST(route_select, cname_mx_targets_cite_wg_121_under_both_readings)
{
    options strict;
    EXPECT_TRUE(cites_issue(route("cname-mx.test", strict), 121));
    options follow;
    follow.follow_cname_mx_targets = true;
    EXPECT_TRUE(cites_issue(route("cname-mx.test", follow), 121));
    EXPECT_TRUE(cites_issue(route("aliasdom.test"), 98));
}

// spec: 5.1 R-5.1-15 test
TEST(route_select, equal_preferences_are_shuffled_by_the_injected_rng)
{
    dns::table_resolver z;
    for (const char* host : {"a.eq.test", "b.eq.test", "c.eq.test"}) {
        z.mx("eq.test", 10, host).a(host, std::string{"192.0.2."} + char('1' + (host[0] - 'a')));
    }
    z.mx("eq.test", 5, "first.eq.test").a("first.eq.test", "192.0.2.100");
    z.mx("eq.test", 20, "last.eq.test").a("last.eq.test", "192.0.2.200");
    std::set<std::vector<std::string>> orders;
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        std::mt19937_64 rng{seed};
        const plan p = resolve("eq.test", z, {}, rng);
        const auto got = addresses(p);
        ASSERT_EQ(got.size(), 5U);
        EXPECT_EQ(got.front(), "192.0.2.100");  // Preference 5 always first,
        EXPECT_EQ(got.back(), "192.0.2.200");   // 20 always last.
        orders.insert(got);
        std::mt19937_64 again{seed};
        EXPECT_EQ(addresses(resolve("eq.test", z, {}, again)), got) << "same seed, same order";
    }
    EXPECT_EQ(orders.size(), 6U) << "every order of the three equal hosts appears";
}

// spec: 4.1.3 test
TEST(route_select, address_literals_need_no_dns)
{
    dns::table_resolver z;
    std::mt19937_64 rng{1};
    plan p = resolve("[192.0.2.7]", z, {}, rng);
    EXPECT_EQ(addresses(p), std::vector<std::string>{"192.0.2.7"});
    p = resolve("[IPv6:2001:db8::7]", z, {}, rng);
    EXPECT_EQ(addresses(p), std::vector<std::string>{"2001:db8::7"});
    p = resolve("[ipv6:::1]", z, {}, rng);
    EXPECT_EQ(addresses(p), std::vector<std::string>{"::1"});
    p = resolve("[x-tag:whatever]", z, {}, rng);
    EXPECT_EQ(p.outcome, outcome::permanent);
    p = resolve("[300.1.1.1]", z, {}, rng);
    EXPECT_EQ(p.outcome, outcome::permanent);
    EXPECT_TRUE(z.queries().empty());
}

// spec: 5.1 R-5.1-12 R-5.1-13 test
TEST(route_select, the_cap_on_addresses_is_never_below_two)
{
    dns::table_resolver z;
    for (int i = 0; i < 12; ++i) {
        const std::string host = "h" + std::to_string(i) + ".many.test";
        z.mx("many.test", static_cast<std::uint16_t>(i), host);
        z.a(host, "192.0.2." + std::to_string(i));
    }
    options opts;
    std::mt19937_64 rng{1};
    EXPECT_EQ(resolve("many.test", z, opts, rng).targets.size(), 10U);
    opts.max_targets = 0;
    const plan p = resolve("many.test", z, opts, rng);
    EXPECT_EQ(addresses(p), (std::vector<std::string>{"192.0.2.0", "192.0.2.1"}));
    EXPECT_TRUE(cites(p, "R-5.1-12"));
}

// spec: 5.2 test
TEST(route_select, address_families_can_be_restricted)
{
    options v6;
    v6.use_ipv4 = false;
    EXPECT_EQ(addresses(route("dual.test", v6)), std::vector<std::string>{"2001:db8::30"});
    options v4;
    v4.use_ipv6 = false;
    EXPECT_EQ(addresses(route("dual.test", v4)),
              (std::vector<std::string>{"192.0.2.30", "192.0.2.31"}));
}

TEST(route_select, looks_like_address)
{
    EXPECT_TRUE(looks_like_address("192.0.2.1"));
    EXPECT_TRUE(looks_like_address("[192.0.2.1]"));
    EXPECT_TRUE(looks_like_address("2001:db8::1"));
    EXPECT_FALSE(looks_like_address("mx.example.org"));
    EXPECT_FALSE(looks_like_address("192.0.2.example"));
}

TEST(dns_table_resolver, follows_cnames_and_reports_statuses)
{
    dns::table_resolver z = zone();
    auto a = z.query("alias.cname-mx.test", dns::rr_type::a);
    EXPECT_EQ(a.status, status::ok);
    EXPECT_EQ(a.cname_chain, std::vector<std::string>{"real.cname-mx.test"});
    EXPECT_EQ(a.addresses, std::vector<std::string>{"192.0.2.20"});
    EXPECT_EQ(z.query("alias.cname-mx.test", dns::rr_type::cname).status, status::ok);
    EXPECT_EQ(z.query("implicit.test", dns::rr_type::mx).status, status::nodata);
    EXPECT_EQ(z.query("nope.test", dns::rr_type::a).status, status::nxdomain);
    EXPECT_EQ(z.query("servfail.test", dns::rr_type::mx).status, status::servfail);
    dns::table_resolver loop;
    loop.cname("x.test", "y.test").cname("y.test", "x.test");
    EXPECT_EQ(loop.query("x.test", dns::rr_type::a).status, status::servfail);
}

}  // namespace
}  // namespace smtpspec::reference::route
