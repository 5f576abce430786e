// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "corpus/rule_set.hpp"
#include "corpus/writer.hpp"
#include "tools/smtpspec/options.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace smtpspec::tools
{

namespace
{

/// The most samples per rule --count takes.
constexpr std::uint64_t max_count = 10'000'000;

/// The most threads --jobs takes.
constexpr std::uint64_t max_jobs = 256;

struct corpus_cli
{
    std::vector<std::string> rules;
    std::size_t count = 100;
    std::uint64_t seed = 1;
    std::string out;
    bool negative = false;
    bool all_rules = false;
    bool sessions = false;
    bool list_rules = false;
    std::string dict;
    std::string coverage;
    unsigned jobs = 1;
};

/// Draws "[#####     ] 50% 500/1000" on stderr, in place.
void draw_progress(std::size_t done, std::size_t total)
{
    constexpr std::size_t width = 40;
    const std::size_t filled = total == 0 ? width : done * width / total;
    if (done != total && done % 64 != 0) {
        return;
    }
    std::fprintf(stderr, "\r[%s%s] %3zu%% %zu/%zu", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), total == 0 ? 100 : done * 100 / total,
                 done, total);
    if (done == total) {
        std::fputc('\n', stderr);
    }
    std::fflush(stderr);
}

std::string ratio(std::size_t hit, std::size_t all)
{
    return std::to_string(hit) + "/" + std::to_string(all);
}

void print_summary(const corpus::corpus_result& r, std::size_t count, bool written)
{
    std::printf("%-28s %8s %13s %11s %9s  %s\n", "rule", "samples", "alternatives", "bounds",
                "limits", "coverage");
    for (const auto& c : r.coverage) {
        const std::size_t all = c.alternatives + c.bounds + c.limits;
        const std::size_t hit = c.alternatives_hit + c.bounds_hit + c.limits_hit;
        std::printf("%-28s %8zu %13s %11s %9s  %5.1f%%\n", c.rule.c_str(), count,
                    ratio(c.alternatives_hit, c.alternatives).c_str(),
                    ratio(c.bounds_hit, c.bounds).c_str(), ratio(c.limits_hit, c.limits).c_str(),
                    all == 0 ? 100.0 : 100.0 * static_cast<double>(hit) / static_cast<double>(all));
    }
    for (const auto& c : r.coverage) {
        for (const auto& m : c.missing) {
            std::printf("not covered: %s\n", m.c_str());
        }
    }
    std::printf("%s: %zu samples, %zu negative, %zu sessions, %zu dictionary entries\n",
                written ? "written" : "generated and checked (not written)", r.positives,
                r.negatives, r.sessions, r.dictionary_entries);
}

void run_corpus_command(const corpus_cli& cli)
{
    const corpus::rule_set& rules = corpus::rule_set::grammar();
    if (cli.list_rules) {
        for (const std::size_t r : rules.public_rules()) {
            std::printf("%s\n", rules.name(r).c_str());
        }
        return;
    }
    corpus::corpus_options o;
    if (cli.all_rules) {
        o.rules = rules.public_rules();
    }
    for (const std::string& name : cli.rules) {
        const auto r = rules.find(name);
        if (!r) {
            std::cerr << "smtpspec corpus: unknown rule \"" << name
                      << "\" (smtpspec corpus --list-rules lists the rules)\n";
            throw CLI::RuntimeError(exit_usage);
        }
        o.rules.push_back(*r);
    }
    if (o.rules.empty() && !cli.sessions && cli.dict.empty()) {
        std::cerr << "smtpspec corpus: give --rule RULE, --all-rules, --sessions or --dict FILE\n";
        throw CLI::RuntimeError(exit_usage);
    }
    // With --coverage alone the samples are generated and checked but not written.
    const bool samples_wanted = !o.rules.empty() && cli.coverage.empty();
    if (cli.out.empty() && (samples_wanted || cli.sessions || cli.negative)) {
        std::cerr << "smtpspec corpus: --out DIR is required\n";
        throw CLI::RuntimeError(exit_usage);
    }
    o.write_samples = !cli.out.empty();
    o.count = cli.count;
    o.seed = cli.seed;
    o.out = cli.out.empty() ? std::filesystem::path(".") : std::filesystem::path(cli.out);
    o.negative = cli.negative;
    o.sessions = cli.sessions;
    if (!cli.dict.empty()) {
        o.dictionary = cli.dict;
    }
    o.jobs = cli.jobs;
    if (isatty(STDERR_FILENO) != 0) {
        o.progress = draw_progress;
    }
    corpus::corpus_result r;
    try {
        r = corpus::write_corpus(o);
    } catch (const std::filesystem::filesystem_error& e) {
        std::cerr << "smtpspec corpus: " << e.what() << '\n';
        throw CLI::RuntimeError(exit_usage);
    }
    if (!cli.coverage.empty()) {
        if (const std::string error = write_file(cli.coverage, corpus::format_coverage(o, r));
            !error.empty()) {
            std::cerr << "smtpspec corpus: " << error << '\n';
            throw CLI::RuntimeError(exit_failed);
        }
    }
    print_summary(r, o.count, o.write_samples);
    for (const auto& p : r.problems) {
        std::cerr << "smtpspec corpus: " << p << '\n';
    }
    if (!r.problems.empty()) {
        throw CLI::RuntimeError(exit_failed);
    }
}

}  // namespace

void add_corpus_command(CLI::App& app)
{
    auto cli = std::make_shared<corpus_cli>();
    auto* cmd = app.add_subcommand(
        "corpus", "write fuzz corpora, near misses, session dialogues and dictionaries");
    cmd->add_option("--rule", cli->rules, "ABNF rule to generate, e.g. mail or Reverse-path "
                                          "(repeatable)");
    cmd->add_option("--count", cli->count, "samples per rule (and near misses, and sessions)")
        ->check(whole_number(1, max_count));
    cmd->add_option("--seed", cli->seed, "seed; the same seed writes the same files")
        ->check(whole_number(0, UINT64_MAX));
    cmd->add_option("--out", cli->out, "directory to write into");
    cmd->add_flag("--negative", cli->negative, "also write near misses under DIR/negative");
    cmd->add_flag("--all-rules", cli->all_rules, "every rule of the grammar");
    cmd->add_flag("--sessions", cli->sessions, "also write client dialogues under DIR/sessions");
    cmd->add_option("--dict", cli->dict, "write a libFuzzer/AFL dictionary to FILE");
    cmd->add_option("--coverage", cli->coverage,
                    "write each rule's coverage as a table to FILE (without --out, no samples "
                    "are written)");
    cmd->add_option("--jobs", cli->jobs, "threads")->check(whole_number(1, max_jobs));
    cmd->add_flag("--list-rules", cli->list_rules, "print the rule names and exit");
    cmd->callback([cli] { run_corpus_command(*cli); });
}

}  // namespace smtpspec::tools
