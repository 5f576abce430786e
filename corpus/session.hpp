// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_CORPUS_SESSION_HPP
#define SMTPSPEC_CORPUS_SESSION_HPP

// Whole client dialogues, written as the octets a client sends after the
// greeting, chosen by stepping model::step: valid transactions, invalid
// sequences, pipelined groups (RFC 2920) and mail data holding the
// end-of-data traps of 4.1.1.4 and 2.3.8 (bare LF, bare CR, LF "." LF,
// CR "." CR, LF "." CRLF, CRLF "." LF) with commands smuggled after them.

#include "corpus/generator.hpp"
#include "corpus/random.hpp"
#include "model/profile.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace smtpspec::corpus
{

/** The kinds of dialogue the session generator writes. */
enum class session_kind
{
    valid,      ///< Transactions in the order 4.1.4 and 3.3 require.
    invalid,    ///< Commands out of sequence, malformed and over-long lines.
    pipelined,  ///< Valid, with MAIL, RCPT... and DATA sent as one group (RFC 2920).
    data_trap,  ///< Mail data holding a false end of data, then smuggled commands.
};

/** @return the kind's name, e.g. "data_trap". */
const char* to_string(session_kind k) noexcept;

/** One client dialogue. */
struct session_sample
{
    session_kind kind = session_kind::valid;  ///< What it exercises.
    std::string bytes;                        ///< The client's octets, after the greeting.
    std::vector<int> expected;                ///< The model's first choice of reply per input.
    std::string summary;                      ///< The commands, one word each, for people.
};

/** Writes client dialogues from the model, reproducibly from a seed. */
class session_generator
{
public:
    /**
     * @param p the profile the model follows.
     * @param seed the seed; the same seed gives the same dialogues.
     */
    session_generator(const model::profile& p, std::uint64_t seed);

    /**
     * @param kind the kind of dialogue.
     * @return one dialogue of that kind.
     */
    session_sample next(session_kind kind);

private:
    struct builder;

    std::string line_of(const char* rule);
    std::string mail_line();
    std::string rcpt_line();
    std::string data_body(bool trap, std::string& summary);

    model::profile profile_;
    generator lines_;
    random_source rng_;
};

}  // namespace smtpspec::corpus

#endif  // SMTPSPEC_CORPUS_SESSION_HPP
