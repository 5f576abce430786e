// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/writer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace smtpspec::corpus
{
namespace
{

namespace fs = std::filesystem;

std::map<std::string, std::string> read_tree(const fs::path& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            std::ifstream f(e.path(), std::ios::binary);
            std::ostringstream s;
            s << f.rdbuf();
            files[fs::relative(e.path(), dir).string()] = s.str();
        }
    }
    return files;
}

fs::path scratch(const std::string& name)
{
    const fs::path p = fs::temp_directory_path()
        / ("smtpspec-corpus-" + name + "-" + std::to_string(::testing::UnitTest::GetInstance()
                                                                  ->random_seed()));
    fs::remove_all(p);
    return p;
}

corpus_options options(const fs::path& out, unsigned jobs)
{
    corpus_options o;
    o.rules = {*rule_set::grammar().find("mail"), *rule_set::grammar().find("Mailbox")};
    o.count = 150;
    o.seed = 12;
    o.out = out;
    o.negative = true;
    o.sessions = true;
    o.dictionary = out / "smtp.dict";
    o.jobs = jobs;
    return o;
}

// Same seed, same files, whatever the number of threads.
TEST(corpus_writer, same_seed_same_files)
{
    const fs::path a = scratch("a");
    const fs::path b = scratch("b");
    const corpus_result ra = write_corpus(options(a, 1));
    const corpus_result rb = write_corpus(options(b, 2));
    EXPECT_TRUE(ra.problems.empty());
    EXPECT_EQ(ra.positives, 300U);
    EXPECT_EQ(ra.sessions, 150U);
    EXPECT_GT(ra.negatives, 250U);
    EXPECT_GT(ra.dictionary_entries, 50U);
    const auto ta = read_tree(a);
    EXPECT_EQ(ta, read_tree(b));
    EXPECT_TRUE(ta.contains("mail/mail-000000"));
    EXPECT_TRUE(ta.contains("mail/mail-000149"));
    EXPECT_TRUE(ta.contains("negative/mail/labels.tsv"));
    EXPECT_TRUE(ta.contains("sessions/manifest.tsv"));
    ASSERT_EQ(ra.coverage.size(), 2U);
    EXPECT_TRUE(ra.coverage[0].complete());
    EXPECT_EQ(ra.coverage[0].alternatives_hit, ra.coverage[0].alternatives);

    corpus_options other = options(scratch("c"), 1);
    other.seed = 13;
    write_corpus(other);
    EXPECT_NE(read_tree(other.out), ta);
    for (const auto& p : {a, b, other.out}) {
        fs::remove_all(p);
    }
}

// --coverage without --out: samples are generated and checked, nothing is
// written, and the table names each rule with its alternatives and bounds.
TEST(corpus_writer, coverage_table_without_samples)
{
    const fs::path out = scratch("coverage");
    corpus_options o;
    o.rules = {*rule_set::grammar().find("mail"), *rule_set::grammar().find("Let-dig"),
               *rule_set::grammar().find("quit")};
    o.count = 150;
    o.seed = 1;
    o.out = out;
    o.write_samples = false;
    const corpus_result r = write_corpus(o);
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(r.positives, 450U);
    EXPECT_TRUE(r.problems.empty());
    const std::string table = format_coverage(o, r);
    std::istringstream lines(table);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "# smtpspec corpus --count 150 --seed 1: coverage of the valid samples of each rule");
    std::getline(lines, line);
    EXPECT_EQ(line, "rule\tidentifier\talternatives_hit\talternatives\tbounds_hit\tbounds"
                    "\tlimits_hit\tlimits\tmissing_alternatives");
    std::getline(lines, line);
    EXPECT_EQ(line, "mail\tmail\t25\t25\t71\t71\t3\t3\t");
    std::getline(lines, line);
    EXPECT_EQ(line, "Let-dig\tLet_dig\t2\t2\t0\t0\t0\t0\t");
    std::getline(lines, line);
    EXPECT_EQ(line, "quit\tquit\t0\t0\t0\t0\t0\t0\t");
    EXPECT_FALSE(std::getline(lines, line));
}

}  // namespace
}  // namespace smtpspec::corpus
