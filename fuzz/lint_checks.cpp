// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The check of the transcript linter's fuzz target (lint_fuzzer).

#include "fuzz/checks.hpp"

#include "fuzz/expect.hpp"
#include "lint/lint.hpp"
#include "lint/report.hpp"
#include "model/profile.hpp"
#include "spec/catalogue.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace smtpspec::fuzz
{

namespace
{
/// The invariants of one lint result over an input of @p lines lines.
failure check_result(const lint::result& r, std::size_t lines)
{
    if (r.error) {
        // lint.hpp: a format error leaves everything else empty.
        SMTPSPEC_FUZZ_EXPECT(r.lines.empty() && r.findings.empty());
        SMTPSPEC_FUZZ_EXPECT(r.error->line >= 1 && r.error->line <= lines);
        SMTPSPEC_FUZZ_EXPECT(!r.error->message.empty());
        return std::nullopt;
    }
    std::size_t previous = 0;
    for (const auto& a : r.lines) {
        SMTPSPEC_FUZZ_EXPECT(a.line >= 1 && a.line <= lines);
        SMTPSPEC_FUZZ_EXPECT(a.line >= previous);  // In the order of the input.
        previous = a.line;
    }
    for (const auto& f : r.findings) {
        SMTPSPEC_FUZZ_EXPECT(f.line >= 1 && f.line <= lines);
        SMTPSPEC_FUZZ_EXPECT(!f.message.empty());
        // Every finding leads to the catalogue: a requirement, or a section
        // written "rfcNNNN/SECTION" (RFC 5321's own sections have no prefix
        // in the catalogue).
        SMTPSPEC_FUZZ_EXPECT(spec::find_section(f.section) != nullptr);
        if (f.rule_id.starts_with("R-")) {
            SMTPSPEC_FUZZ_EXPECT(spec::find_requirement(f.rule_id) != nullptr);
        } else {
            SMTPSPEC_FUZZ_EXPECT(f.rule_id.starts_with("rfc"));
            const std::string_view id = f.rule_id;
            SMTPSPEC_FUZZ_EXPECT(
                spec::find_section(id.starts_with("rfc5321/") ? id.substr(8) : id) != nullptr);
        }
    }
    const std::string text = lint::to_text(r, "fuzz.dialogue");
    SMTPSPEC_FUZZ_EXPECT(!text.empty() && text.back() == '\n');
    const auto sarif = nlohmann::json::parse(lint::to_sarif(r, "fuzz.dialogue"), nullptr, false);
    SMTPSPEC_FUZZ_EXPECT(!sarif.is_discarded());
    SMTPSPEC_FUZZ_EXPECT(sarif["runs"][0]["results"].size() == r.findings.size());
    return std::nullopt;
}
}  // namespace

failure check_lint(std::string_view input)
{
    const std::size_t lines = static_cast<std::size_t>(std::ranges::count(input, '\n')) + 1;
    for (const auto* profile : {"rfc5321", "rfc5321bis"}) {
        lint::options opts;
        opts.profile = *model::find_profile(profile);
        if (auto f = check_result(lint::lint(input, opts), lines)) {
            return std::string(profile) + ": " + *f;
        }
    }
    // The same octets as a raw capture: the client's stream up to the first
    // NUL, the server's after it. Line numbers count CRLF-ended lines of a
    // stream (lint.hpp), at most the lines of the input plus one.
    const auto nul = std::min(input.find('\0'), input.size());
    const std::string_view client = input.substr(0, nul);
    const std::string_view server = nul < input.size() ? input.substr(nul + 1) : "";
    const auto r = lint::lint_streams(client, server, lint::options{});
    SMTPSPEC_FUZZ_EXPECT(!r.error);
    for (const auto& f : r.findings) {
        SMTPSPEC_FUZZ_EXPECT(spec::find_section(f.section) != nullptr);
    }
    const std::string text = lint::to_text(r, "fuzz.capture");
    SMTPSPEC_FUZZ_EXPECT(!text.empty() && text.back() == '\n');
    return std::nullopt;
}

}  // namespace smtpspec::fuzz
