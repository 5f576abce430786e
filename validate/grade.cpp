// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/grade.hpp"

#include <array>
#include <utility>

namespace smtpspec::validate
{

namespace
{
constexpr std::array<std::pair<grade, std::string_view>, 7> grade_names{{
    {grade::pass, "pass"},
    {grade::fail, "fail"},
    {grade::warn, "warn"},
    {grade::lenient, "lenient"},
    {grade::info, "info"},
    {grade::unimplemented, "unimplemented"},
    {grade::error, "error"},
}};
}  // namespace

std::string_view to_string(grade g) noexcept
{
    for (const auto& [value, name] : grade_names) {
        if (value == g) {
            return name;
        }
    }
    return "error";
}

std::string_view to_string(level l) noexcept
{
    switch (l) {
    case level::must:
        return "MUST";
    case level::should:
        return "SHOULD";
    case level::may:
        return "MAY";
    }
    return "MUST";
}

std::optional<grade> parse_grade(std::string_view name) noexcept
{
    for (const auto& [value, text] : grade_names) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace smtpspec::validate
