// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_DICTIONARY_HPP
#define SMTPSPEC_CORPUS_DICTIONARY_HPP

// Fuzzing dictionaries in the libFuzzer/AFL format, derived rather than typed:
// keywords and separators from the string, istring and one-octet rules of the
// grammar graph, reply codes from every transition model::step can take, and
// extension keywords from what the reference server offers in its EHLO reply.

#include "corpus/rule_set.hpp"

#include <string>
#include <vector>

namespace smtpspec::corpus
{

/** One dictionary entry. */
struct dictionary_entry
{
    std::string name;   ///< A label, e.g. "kw_MAIL_FROM_"; letters, digits and "_".
    std::string value;  ///< The octets.

    friend bool operator==(const dictionary_entry&, const dictionary_entry&) = default;
};

/**
 * @param rules the grammar.
 * @return every literal of the grammar (verbs, "FROM:", "IPv6:", ...) as
 *         written and in upper case, and every one-octet separator.
 */
std::vector<dictionary_entry> grammar_dictionary(const rule_set& rules);

/** @return every reply code model::step permits in some reachable state, as "250 " and "250-". */
std::vector<dictionary_entry> reply_code_dictionary();

/** @return the EHLO keywords the reference server offers, with every extension switched on. */
std::vector<dictionary_entry> extension_dictionary();

/** @return all three dictionaries, without duplicate values. */
std::vector<dictionary_entry> full_dictionary(const rule_set& rules);

/**
 * @param entries the entries.
 * @return the text of a dictionary file: one name="value" line each, with
 *         "\", '"' and octets outside printable ASCII written as \xNN.
 */
std::string format_dictionary(const std::vector<dictionary_entry>& entries);

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_DICTIONARY_HPP
