// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_SPEC_COVERAGE_HPP
#define SMTPSPEC_SPEC_COVERAGE_HPP

// Traceability: where the sources cite each requirement of the catalogue.
// The citation table is generated at build time by spec/gen/gen_citations.py
// from the sources of grammar/, model/, reference/, validate/ and tests/;
// docs/traceability.md describes the forms of citation it recognises.

#include "spec/catalogue.hpp"

#include <span>
#include <string_view>
#include <vector>

namespace smtpspec::spec
{

/** What a citation claims about the requirement it names. */
enum class citation_kind
{
    implementation,  ///< The code here implements it.
    test,            ///< A test here exercises it.
    exception,       ///< The code here deliberately departs from it, with a reason.
    todo,            ///< Known to be missing here; a gap, not work done.
    check,           ///< A prober case (validate/) checks other servers for it.
};

/** One place in the sources that cites the catalogue. */
struct citation
{
    std::string_view file;         ///< Path from the top of the source tree.
    int line;                      ///< 1-based line of the citation.
    std::string_view section;      ///< Section named with it, or empty.
    std::string_view requirement;  ///< Requirement id, or empty for a section alone.
    citation_kind kind;            ///< What the citation claims.
};

/** Where a requirement stands, from the citations and the catalogue. */
enum class coverage_status
{
    implemented_tested,  ///< Cited by implementation and by a test.
    implemented,         ///< Cited by implementation only.
    tested,              ///< Cited by a test only.
    not_applicable,      ///< Marked na in the catalogue and cited nowhere.
    missing,             ///< None of the above: a gap.
};

/** The coverage of one requirement. */
struct requirement_coverage
{
    const requirement_entry* requirement;       ///< The catalogue entry.
    std::vector<const citation*> implementations;  ///< Implementation citations.
    std::vector<const citation*> tests;            ///< Test citations.
    std::vector<const citation*> others;           ///< Exceptions and todos.
    /// Prober cases that check other servers for it; they say nothing of
    /// smtpspec's own server and client, so they change no status.
    std::vector<const citation*> checks;
    coverage_status status;                        ///< The resulting status.
};

/** @return every citation found in the sources, sorted by file and line. */
std::span<const citation> citations() noexcept;

/**
 * Computes the coverage of one requirement.
 * @param r a requirement of the catalogue.
 * @return its citations and status.
 */
requirement_coverage coverage_of(const requirement_entry& r);

/** @return the coverage of every requirement, in catalogue order. */
std::vector<requirement_coverage> coverage();

/** @return "implemented+tested", "implemented", "tested", "not applicable" or "missing". */
std::string_view to_string(coverage_status s) noexcept;

/** @return "implementation", "test", "exception", "todo" or "check". */
std::string_view to_string(citation_kind k) noexcept;

}  // namespace smtpspec::spec

#endif  // SMTPSPEC_SPEC_COVERAGE_HPP
