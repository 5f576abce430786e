// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/probe_command.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <iostream>

namespace smtpspec::tools
{

std::string log_text(std::string_view level, const std::string& fields)
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char stamp[40];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(ms));
    return std::string{"ts="} + stamp + " level=" + std::string{level} + " " + fields + "\n";
}

void log_line(const char* level, const std::string& fields)
{
    const std::string line = log_text(level, fields);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace smtpspec::tools

int main(int argc, char** argv)
{
    CLI::App app{"smtpspec: an executable specification of SMTP (RFC 5321 and 5321bis)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "smtpspec 0.1.0");
    smtpspec::tools::add_serve_command(app);
    smtpspec::tools::add_send_command(app);
    smtpspec::tools::add_queue_command(app);
    smtpspec::tools::add_probe_command(app);
    smtpspec::tools::add_explain_command(app);
    smtpspec::tools::add_coverage_command(app);
    smtpspec::tools::add_corpus_command(app);
    smtpspec::tools::add_model_command(app);
    smtpspec::tools::add_lint_command(app);
    smtpspec::tools::add_dialogue_command(app);
    smtpspec::tools::add_parse_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::RuntimeError& e) {
        // A subcommand finished with this exit code; it printed its own message.
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return smtpspec::tools::exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "smtpspec: " << e.what() << '\n';
        return smtpspec::tools::exit_usage;
    }
    return 0;
}
