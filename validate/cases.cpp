// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/cases.hpp"

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

#include <algorithm>
#include <vector>

namespace smtpspec::validate
{

namespace
{
using spec::ref;
namespace body = internal;

// Each row: id, title, level of the requirement checked, refs, check.
// Ids: "rfc5321/<section>/<n>", n numbering the cases of that section.
std::vector<probe_case> make_base_cases()
{
    // clang-format off
    return {
        {"rfc5321/3.1/1", "greeting is 220 with valid Reply-line syntax", level::must,
         {ref{"3.1", {"R-3.1-3"}}, ref{"4.2"}, ref{"4.2.1", {"R-4.2.1-5"}},
          ref{"4.3.2", {"R-4.3.2-3"}}},
         body::greeting_is_220},
        {"rfc5321/2.3.8/1", "bare LF does not end a command line", level::must,
         {ref{"2.3.8", {"R-2.3.8-1"}}},
         body::bare_lf_is_not_a_line_end, {"B48"}, {"bare-lf-command"}},
        {"rfc5321/3.2/1", "HELO is not answered with an EHLO-style reply", level::must,
         {ref{"3.2", {"R-3.2-2"}}},
         body::helo_reply_not_ehlo_style},
        {"rfc5321/3.3/1", "RCPT before MAIL gets 503", level::must,
         {ref{"3.3", {"R-3.3-10"}}},
         body::rcpt_before_mail_is_503},
        {"rfc5321/3.3/2", "DATA before any RCPT gets 503 or 554", level::must,
         {ref{"3.3", {"R-3.3-11"}}, ref{"4.1.4", {"R-4.1.4-16"}}},
         body::data_before_rcpt_is_503_or_554},
        {"rfc5321/4.1.1/1", "white space before CRLF (\"RSET \") is tolerated", level::should,
         {ref{"4.1.1", {"R-4.1.1-1"}, {105}}},
         body::trailing_space_tolerated, {}, {}, {"syntax"}},
        {"rfc5321/4.1.1.1/1", "EHLO gets 250 with valid multi-line syntax and one code",
         level::must,
         {ref{"4.1.1.1"}, ref{"4.2.1", {"R-4.2.1-5"}}, ref{"4.5.1", {"R-4.5.1-2"}}},
         body::ehlo_is_250_multiline},
        {"rfc5321/4.1.1.1/2", "HELO is supported and gets 250", level::must,
         {ref{"4.1.1.1", {"R-4.1.1.1-5"}}, ref{"4.5.1", {"R-4.5.1-2"}}},
         body::helo_is_250},
        {"rfc5321/4.1.1.10/1", "QUIT gets 221 and the server closes", level::must,
         {ref{"4.1.1.10", {"R-4.1.1.10-1"}}},
         body::quit_is_221_and_close},
        {"rfc5321/4.1.1.2/1", "MAIL FROM:<> (null reverse-path) is accepted", level::must,
         {ref{"4.1.1.2"}, ref{"3.6.3", {"R-3.6.3-4"}}, ref{"4.5.5"}},
         body::null_reverse_path_accepted, {"B23"}},
        {"rfc5321/4.1.1.3/1", "RCPT TO:<> (null forward-path): graded by the WG #106 reading",
         level::may,
         {ref{"4.1.1.3", {}, {106}}, ref{"4.1.2"}},
         body::null_forward_path_refused, {"B22"}, {}},
        {"rfc5321/4.1.1.4/1", "MAIL, RCPT, DATA with the configured envelope ends in 250",
         level::must,
         {ref{"4.1.1.2"}, ref{"4.1.1.3"}, ref{"4.1.1.4", {"R-4.1.1.4-6"}}},
         body::delivery_ends_250, {}, {}, {"delivery"}},
        {"rfc5321/4.1.1.5/1", "RSET gets 250 and ends the transaction", level::must,
         {ref{"4.1.1.5", {"R-4.1.1.5-1", "R-4.1.1.5-2"}}},
         body::rset_is_250},
        {"rfc5321/4.1.1.9/1", "NOOP gets 250", level::must,
         {ref{"4.1.1.9"}, ref{"4.5.1", {"R-4.5.1-2"}}},
         body::noop_is_250},
        {"rfc5321/4.1.2/1", "malformed MAIL FROM:<;sleep 66;> gets 501 and changes nothing",
         level::must,
         {ref{"4.1.2"}, ref{"4.1.4", {"R-4.1.4-14", "R-4.1.4-15"}}},
         body::malformed_mail_is_501, {"B11"}, {"malformed-path"}},
        {"rfc5321/4.1.4/1", "MAIL before EHLO gets 503", level::must,
         {ref{"4.1.4", {"R-4.1.4-1", "R-4.1.4-16"}}, ref{"4.1.1.1", {"R-4.1.1.1-6"}}},
         body::mail_before_ehlo_is_503, {"B44"}, {}},
        {"rfc5321/4.1.4/2", "NOOP before EHLO gets 250", level::should,
         {ref{"4.1.4", {"R-4.1.4-11"}}},
         body::noop_before_ehlo_is_250, {"B44"}},
        {"rfc5321/4.1.4/3", "MAIL inside an open transaction gets 503", level::must,
         {ref{"4.1.4", {"R-4.1.4-13", "R-4.1.4-16"}, {101}}},
         body::mail_in_transaction_is_503, {}, {}},
        {"rfc5321/4.1.4/4", "EHLO inside a transaction resets it", level::must,
         {ref{"4.1.4", {"R-4.1.4-4"}}},
         body::ehlo_resets_transaction},
        {"rfc5321/4.1.4/5", "EHLO without a domain is refused and the state is kept",
         level::must,
         {ref{"4.1.4", {"R-4.1.4-5", "R-4.1.4-6"}}, ref{"4.1.1.1"}},
         body::refused_ehlo_keeps_state, {"B43"}, {}},
        {"rfc5321/4.1.4/6", "HELO inside a transaction: graded by the WG #116 reading",
         level::must,
         {ref{"4.1.4", {"R-4.1.4-4"}, {116}}, ref{"4.1.1.5", {"R-4.1.1.5-1"}, {116}}},
         body::helo_resets_transaction},
        {"rfc5321/4.2.2/1", "an unknown verb gets 500", level::should,
         {ref{"4.2.2"}, ref{"4.3.1", {"R-4.3.1-3"}}, ref{"4.3.2"}},
         body::unknown_verb_is_500},
        {"rfc5321/4.3.2/1", "RSET with an argument gets 501", level::should,
         {ref{"4.3.2", {"R-4.3.2-5"}}, ref{"4.1.1", {"R-4.1.1-4"}}},
         body::rset_argument_is_501},
        {"rfc5321/4.5.1/1", "RCPT TO:<Postmaster> without a domain is accepted", level::must,
         {ref{"4.5.1", {"R-4.5.1-4"}}, ref{"4.1.1.3"}},
         body::bare_postmaster_accepted, {"B17"}},
        {"rfc5321/4.5.3.1.4/1", "a 606-octet command line gets one reply, session in step",
         level::must,
         {ref{"4.5.3.1.4"}, ref{"4.5.3.1.9"}, ref{"4.2", {"R-4.2-1"}}},
         body::long_command_line_one_reply, {"B38"}, {"long-command-line"}, {"limits"}},
    };
    // clang-format on
}

/**
 * Orders ids by their parts, numbers as numbers: "rfc5321/4.1.1.2/1" before
 * "rfc5321/4.1.1.10/1", and "rfc5321/4.1.1.4/2" before "rfc5321/4.1.1.4/10".
 */
bool id_before(std::string_view a, std::string_view b)
{
    const auto part = [](std::string_view& s) {
        const auto end = s.find_first_of("./");
        const auto p = s.substr(0, end);
        s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
        return p;
    };
    while (!a.empty() && !b.empty()) {
        const auto pa = part(a);
        const auto pb = part(b);
        const bool na = !pa.empty() && pa.find_first_not_of("0123456789") == pa.npos;
        const bool nb = !pb.empty() && pb.find_first_not_of("0123456789") == pb.npos;
        if (na && nb && pa.size() != pb.size()) {
            return pa.size() < pb.size();
        }
        if (pa != pb) {
            return pa < pb;
        }
    }
    return a.size() < b.size();
}

std::vector<probe_case> make_rfc5321_cases()
{
    auto cases = make_base_cases();
    body::add_session_cases(cases);
    body::add_syntax_cases(cases);
    body::add_data_cases(cases);
    body::add_extension_cases(cases);
    std::ranges::stable_sort(cases, [](const probe_case& a, const probe_case& b) {
        return id_before(a.id, b.id);
    });
    return cases;
}
}  // namespace

std::span<const probe_case> rfc5321_cases()
{
    static const std::vector<probe_case> cases = make_rfc5321_cases();
    return cases;
}

}  // namespace smtpspec::validate
