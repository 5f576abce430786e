// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "lint/dialogue.hpp"

namespace smtpspec::lint
{

bool matches_line(std::string_view pattern, std::string_view line)
{
    // Greedy glob with backtracking to the last star; "*" never spans CR or LF.
    std::size_t p = 0;
    std::size_t l = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (l < line.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = l;
        } else if (p < pattern.size() && pattern[p] == line[l]) {
            ++p;
            ++l;
        } else if (star != std::string_view::npos && line[resume] != '\r' && line[resume] != '\n') {
            p = star + 1;
            l = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

bool matches_code(std::string_view pattern, int code) noexcept
{
    if (pattern.size() != 3 || code < 100 || code > 999) {
        return false;
    }
    const char digits[3] = {static_cast<char>('0' + code / 100),
                            static_cast<char>('0' + code / 10 % 10),
                            static_cast<char>('0' + code % 10)};
    for (std::size_t i = 0; i < 3; ++i) {
        if (pattern[i] != 'x' && pattern[i] != digits[i]) {
            return false;
        }
    }
    return true;
}

std::vector<step> plan(const std::vector<entry>& entries)
{
    std::vector<step> steps;
    for (const entry& e : entries) {
        if (e.kind == entry_kind::client && !steps.empty() &&
            steps.back().kind == entry_kind::client) {
            steps.back().octets += e.octets;
            continue;
        }
        steps.push_back(step{e.kind, e.octets, e.code, e.line});
    }
    return steps;
}

}  // namespace smtpspec::lint
