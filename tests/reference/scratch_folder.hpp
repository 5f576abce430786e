// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_REFERENCE_SCRATCH_FOLDER_HPP
#define SMTPSPEC_TESTS_REFERENCE_SCRATCH_FOLDER_HPP

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

namespace smtpspec::reference::testing
{

/// An empty folder of the running test's own under the system's temporary
/// folder ("smtpspec-PREFIX-PID-TEST"), removed with all it holds at the end.
class scratch_folder
{
public:
    /** @param prefix what the tests are about, in the folder's name. */
    explicit scratch_folder(const std::string& prefix)
        : path_(std::filesystem::temp_directory_path()
                / ("smtpspec-" + prefix + "-" + std::to_string(::getpid()) + "-"
                   + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
    {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }

    ~scratch_folder() { std::filesystem::remove_all(path_); }

    scratch_folder(const scratch_folder&) = delete;
    scratch_folder& operator=(const scratch_folder&) = delete;

    /** @return the folder. */
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace smtpspec::reference::testing

#endif  // SMTPSPEC_TESTS_REFERENCE_SCRATCH_FOLDER_HPP
