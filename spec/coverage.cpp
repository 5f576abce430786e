// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "spec/coverage.hpp"

#include <array>

namespace smtpspec::spec
{

namespace
{
// The generated rows; at least one entry so that an empty scan still compiles.
constexpr citation citation_table[] = {
#include "spec/citation_data.inc"
    {"", 0, "", "", citation_kind::todo},
};

constexpr std::span<const citation> citation_rows{citation_table,
                                                  std::size(citation_table) - 1};
}  // namespace

std::span<const citation> citations() noexcept { return citation_rows; }

requirement_coverage coverage_of(const requirement_entry& r)
{
    requirement_coverage out{&r, {}, {}, {}, {}, coverage_status::missing};
    for (const auto& c : citation_rows) {
        if (c.requirement != r.id) {
            continue;
        }
        switch (c.kind) {
        case citation_kind::implementation:
            out.implementations.push_back(&c);
            break;
        case citation_kind::test:
            out.tests.push_back(&c);
            break;
        case citation_kind::exception:
        case citation_kind::todo:
            out.others.push_back(&c);
            break;
        case citation_kind::check:
            out.checks.push_back(&c);
            break;
        }
    }
    const bool implemented = !out.implementations.empty();
    const bool tested = !out.tests.empty();
    if (implemented && tested) {
        out.status = coverage_status::implemented_tested;
    } else if (implemented) {
        out.status = coverage_status::implemented;
    } else if (tested) {
        out.status = coverage_status::tested;
    } else if (!r.na.empty()) {
        out.status = coverage_status::not_applicable;
    }
    return out;
}

std::vector<requirement_coverage> coverage()
{
    std::vector<requirement_coverage> out;
    out.reserve(requirements().size());
    for (const auto& r : requirements()) {
        out.push_back(coverage_of(r));
    }
    return out;
}

std::string_view to_string(coverage_status s) noexcept
{
    switch (s) {
    case coverage_status::implemented_tested:
        return "implemented+tested";
    case coverage_status::implemented:
        return "implemented";
    case coverage_status::tested:
        return "tested";
    case coverage_status::not_applicable:
        return "not applicable";
    case coverage_status::missing:
        break;
    }
    return "missing";
}

std::string_view to_string(citation_kind k) noexcept
{
    switch (k) {
    case citation_kind::implementation:
        return "implementation";
    case citation_kind::test:
        return "test";
    case citation_kind::exception:
        return "exception";
    case citation_kind::check:
        return "check";
    case citation_kind::todo:
        break;
    }
    return "todo";
}

}  // namespace smtpspec::spec
