// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Temporary entry point of the probe branch, to be replaced by the lead's.

#include "tools/smtpspec/probe_command.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv)
{
    CLI::App app{"smtpspec: an executable specification of SMTP"};
    app.require_subcommand(1);
    smtpspec::tools::add_probe_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e);
        // Usage errors found by CLI11 itself exit with 2, like the tool's own.
        return e.get_name() == "RuntimeError" || status == 0 ? status : 2;
    }
    return 0;
}
