// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/writer.hpp"

#include "corpus/dictionary.hpp"
#include "corpus/negative.hpp"
#include "corpus/random.hpp"
#include "corpus/session.hpp"
#include "model/profile.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

namespace smtpspec::corpus
{

namespace
{

namespace fs = std::filesystem;

/// Samples of the guided phase, at most, before the rest is filled at random in parallel.
constexpr std::size_t max_guided_samples = 2000;

/// A rule's name as a file name: "smtputf8::vrfy" becomes "smtputf8.vrfy".
std::string file_name(std::string_view rule)
{
    std::string out;
    for (std::size_t i = 0; i < rule.size(); ++i) {
        if (rule.substr(i, 2) == "::") {
            out += '.';
            ++i;
        } else {
            out += rule[i];
        }
    }
    return out;
}

std::string numbered(std::string_view prefix, std::size_t i)
{
    char digits[16];
    std::snprintf(digits, sizeof digits, "%06zu", i);
    return std::string(prefix) + "-" + digits;
}

void write_file(const fs::path& path, std::string_view bytes)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) {
        throw fs::filesystem_error("cannot write", path,
                                   std::make_error_code(std::errc::io_error));
    }
}

std::string tsv_field(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\t' || c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

/// Counts files for the progress callback.
class progress_counter
{
public:
    progress_counter(const corpus_options& o, std::size_t total) : o_(o), total_(total) {}

    void tick()
    {
        const std::size_t done = ++done_;
        if (o_.progress) {
            const std::scoped_lock guard(lock_);
            o_.progress(done, total_);
        }
    }

private:
    const corpus_options& o_;
    std::size_t total_;
    std::atomic<std::size_t> done_{0};
    std::mutex lock_;
};

/// Writes the valid samples of one rule; returns its coverage.
rule_coverage write_positives(const corpus_options& o, std::size_t rule, progress_counter& pc,
                              corpus_result& result, std::mutex& result_lock)
{
    const rule_set& rules = rule_set::grammar();
    const std::string name = file_name(rules.name(rule));
    const fs::path dir = o.out / name;
    if (o.write_samples) {
        fs::create_directories(dir);
    }
    const std::uint64_t seed = rule_seed(rule, o.seed);

    const auto keep = [&](std::size_t i, const std::optional<std::string>& s) {
        if (!s) {
            const std::scoped_lock guard(result_lock);
            result.problems.push_back(name + " sample " + std::to_string(i)
                                      + ": no string within the typed parsers' limits found");
            return;
        }
        const verdict v = rules.check(rule, *s);
        if (!v.accepted) {
            const std::scoped_lock guard(result_lock);
            result.problems.push_back(name + " sample " + std::to_string(i)
                                      + " is refused by the parser: "
                                      + (v.error ? v.error->message : std::string("?")));
            return;
        }
        if (o.write_samples) {
            write_file(dir / numbered(name, i), *s);
        }
        {
            const std::scoped_lock guard(result_lock);
            ++result.positives;
        }
        pc.tick();
    };

    // Guided: one generator, in order, until every point is hit.
    generator main(rules, seed);
    std::size_t i = 0;
    const std::size_t guided_end = std::min(o.count, max_guided_samples);
    while (i < guided_end && !main.complete(rule)) {
        keep(i, main.generate(rule));
        ++i;
    }

    // Random fill: sample k has its own seed, so threads may take any share.
    const std::size_t first = i;
    const unsigned jobs = std::max(1U, o.jobs);
    std::vector<std::unique_ptr<generator>> workers;
    for (unsigned j = 0; j < jobs; ++j) {
        workers.push_back(std::make_unique<generator>(rules, seed));
        workers.back()->set_guided(false);
    }
    std::atomic<std::size_t> next{first};
    const auto work = [&](unsigned j) {
        for (std::size_t k = next++; k < o.count; k = next++) {
            workers[j]->reseed(mix64(seed + k));
            keep(k, workers[j]->generate(rule));
        }
    };
    if (jobs == 1 || o.count - first < 64) {
        work(0);
    } else {
        std::vector<std::thread> threads;
        for (unsigned j = 0; j < jobs; ++j) {
            threads.emplace_back(work, j);
        }
        for (auto& t : threads) {
            t.join();
        }
    }
    for (const auto& w : workers) {
        main.merge(*w);
    }
    return main.coverage(rule);
}

void write_negatives(const corpus_options& o, std::size_t rule, progress_counter& pc,
                     corpus_result& result)
{
    const rule_set& rules = rule_set::grammar();
    const std::string name = file_name(rules.name(rule));
    const fs::path dir = o.out / "negative" / name;
    fs::create_directories(dir);
    negative_generator neg(rules, mix64(rule_seed(rule, o.seed) ^ 0x4E4547ULL));
    std::string labels = "file\tmutation\tat\trule\toffset\treply_code\tmessage\n";
    for (std::size_t i = 0; i < o.count; ++i) {
        const auto s = neg.next(rule);
        if (!s) {
            continue;
        }
        const std::string file = numbered(name, i);
        write_file(dir / file, s->text);
        labels += file + '\t' + to_string(s->how) + '\t' + std::to_string(s->at) + '\t'
            + s->error.rule + '\t' + std::to_string(s->error.offset) + '\t'
            + std::to_string(s->error.reply_code) + '\t' + tsv_field(s->error.message) + '\n';
        ++result.negatives;
        pc.tick();
    }
    write_file(dir / "labels.tsv", labels);
}

void write_sessions(const corpus_options& o, progress_counter& pc, corpus_result& result)
{
    const fs::path dir = o.out / "sessions";
    fs::create_directories(dir);
    session_generator gen(model::rfc5321(), mix64(o.seed ^ 0x53455353ULL));
    static constexpr std::array<session_kind, 4> kinds{
        session_kind::valid, session_kind::invalid, session_kind::pipelined,
        session_kind::data_trap};
    std::string manifest = "file\tkind\texpected_codes\tcommands\n";
    for (std::size_t i = 0; i < o.count; ++i) {
        const session_kind kind = kinds[i % kinds.size()];
        const session_sample s = gen.next(kind);
        const std::string file = numbered(to_string(kind), i);
        write_file(dir / file, s.bytes);
        std::string codes;
        for (const int c : s.expected) {
            codes += (codes.empty() ? "" : " ") + std::to_string(c);
        }
        manifest += file + '\t' + to_string(kind) + '\t' + codes + '\t' + s.summary + '\n';
        ++result.sessions;
        pc.tick();
    }
    write_file(dir / "manifest.tsv", manifest);
}

}  // namespace

