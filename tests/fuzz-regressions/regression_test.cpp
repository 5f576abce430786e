// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Every input a fuzz target once failed on (tests/fuzz-regressions/TARGET/NAME)
// must now pass that target's check; and the checks themselves catch what
// they are meant to catch.

#include "fuzz/checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::fuzz
{
namespace
{

namespace fs = std::filesystem;

const fs::path regressions_dir{SMTPSPEC_FUZZ_REGRESSIONS_DIR};

/// One saved input and the target it belongs to.
struct saved_input
{
    const target* owner;
    fs::path file;
};

/// Names a saved input in test listings ("lint/NAME") instead of its raw bytes.
void PrintTo(const saved_input& s, std::ostream* os)
{
    *os << s.file.parent_path().filename().string() << '/' << s.file.filename().string();
}

const target* find_target(std::string_view name)
{
    for (const target& t : targets()) {
        if (t.name == name) {
            return &t;
        }
    }
    return nullptr;
}

std::vector<saved_input> saved_inputs()
{
    std::vector<saved_input> all;
    for (const auto& dir : fs::directory_iterator(regressions_dir)) {
        const target* t = find_target(dir.path().filename().string());
        if (!dir.is_directory() || t == nullptr) {
            continue;
        }
        for (const auto& file : fs::directory_iterator(dir.path())) {
            all.push_back({t, file.path()});
        }
    }
    std::ranges::sort(all, {}, [](const saved_input& s) { return s.file; });
    return all;
}

std::string read_file(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class fuzz_regression : public testing::TestWithParam<saved_input>
{};

TEST_P(fuzz_regression, passes_its_check)
{
    const saved_input& s = GetParam();
    const std::string input = read_file(s.file);
    const failure f = s.owner->check(input);
    EXPECT_FALSE(f.has_value()) << s.file.filename() << ": " << f.value_or("");
}

std::string test_name(const testing::TestParamInfo<saved_input>& info)
{
    std::string name =
        std::string(info.param.owner->name) + "_" + info.param.file.filename().string();
    std::ranges::replace_if(
        name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(saved, fuzz_regression, testing::ValuesIn(saved_inputs()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(fuzz_regression);

// A folder that names no target would be silently skipped: there is none.
// open/TARGET/ holds inputs found but not yet fixed (their owners were told);
// they move up one folder with the fix.
TEST(fuzz_regressions, every_folder_names_a_target)
{
    for (const auto& entry : fs::directory_iterator(regressions_dir)) {
        if (entry.is_directory() && entry.path().filename() != "open") {
            EXPECT_NE(find_target(entry.path().filename().string()), nullptr)
                << entry.path().filename();
        }
    }
}

TEST(fuzz_checks, the_targets_are_the_documented_six)
{
    std::vector<std::string_view> names;
    for (const target& t : targets()) {
        names.push_back(t.name);
    }
    EXPECT_EQ(names,
              (std::vector<std::string_view>{"parse_command", "parse_mailbox", "parse_reply_line",
                                             "server_session", "client_session", "lint"}));
}

// spec: 4.1.1.2 test
TEST(fuzz_checks, parse_command_passes_valid_and_invalid_lines)
{
    EXPECT_EQ(check_parse_command("MAIL FROM:<a@b.example> SIZE=10\r\n"), std::nullopt);
    EXPECT_EQ(check_parse_command("RCPT TO:<\"x y\"@[127.0.0.1]>\r\n"), std::nullopt);
    EXPECT_EQ(check_parse_command("MAIL FROM:<a@b.example\r\n"), std::nullopt);
    EXPECT_EQ(check_parse_command(std::string_view("\0\r\n", 3)), std::nullopt);
}

// spec: 4.5.3.1.1 test
TEST(fuzz_checks, parse_mailbox_passes_valid_and_invalid_text)
{
    EXPECT_EQ(check_parse_mailbox("user@example.org"), std::nullopt);
    EXPECT_EQ(check_parse_mailbox(std::string(65, 'a') + "@example.org"), std::nullopt);
}

// spec: 4.2 test
TEST(fuzz_checks, parse_reply_line_passes_valid_and_invalid_lines)
{
    EXPECT_EQ(check_parse_reply_line("250 OK\r\n"), std::nullopt);
    EXPECT_EQ(check_parse_reply_line("250\r\n"), std::nullopt);
    EXPECT_EQ(check_parse_reply_line("250 \r\n"), std::nullopt);  // 4.2.1 R-4.2.1-3
    EXPECT_EQ(check_parse_reply_line("199 no\r\n"), std::nullopt);
}

// spec: 4.1.4 test
TEST(fuzz_checks, server_session_passes_a_whole_transaction)
{
    EXPECT_EQ(check_server_session("EHLO c.example\r\nMAIL FROM:<a@c.example>\r\n"
                                   "RCPT TO:<b@s.example>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n"),
              std::nullopt);
    EXPECT_EQ(check_server_session("DATA\r\nRCPT TO:<>\r\n\r\n\n.\n"), std::nullopt);
}

// spec: 3.3 test
TEST(fuzz_checks, client_session_passes_a_happy_and_a_hostile_server)
{
    // The first octet of each piece also sets the next piece's size; these
    // replies are long enough for that not to matter.
    EXPECT_EQ(check_client_session("220 s.example ready\r\n250 s.example\r\n250 ok\r\n"
                                   "250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n221 bye\r\n"),
              std::nullopt);
    EXPECT_EQ(check_client_session("220-\r\n999 \n\r\n421 x\r\n"), std::nullopt);
}

// spec: 2.3.8 test
TEST(fuzz_checks, lint_passes_a_dialogue_a_format_error_and_two_streams)
{
    EXPECT_EQ(check_lint("expect 220\nC: EHLO c.example\nS: 250 s.example\nC: MAIL FROM:<a@b>\n"),
              std::nullopt);
    EXPECT_EQ(check_lint("X: not a dialogue line\n"), std::nullopt);
    EXPECT_EQ(check_lint(std::string_view("EHLO x\r\nQUIT\r\n\0"
                                          "220 s\r\n250 s\r\n",
                                          29)),
              std::nullopt);
}

failure always_fails(std::string_view)
{
    return "always_fails: check failed";
}

failure never_fails(std::string_view)
{
    return std::nullopt;
}

// A failed check must abort with its message, which is how libFuzzer learns of it.
TEST(fuzz_checks_death_test, run_or_abort_aborts_with_the_failure)
{
    const unsigned char input[] = {'x'};
    EXPECT_EQ(run_or_abort(&never_fails, input, 1), 0);
    EXPECT_DEATH(run_or_abort(&always_fails, input, 1), "always_fails: check failed");
}

}  // namespace
}  // namespace smtpspec::fuzz
