// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_PARAMETERS_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_PARAMETERS_HPP

#include "grammar/command.hpp"
#include "grammar/parse.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::internal
{

/** Why the parameters of a MAIL or RCPT command are refused. */
struct parameter_refusal
{
    int code = 501;      ///< 501, 555, 552, ...
    std::string status;  ///< Enhanced status code ("5.5.4").
    std::string text;    ///< Reply text after the status code.
};

/** Checks the value of one parameter of a known keyword: a 501 error or nothing. */
using value_check =
    std::function<std::optional<grammar::syntax_error>(const grammar::esmtp_param&)>;

/**
 * The checks shared by MAIL and RCPT parameters (4.1.1, 4.1.2): each keyword
 * must be one the server offered (else 555, R-4.1.1-4), appear once (else
 * 501), and have a value its extension allows (else 501, R-4.1.4-14).
 * @param params the command's parameters.
 * @param offered whether a keyword belongs to an offered extension.
 * @param check the value check of the extension's grammar.
 * @return the first refusal, or nothing when every parameter is acceptable.
 */
std::optional<parameter_refusal>
check_parameters(const std::vector<grammar::esmtp_param>& params,
                 const std::function<bool(std::string_view)>& offered, const value_check& check);

/**
 * @param params the parameters.
 * @param keyword a keyword, compared without case (2.4).
 * @return the parameter with that keyword, or nullptr.
 */
const grammar::esmtp_param* find_parameter(const std::vector<grammar::esmtp_param>& params,
                                           std::string_view keyword);

/** @return true when @p a and @p b are equal without regard to ASCII case (2.4). */
bool iequals(std::string_view a, std::string_view b);

/** @return @p text with ASCII letters in upper case. */
std::string ascii_upper(std::string_view text);

/** @return @p text with ASCII letters in lower case. */
std::string ascii_lower(std::string_view text);

/** @return true when @p text holds an octet over 127 (RFC 6531 3.3). */
bool has_non_ascii(std::string_view text);

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_PARAMETERS_HPP
