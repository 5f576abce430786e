// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The server's own check of the settings that name files: it is the one
// check (the command line only words its failures), so it must hold for a
// caller of the library alone, before anything is bound or made.

#include "reference/net/server.hpp"

#include "tests/reference/scratch_folder.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace smtpspec::reference::net
{
namespace
{
namespace fs = std::filesystem;

class server_settings : public ::testing::Test
{
protected:
    void SetUp() override
    {
        options_.listen = {"127.0.0.1", 0};
        options_.maildir = root_ / "maildir";
        // A server that wrongly starts stops at once: its listening line
        // raises the SIGTERM it handles (3.8), and refusal() reports it.
        options_.on_log = [](std::string_view, const std::string& line) {
            if (line.starts_with("event=listening ")) {
                std::raise(SIGTERM);
            }
        };
    }

    /// run_server() with options_, which must refuse to start.
    startup_error refusal() const
    {
        try {
            run_server(options_);
        } catch (const startup_error& e) {
            return e;
        }
        ADD_FAILURE() << "the server started";
        return {setting::listen, "", "", ""};
    }

    const testing::scratch_folder scratch_{"settings"};
    const fs::path& root_ = scratch_.path();
    server_options options_;
};

TEST_F(server_settings, ready_file_that_is_a_folder_is_refused_before_anything_is_made)
{
    options_.ready_file = root_;
    const startup_error e = refusal();
    EXPECT_EQ(e.which(), setting::ready_file);
    EXPECT_EQ(e.fault(), startup_fault::folder);
    EXPECT_EQ(e.value(), root_.string());
    EXPECT_STREQ(e.what(), "cannot write it: it is a folder, not a file");
    EXPECT_FALSE(fs::exists(options_.maildir));
}

TEST_F(server_settings, configured_certificate_or_key_that_is_a_folder_is_refused)
{
    const fs::path pem = root_ / "any.pem";
    std::ofstream{pem} << "not PEM\n";
    options_.tls.configured = {root_, pem};
    startup_error e = refusal();
    EXPECT_EQ(e.which(), setting::tls_certificate);
    EXPECT_EQ(e.fault(), startup_fault::folder);
    EXPECT_STREQ(e.what(), "cannot read it: it is a folder, not a PEM file");
    options_.tls.configured = {pem, root_};
    e = refusal();
    EXPECT_EQ(e.which(), setting::tls_key);
    EXPECT_EQ(e.fault(), startup_fault::folder);
    EXPECT_EQ(e.value(), root_.string());
    EXPECT_FALSE(fs::exists(options_.maildir));
}

TEST_F(server_settings, configured_key_that_is_missing_names_the_reason)
{
    const fs::path pem = root_ / "cert.pem";
    std::ofstream{pem} << "not PEM\n";
    options_.tls.configured = {pem, root_ / "missing.pem"};
    const startup_error e = refusal();
    EXPECT_EQ(e.which(), setting::tls_key);
    EXPECT_EQ(e.fault(), startup_fault::unusable);
    EXPECT_STREQ(e.what(), "cannot read it: No such file or directory");
    EXPECT_FALSE(fs::exists(options_.maildir));
}

TEST_F(server_settings, certificate_is_not_checked_when_starttls_is_off)
{
    // No STARTTLS: the pair is never read. The folder as ready file is what
    // stops this server, so that it does not run.
    options_.tls.enabled = false;
    options_.tls.configured = {root_ / "missing-cert.pem", root_ / "missing-key.pem"};
    options_.ready_file = root_;
    EXPECT_EQ(refusal().which(), setting::ready_file);
}

}  // namespace
}  // namespace smtpspec::reference::net
