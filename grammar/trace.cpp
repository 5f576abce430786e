// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/trace.hpp"

#include "grammar/internal/failure_tracker.hpp"
#include "grammar/rules/trace.hpp"

#include <tao/pegtl.hpp>

namespace smtpspec::grammar
{

std::optional<syntax_error> check_received_line(std::string_view line, trace_reading reading)
{
    internal::failure_tracker st;
    if (reading == trace_reading::as_printed) {
        return internal::run<rules::as_printed::Time_stamp_line, tao::pegtl::nothing>(
            line, st, 0, "Time-stamp-line");
    }
    return internal::run<rules::Time_stamp_line, tao::pegtl::nothing>(line, st, 0,
                                                                       "Time-stamp-line");
}

std::optional<syntax_error> check_return_path_line(std::string_view line)
{
    internal::failure_tracker st;
    return internal::run<rules::Return_path_line, tao::pegtl::nothing>(line, st, 0,
                                                                        "Return-path-line");
}

}  // namespace smtpspec::grammar
