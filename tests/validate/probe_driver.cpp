// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// A stand-alone "probe" command for the tests of this directory, so that they
// do not depend on which subcommands the smtpspec program registers.

#include "tools/smtpspec/probe_command.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv)
{
    CLI::App app{"smtpspec probe test driver"};
    app.require_subcommand(1);
    smtpspec::tools::add_probe_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e);
        return e.get_name() == "RuntimeError" || status == 0 ? status : 2;
    }
    return 0;
}
