// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/negative.hpp"

#include "grammar/limits.hpp"

#include <array>

namespace smtpspec::corpus
{

namespace
{
constexpr std::array<mutation, 8> all_mutations{
    mutation::drop,      mutation::duplicate, mutation::swap,       mutation::change_case,
    mutation::insert_lf, mutation::insert_cr, mutation::insert_nul, mutation::over_limit};

/// Valid samples tried per call before next() gives up.
constexpr int sources_per_call = 8;
/// Positions tried per sample and mutation.
constexpr int positions_per_mutation = 6;

bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) noexcept { return is_letter(c) || (c >= '0' && c <= '9'); }
}  // namespace

const char* to_string(mutation m) noexcept
{
    switch (m) {
    case mutation::drop: return "drop";
    case mutation::duplicate: return "duplicate";
    case mutation::swap: return "swap";
    case mutation::change_case: return "change_case";
    case mutation::insert_lf: return "insert_lf";
    case mutation::insert_cr: return "insert_cr";
    case mutation::insert_nul: return "insert_nul";
    case mutation::over_limit: return "over_limit";
    }
    return "?";
}

negative_generator::negative_generator(const rule_set& rules, std::uint64_t seed)
    : rules_(rules)
    , positives_(rules, mix64(seed ^ 0x6E6567ULL))
    , rng_(seed)
{
    positives_.set_guided(false);
}

std::optional<negative_sample> negative_generator::try_mutation(std::size_t rule,
                                                                const std::string& source,
                                                                mutation m)
{
    if (source.empty() && m != mutation::insert_lf && m != mutation::insert_cr
        && m != mutation::insert_nul) {
        return std::nullopt;
    }
    for (int attempt = 0; attempt < positions_per_mutation; ++attempt) {
        std::string text = source;
        std::size_t at = rng_.below(source.size());
        switch (m) {
        case mutation::drop:
            text.erase(at, 1);
            break;
        case mutation::duplicate:
            text.insert(at, 1, text[at]);
            break;
        case mutation::swap:
            if (source.size() < 2) {
                return std::nullopt;
            }
            at = rng_.below(source.size() - 1);
            if (text[at] == text[at + 1]) {
                continue;
            }
            std::swap(text[at], text[at + 1]);
            break;
        case mutation::change_case:
            if (!is_letter(text[at])) {
                continue;
            }
            text[at] = static_cast<char>(text[at] ^ 0x20);
            break;
        case mutation::insert_lf:
        case mutation::insert_cr:
        case mutation::insert_nul: {
            at = rng_.below(source.size() + 1);
            const char c = m == mutation::insert_lf ? '\n' : m == mutation::insert_cr ? '\r' : '\0';
            text.insert(at, 1, c);
            break;
        }
        case mutation::over_limit: {
            if (!is_alnum(text[at])) {
                continue;
            }
            // Enough copies to pass the largest limit the octet may fall under.
            static constexpr std::array<std::size_t, 3> sizes{
                grammar::limits::local_part_octets + 1, grammar::limits::domain_octets + 1,
                grammar::limits::command_line_octets + 1};
            text.insert(at, sizes[rng_.below(sizes.size())], text[at]);
            break;
        }
        }
        const verdict v = rules_.check(rule, text);
        if (!v.accepted && v.error) {
            return negative_sample{std::move(text), source, m, at, *v.error};
        }
    }
    return std::nullopt;
}

std::optional<negative_sample> negative_generator::next(std::size_t rule)
{
    for (int s = 0; s < sources_per_call; ++s) {
        positives_.reseed(rng_.next());
        const auto source = positives_.generate(rule);
        if (!source) {
            continue;
        }
        for (std::size_t k = 0; k < all_mutations.size(); ++k) {
            const mutation m = all_mutations[(turn_ + k) % all_mutations.size()];
            if (auto sample = try_mutation(rule, *source, m)) {
                ++turn_;
                return sample;
            }
        }
    }
    ++turn_;
    return std::nullopt;
}

}  // namespace smtpspec::corpus
