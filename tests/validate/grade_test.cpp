// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/grade.hpp"

#include <gtest/gtest.h>

namespace smtpspec::validate
{

TEST(ValidateGrade, LevelDecidesWhatAViolationIs)
{
    static_assert(grade_for(level::must, verdict::violated) == grade::fail);
    static_assert(grade_for(level::should, verdict::violated) == grade::warn);
    static_assert(grade_for(level::may, verdict::violated) == grade::info);
    for (const auto l : {level::must, level::should, level::may}) {
        EXPECT_EQ(grade_for(l, verdict::conforming), grade::pass);
        EXPECT_EQ(grade_for(l, verdict::lenient), grade::lenient);
        EXPECT_EQ(grade_for(l, verdict::informational), grade::info);
        EXPECT_EQ(grade_for(l, verdict::unimplemented), grade::unimplemented);
        EXPECT_EQ(grade_for(l, verdict::could_not_run), grade::error);
    }
}

TEST(ValidateGrade, NamesRoundTrip)
{
    for (const auto g : {grade::pass, grade::fail, grade::warn, grade::lenient, grade::info,
                         grade::unimplemented, grade::error}) {
        EXPECT_EQ(parse_grade(to_string(g)), g);
    }
    EXPECT_FALSE(parse_grade("PASS").has_value());
    EXPECT_EQ(to_string(level::should), "SHOULD");
}

}  // namespace smtpspec::validate
