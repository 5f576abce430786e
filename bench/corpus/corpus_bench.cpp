// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The corpus generator's benchmark (issue 8):
//   generate/RULE            samples of RULE per second once its coverage is
//                            complete (the random fill), each one parsed again
//                            as `smtpspec corpus` does before writing it
//                            ("refused" counts the samples the parser refused);
//   full_coverage/RULE       the time (and samples) a fresh generator takes
//                            until every alternative, repetition bound and
//                            4.5.3.1 limit in reach of RULE is hit.
// Usage: corpus_bench [--rules=all] [Google Benchmark options]
//   without --rules=all: mail, rcpt, ehlo, Mailbox and Time-stamp-line only.

#include "corpus/generator.hpp"
#include "corpus/rule_set.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using smtpspec::corpus::generator;
using smtpspec::corpus::rule_set;

/// Samples the full-coverage run may take before it gives up (reported as an error).
/// Rules that can be covered completely are within a few hundred samples; a rule
/// with an alternative no sample can take alone (Opt-info's, which needs Stamp's
/// ";" after it) never is, and should not hold the run up for long.
constexpr int coverage_sample_cap = 5000;

void generate(benchmark::State& state, std::size_t rule)
{
    const rule_set& rules = rule_set::grammar();
    generator gen(rules, 1);
    for (int i = 0; i < coverage_sample_cap && !gen.complete(rule); ++i) {
        static_cast<void>(gen.generate(rule));
    }
    std::int64_t samples = 0;
    std::int64_t octets = 0;
    std::int64_t refused = 0;
    for (auto _ : state) {
        const std::optional<std::string> s = gen.generate(rule);
        if (s) {
            refused += rules.check(rule, *s).accepted ? 0 : 1;
            octets += static_cast<std::int64_t>(s->size());
        }
        benchmark::DoNotOptimize(s);
        ++samples;
    }
    state.SetItemsProcessed(samples);
    state.SetBytesProcessed(octets);
    // A refused sample is a generator fault (smtpspec corpus exits 1 on one);
    // counted here so that the rate is still reported.
    state.counters["refused"] = static_cast<double>(refused);
}

void full_coverage(benchmark::State& state, std::size_t rule)
{
    const rule_set& rules = rule_set::grammar();
    static_cast<void>(rules.graph());
    std::int64_t samples = 0;
    std::uint64_t seed = 1;
    for (auto _ : state) {
        generator gen(rules, seed++);
        int i = 0;
        while (i < coverage_sample_cap && !gen.complete(rule)) {
            static_cast<void>(gen.generate(rule));
            ++i;
        }
        if (!gen.complete(rule)) {
            state.SkipWithError("coverage not complete after the sample cap");
            break;
        }
        samples += i;
    }
    state.counters["samples"] =
        benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kAvgIterations);
}

}  // namespace

int main(int argc, char** argv)
{
    bool all = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--rules=all") {
            all = true;
        } else {
            args.push_back(argv[i]);
        }
    }
    const rule_set& rules = rule_set::grammar();
    std::vector<std::size_t> chosen;
    if (all) {
        chosen = rules.public_rules();
    } else {
        for (const char* name : {"mail", "rcpt", "ehlo", "Mailbox", "Time-stamp-line"}) {
            const auto rule = rules.find(name);
            if (!rule) {
                std::fprintf(stderr, "corpus_bench: no rule %s\n", name);
                return 2;
            }
            chosen.push_back(*rule);
        }
    }
    for (const std::size_t rule : chosen) {
        benchmark::RegisterBenchmark(("generate/" + rules.name(rule)).c_str(), generate, rule);
    }
    for (const std::size_t rule : chosen) {
        benchmark::RegisterBenchmark(("full_coverage/" + rules.name(rule)).c_str(), full_coverage,
                                     rule)
            ->Unit(benchmark::kMillisecond);
    }
    int count = static_cast<int>(args.size());
    benchmark::Initialize(&count, args.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