std::uint64_t rule_seed(std::size_t rule, std::uint64_t seed)
{
    return mix64(seed ^ hash_name(rule_set::grammar().name(rule)));
}

std::string format_coverage(const corpus_options& o, const corpus_result& r)
{
    const rule_set& rules = rule_set::grammar();
    std::string out = "# smtpspec corpus --count " + std::to_string(o.count) + " --seed "
        + std::to_string(o.seed) + ": coverage of the valid samples of each rule\n";
    out += "rule\tidentifier\talternatives_hit\talternatives\tbounds_hit\tbounds\tlimits_hit"
           "\tlimits\tmissing_alternatives\n";
    for (std::size_t i = 0; i < r.coverage.size() && i < o.rules.size(); ++i) {
        const rule_coverage& c = r.coverage[i];
        std::string missing;
        for (const std::string& m : c.missing_alternatives) {
            missing += (missing.empty() ? "" : " | ") + tsv_field(m);
        }
        out += tsv_field(c.rule) + '\t' + rules.graph().rules[o.rules[i]].identifier + '\t'
            + std::to_string(c.alternatives_hit) + '\t' + std::to_string(c.alternatives) + '\t'
            + std::to_string(c.bounds_hit) + '\t' + std::to_string(c.bounds) + '\t'
            + std::to_string(c.limits_hit) + '\t' + std::to_string(c.limits) + '\t' + missing
            + '\n';
    }
    return out;
}

corpus_result write_corpus(const corpus_options& o)
{
    corpus_result result;
    if (o.write_samples || o.negative || o.sessions) {
        fs::create_directories(o.out);
    }
    std::size_t total = o.rules.size() * o.count * (o.negative ? 2 : 1);
    total += o.sessions ? o.count : 0;
    progress_counter pc(o, total);
    std::mutex result_lock;
    for (const std::size_t rule : o.rules) {
        result.coverage.push_back(write_positives(o, rule, pc, result, result_lock));
        if (o.negative) {
            write_negatives(o, rule, pc, result);
        }
    }
    if (o.sessions) {
        write_sessions(o, pc, result);
    }
    if (o.dictionary) {
        const auto entries = full_dictionary(rule_set::grammar());
        if (o.dictionary->has_parent_path()) {
            fs::create_directories(o.dictionary->parent_path());
        }
        write_file(*o.dictionary, format_dictionary(entries));
        result.dictionary_entries = entries.size();
    }
    return result;
}

}  // namespace smtpspec::corpus
