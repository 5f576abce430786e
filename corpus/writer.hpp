// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_WRITER_HPP
#define SMTPSPEC_CORPUS_WRITER_HPP

// Writes a corpus to a directory, one file per sample, with names that depend
// only on the seed, the rule and the sample's number: the same options give
// the same files whatever --jobs is. Layout:
//   DIR/RULE/RULE-000000 ...           valid samples of RULE
//   DIR/negative/RULE/RULE-000000 ...  near misses, labels.tsv says where each fails
//   DIR/sessions/KIND-000000 ...       client dialogues, manifest.tsv lists them

#include "corpus/generator.hpp"
#include "corpus/rule_set.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace smtpspec::corpus
{

/** What write_corpus() should write. */
struct corpus_options
{
    std::vector<std::size_t> rules;   ///< Rule indices of rule_set::grammar().
    std::size_t count = 100;          ///< Samples per rule (and negatives, and sessions).
    std::uint64_t seed = 1;           ///< The seed everything derives from.
    std::filesystem::path out;        ///< The directory; created if missing.
    /// Write the valid samples as files (false: only generate and check them,
    /// to measure coverage; negatives and sessions are still written when asked for).
    bool write_samples = true;
    bool negative = false;            ///< Also write near misses.
    bool sessions = false;            ///< Also write client dialogues.
    std::optional<std::filesystem::path> dictionary;  ///< Also write a dictionary here.
    unsigned jobs = 1;                ///< Threads for the random part of each rule.
    /// Called after each file with (files written, files to write); may be empty.
    std::function<void(std::size_t, std::size_t)> progress;
};

/** What write_corpus() did. */
struct corpus_result
{
    std::vector<rule_coverage> coverage;  ///< Per rule, in the order of corpus_options::rules.
    std::size_t positives = 0;            ///< Valid samples written.
    std::size_t negatives = 0;            ///< Near misses written.
    std::size_t sessions = 0;             ///< Dialogues written.
    std::size_t dictionary_entries = 0;   ///< Dictionary entries written.
    /// Generated samples the parser refused (a generator fault; not written).
    std::vector<std::string> problems;
};

/**
 * Writes the corpus.
 * @param options what to write.
 * @return counts, coverage and problems.
 * @throws std::filesystem::filesystem_error when a file cannot be written.
 */
corpus_result write_corpus(const corpus_options& options);

/**
 * The coverage of a run as a table, one line per rule, for the rule table of
 * docs/grammar-rules.md (grammar/rule_catalog.py reads it). Columns, separated
 * by tabs: rule (ABNF name), identifier (C++ name below grammar::rules),
 * alternatives_hit, alternatives, bounds_hit, bounds, limits_hit, limits,
 * missing_alternatives (their labels, joined by " | ").
 * @param options the options of the run (its rules, count and seed are recorded).
 * @param result what write_corpus() returned for them.
 * @return the table, with a header line and a comment line naming the run.
 */
std::string format_coverage(const corpus_options& options, const corpus_result& result);

/**
 * @param rule a rule index.
 * @param seed the corpus seed.
 * @return the seed of that rule's samples (independent of other rules).
 */
std::uint64_t rule_seed(std::size_t rule, std::uint64_t seed);

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_WRITER_HPP
