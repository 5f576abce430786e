// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/parameters.hpp"

#include <algorithm>

namespace smtpspec::reference::internal
{

namespace
{
char lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, {}, lower, lower);
}

std::string ascii_upper(std::string_view text)
{
    std::string out{text};
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 32);
        }
    }
    return out;
}

std::string ascii_lower(std::string_view text)
{
    std::string out{text};
    std::ranges::transform(out, out.begin(), lower);
    return out;
}

bool has_non_ascii(std::string_view text)
{
    return std::ranges::any_of(text, [](char c) { return static_cast<unsigned char>(c) > 127; });
}

const grammar::esmtp_param* find_parameter(const std::vector<grammar::esmtp_param>& params,
                                           std::string_view keyword)
{
    const auto it = std::ranges::find_if(
        params, [&](const grammar::esmtp_param& p) { return iequals(p.keyword, keyword); });
    return it == params.end() ? nullptr : &*it;
}

std::optional<parameter_refusal>
check_parameters(const std::vector<grammar::esmtp_param>& params,
                 const std::function<bool(std::string_view)>& offered, const value_check& check)
{
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& param = params[i];
        if (!offered(param.keyword)) {
            // spec: 4.1.1 R-4.1.1-4 implementation
            // Parameters of extensions not offered are refused (known fault B30).
            return parameter_refusal{555, "5.5.4",
                                     "Parameter " + param.keyword + " is not supported here"};
        }
        if (find_parameter(params, param.keyword) != &param) {
            return parameter_refusal{501, "5.5.4", "Parameter " + param.keyword + " given twice"};
        }
        // spec: 4.1.4 R-4.1.4-14 implementation
        // A value the extension's grammar refuses is a bad argument; this also
        // refuses xtext that decodes to control octets (known fault B27).
        if (const auto error = check(param)) {
            return parameter_refusal{501, "5.5.4", "Syntax error in parameters: " + error->message};
        }
    }
    return std::nullopt;
}

}  // namespace smtpspec::reference::internal
