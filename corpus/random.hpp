// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_RANDOM_HPP
#define SMTPSPEC_CORPUS_RANDOM_HPP

// A small random number generator with a fixed algorithm (xoshiro256**, seeded
// through splitmix64), so that a seed gives the same corpus with every
// standard library: std::uniform_int_distribution is not specified exactly.

#include <cstdint>
#include <string_view>

namespace smtpspec::corpus
{

/** @return a well-mixed 64-bit value from @p x (splitmix64's finalizer). */
constexpr std::uint64_t mix64(std::uint64_t x) noexcept
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31U);
}

/** @return the FNV-1a hash of @p text, to derive per-rule seeds from names. */
constexpr std::uint64_t hash_name(std::string_view text) noexcept
{
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const char c : text) {
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
    }
    return h;
}

/** A deterministic pseudo-random source (xoshiro256**). */
class random_source
{
public:
    /** @param seed any value; equal seeds give equal sequences. */
    explicit random_source(std::uint64_t seed = 0) noexcept { reseed(seed); }

    /** Restarts the sequence from @p seed. */
    void reseed(std::uint64_t seed) noexcept
    {
        for (auto& word : s_) {
            seed = mix64(seed);
            word = seed;
        }
    }

    /** @return the next 64 random bits. */
    std::uint64_t next() noexcept
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17U;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /** @return a value in [0, bound); 0 when bound is 0. */
    std::uint64_t below(std::uint64_t bound) noexcept
    {
        return bound == 0 ? 0 : next() % bound;
    }

    /** @return a value in [lo, hi]. */
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept
    {
        return lo + below(hi - lo + 1);
    }

    /** @return true with probability 1 / @p n. */
    bool one_in(std::uint64_t n) noexcept { return below(n) == 0; }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept
    {
        return (x << k) | (x >> (64 - k));
    }

    std::uint64_t s_[4]{};
};

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_RANDOM_HPP
