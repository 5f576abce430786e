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

}  // namespace
}  // namespace smtpspec::corpus
