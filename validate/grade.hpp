// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_GRADE_HPP
#define SMTPSPEC_VALIDATE_GRADE_HPP

#include <optional>
#include <string_view>

namespace smtpspec::validate
{

/** The requirement level a probe case checks; it decides how a violation is graded. */
enum class level
{
    must,    ///< MUST, MUST NOT, REQUIRED, SHALL: a violation is a failure.
    should,  ///< SHOULD, SHOULD NOT, RECOMMENDED: a violation is a warning.
    may,     ///< MAY, OPTIONAL: a difference is only information.
};

/** What a probe case observed, before the level is applied. */
enum class verdict
{
    conforming,     ///< The server did what the standard asks.
    violated,       ///< The server broke the requirement the case checks.
    lenient,        ///< The server accepted something the standard forbids the client.
    informational,  ///< A permitted choice, or a reply the case cannot judge further.
    unimplemented,  ///< An optional feature the case needs is absent.
    could_not_run,  ///< The case could not be carried out (connection, timeout, setup).
};

/** The grade of one probe case, as reported. */
enum class grade
{
    pass,           ///< Conforming.
    fail,           ///< A MUST broken.
    warn,           ///< A SHOULD broken.
    lenient,        ///< Accepted something the ABNF or the command order forbids.
    info,           ///< A MAY-level difference or an implementation choice.
    unimplemented,  ///< Optional extension absent.
    error,          ///< The case could not be run.
};

/**
 * Applies the requirement level to a verdict: a violation of a MUST fails,
 * of a SHOULD warns, of a MAY informs; other verdicts map one to one.
 * @param l the level of the requirement checked.
 * @param v what the case observed.
 * @return the grade.
 */
constexpr grade grade_for(level l, verdict v) noexcept
{
    switch (v) {
    case verdict::conforming:
        return grade::pass;
    case verdict::violated:
        return l == level::must ? grade::fail : l == level::should ? grade::warn : grade::info;
    case verdict::lenient:
        return grade::lenient;
    case verdict::informational:
        return grade::info;
    case verdict::unimplemented:
        return grade::unimplemented;
    case verdict::could_not_run:
        break;
    }
    return grade::error;
}

/** @return "pass", "fail", "warn", "lenient", "info", "unimplemented" or "error". */
std::string_view to_string(grade g) noexcept;

/** @return "MUST", "SHOULD" or "MAY". */
std::string_view to_string(level l) noexcept;

/**
 * @param name a grade's name as to_string writes it.
 * @return the grade, or nothing for an unknown name.
 */
std::optional<grade> parse_grade(std::string_view name) noexcept;

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_GRADE_HPP
