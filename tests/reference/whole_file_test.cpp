// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The one bounded reader of whole files: the bound holds for files and for
// devices that never end, and each failure keeps the system's reason.

#include "reference/whole_file.hpp"

#include "tests/reference/scratch_folder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace smtpspec::reference
{
namespace
{
namespace fs = std::filesystem;

class whole_file : public ::testing::Test
{
protected:
    fs::path write(const std::string& name, const std::string& text) const
    {
        const fs::path file = root_ / name;
        std::ofstream{file, std::ios::binary} << text;
        return file;
    }

    const testing::scratch_folder scratch_{"whole-file"};
    const fs::path& root_ = scratch_.path();
};

TEST_F(whole_file, reads_a_file_up_to_its_bound)
{
    std::string content = "old";
    EXPECT_FALSE(read_whole_file(write("five", "a\r\nbc"), 5, content));
    EXPECT_EQ(content, "a\r\nbc");  // Exactly the bound.
    const std::string octets("x\0y\r\nz", 6);  // Any octet, NUL too.
    EXPECT_FALSE(read_whole_file(write("six", octets), 6, content));
    EXPECT_EQ(content, octets);
    EXPECT_FALSE(read_whole_file(write("empty", ""), 0, content));
    EXPECT_EQ(content, "");
}

TEST_F(whole_file, one_octet_more_than_the_bound_is_refused)
{
    std::string content = "kept";
    EXPECT_EQ(read_whole_file(write("six", "abcdef"), 5, content), std::errc::file_too_large);
    EXPECT_EQ(content, "kept");
    EXPECT_EQ(read_whole_file(write("one", "a"), 0, content), std::errc::file_too_large);
}

TEST_F(whole_file, a_device_that_never_ends_is_refused_at_the_bound)
{
    std::string content = "kept";
    EXPECT_EQ(read_whole_file("/dev/zero", 1 << 20, content), std::errc::file_too_large);
    EXPECT_EQ(read_whole_file("/dev/urandom", 100000, content), std::errc::file_too_large);
    EXPECT_EQ(content, "kept");
}

TEST_F(whole_file, a_folder_and_a_missing_file_give_their_reasons)
{
    std::string content = "kept";
    const std::error_code folder = read_whole_file(root_, 100, content);
    EXPECT_EQ(folder, std::errc::is_a_directory);
    EXPECT_EQ(folder.message(), "Is a directory");
    const std::error_code missing = read_whole_file(root_ / "missing", 100, content);
    EXPECT_EQ(missing, std::errc::no_such_file_or_directory);
    EXPECT_EQ(missing.message(), "No such file or directory");
    EXPECT_EQ(content, "kept");
}

TEST_F(whole_file, no_bound_at_the_largest_size)
{
    // SIZE_MAX as the bound must not wrap the room left to zero.
    std::string content;
    EXPECT_FALSE(read_whole_file(write("f", "text\n"), static_cast<std::size_t>(-1), content));
    EXPECT_EQ(content, "text\n");
}

}  // namespace
}  // namespace smtpspec::reference
