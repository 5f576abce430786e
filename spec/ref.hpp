// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_SPEC_REF_HPP
#define SMTPSPEC_SPEC_REF_HPP

#include "spec/catalogue_ids.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string_view>

namespace smtpspec::spec
{

namespace detail
{
// Each of these is called only when a Ref names something the catalogue
// lacks. None is constexpr (or defined), so a consteval check that reaches one
// fails to compile, and the compiler's message names the function.

/// Reached by a section id missing from spec/data/sections.toml.
void unknown_section_id_in_ref();
/// Reached by a requirement id missing from spec/data/requirements.toml.
void unknown_requirement_id_in_ref();
/// Reached by an issue number missing from spec/data/wg_issues.toml.
void unknown_wg_issue_in_ref();
/// Reached by a deviation id missing from spec/data/deviations.toml.
void unknown_deviation_id_in_ref();

template <typename Array, typename Value>
consteval bool sorted_contains(const Array& ids, const Value& v)
{
    return std::binary_search(ids.begin(), ids.end(), v);
}
}  // namespace detail

/**
 * A section of RFC 5321 ("4.1.1.2", "D.1") or of another RFC ("rfc3207/4.2").
 *
 * Constructed only at compile time from a literal; a section that is not in
 * spec/data/sections.toml makes the program ill-formed.
 */
class section_id
{
public:
    /** @param id a section listed in the catalogue. */
    consteval section_id(const char* id) : id_(id)
    {
        if (!detail::sorted_contains(generated::section_ids, id_)) {
            detail::unknown_section_id_in_ref();
        }
    }

    /** @return the section number as written in the catalogue. */
    [[nodiscard]] constexpr std::string_view str() const noexcept { return id_; }

    /** @return true when both name the same catalogue entry. */
    friend constexpr bool operator==(section_id, section_id) = default;

private:
    std::string_view id_;
};

/**
 * A requirement of the catalogue (spec/data/requirements.toml), such as
 * "R-4.1.1.4-3": the third requirement keyword of section 4.1.1.4.
 *
 * Constructed only at compile time; an id missing from the catalogue makes the
 * program ill-formed.
 */
class requirement_id
{
public:
    /** @param id a requirement id listed in the catalogue. */
    consteval requirement_id(const char* id) : id_(id)
    {
        if (!detail::sorted_contains(generated::requirement_ids, id_)) {
            detail::unknown_requirement_id_in_ref();
        }
    }

    /** @return the id as written in the catalogue. */
    [[nodiscard]] constexpr std::string_view str() const noexcept { return id_; }

    /** @return true when both name the same catalogue entry. */
    friend constexpr bool operator==(requirement_id, requirement_id) = default;

private:
    friend class ref;
    constexpr requirement_id() = default;

    std::string_view id_;
};

/**
 * An issue of the EMAILCORE working group's tracker (spec/data/wg_issues.toml).
 *
 * Constructed only at compile time; an issue number missing from the catalogue
 * makes the program ill-formed.
 */
class wg_issue
{
public:
    /** @param number an issue number listed in the catalogue, such as 116. */
    consteval wg_issue(int number) : number_(number)
    {
        if (!detail::sorted_contains(generated::wg_issue_numbers, number_)) {
            detail::unknown_wg_issue_in_ref();
        }
    }

    /** @return the issue number. */
    [[nodiscard]] constexpr int number() const noexcept { return number_; }

    /** @return true when both name the same catalogue entry. */
    friend constexpr bool operator==(wg_issue, wg_issue) = default;

private:
    friend class ref;
    constexpr wg_issue() = default;

    int number_ = 0;
};

/**
 * A deviation of the catalogue (spec/data/deviations.toml), such as
 * "bare-lf-in-data": the name of a leniency switch of the reference server.
 *
 * Constructed only at compile time; a name missing from the catalogue makes
 * the program ill-formed.
 */
class deviation_id
{
public:
    /** @param id a deviation id listed in the catalogue. */
    consteval deviation_id(const char* id) : id_(id)
    {
        if (!detail::sorted_contains(generated::deviation_ids, id_)) {
            detail::unknown_deviation_id_in_ref();
        }
    }

    /** @return the id as written in the catalogue. */
    [[nodiscard]] constexpr std::string_view str() const noexcept { return id_; }

    /** @return true when both name the same catalogue entry. */
    friend constexpr bool operator==(deviation_id, deviation_id) = default;

private:
    std::string_view id_;
};

/**
 * What every annotation carries: the section of the standard behind a
 * behaviour, the requirement ids it implements or checks, and the EMAILCORE
 * issues that discuss it.
 *
 * A ref is a literal value checked when the program is compiled:
 * @code
 * constexpr spec::ref r{"4.1.1.4", {"R-4.1.1.4-3"}, {114}};
 * @endcode
 */
class ref
{
public:
    /// The most requirement ids one ref holds.
    static constexpr std::size_t max_requirements = 6;
    /// The most WG issues one ref holds.
    static constexpr std::size_t max_issues = 4;

    /**
     * @param section the section of the standard.
     * @param requirements requirement ids, at most max_requirements.
     * @param issues WG issue numbers, at most max_issues.
     */
    consteval ref(section_id section, std::initializer_list<requirement_id> requirements = {},
                  std::initializer_list<wg_issue> issues = {})
        : section_(section)
        , requirement_count_(requirements.size())
        , issue_count_(issues.size())
    {
        if (requirements.size() > max_requirements || issues.size() > max_issues) {
            detail::unknown_requirement_id_in_ref();
        }
        std::copy(requirements.begin(), requirements.end(), requirements_.begin());
        std::copy(issues.begin(), issues.end(), issues_.begin());
    }

    /** @return the section. */
    [[nodiscard]] constexpr section_id section() const noexcept { return section_; }

    /** @return the requirement ids, possibly none. */
    [[nodiscard]] constexpr std::span<const requirement_id> requirements() const noexcept
    {
        return {requirements_.data(), requirement_count_};
    }

    /** @return the WG issues, possibly none. */
    [[nodiscard]] constexpr std::span<const wg_issue> issues() const noexcept
    {
        return {issues_.data(), issue_count_};
    }

    /** @return true when both name the same section, requirements and issues. */
    friend constexpr bool operator==(const ref& a, const ref& b) noexcept
    {
        return a.section_ == b.section_
            && std::ranges::equal(a.requirements(), b.requirements())
            && std::ranges::equal(a.issues(), b.issues());
    }

private:
    section_id section_;
    std::array<requirement_id, max_requirements> requirements_{};
    std::array<wg_issue, max_issues> issues_{};
    std::size_t requirement_count_;
    std::size_t issue_count_;
};

}  // namespace smtpspec::spec

#endif  // SMTPSPEC_SPEC_REF_HPP
