// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_NEGATIVE_HPP
#define SMTPSPEC_CORPUS_NEGATIVE_HPP

// Near misses: a valid sample of a rule, changed by one small mutation that
// the grammar (or the typed parser's 4.5.3.1 limits) rejects, labelled with
// the rule and offset where the parser says it fails.

#include "corpus/generator.hpp"
#include "corpus/random.hpp"
#include "corpus/rule_set.hpp"
#include "grammar/command.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace smtpspec::corpus
{

/** The small changes that turn a valid sample into a near miss. */
enum class mutation
{
    drop,         ///< One octet removed.
    duplicate,    ///< One octet doubled.
    swap,         ///< Two neighbouring octets exchanged.
    change_case,  ///< A letter's case flipped (rarely a near miss: SMTP is mostly case-blind).
    insert_lf,    ///< A bare LF inserted (2.3.8).
    insert_cr,    ///< A bare CR inserted (2.3.8).
    insert_nul,   ///< A NUL octet inserted.
    over_limit,   ///< An octet repeated until a 4.5.3.1 size limit is exceeded.
};

/** @return the mutation's name, e.g. "insert_lf". */
const char* to_string(mutation m) noexcept;

/** A near miss and where the parser rejects it. */
struct negative_sample
{
    std::string text;            ///< The mutated string.
    std::string source;          ///< The valid sample it came from.
    mutation how = mutation::drop;  ///< The change made.
    std::size_t at = 0;          ///< Offset in source where the change was made.
    grammar::syntax_error error; ///< Rule, offset and reply code from the parser.
};

/** Makes near misses of a rule from valid samples, reproducibly from a seed. */
class negative_generator
{
public:
    /**
     * @param rules the rules; must outlive the generator.
     * @param seed the seed; the same seed gives the same near misses.
     */
    negative_generator(const rule_set& rules, std::uint64_t seed);

    /**
     * Makes one near miss of @p rule. The kinds of mutation are taken in turn;
     * a kind that cannot make a rejected string of this sample is skipped.
     * @param rule a public rule.
     * @return the near miss, or nothing when none was found in a bounded number of tries.
     */
    std::optional<negative_sample> next(std::size_t rule);

private:
    std::optional<negative_sample> try_mutation(std::size_t rule, const std::string& source,
                                                mutation m);

    const rule_set& rules_;
    generator positives_;
    random_source rng_;
    std::size_t turn_ = 0;
};

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_NEGATIVE_HPP
