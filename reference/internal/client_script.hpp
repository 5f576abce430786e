// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_CLIENT_SCRIPT_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_CLIENT_SCRIPT_HPP

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::internal
{

/**
 * One scripted reply: at the n-th time the client sends a verb, the server
 * answers with a chosen code instead of its own choice. Only codes the model
 * permits at that point are sent (the session checks with model::step); 421
 * always is (3.8), and closes the session.
 */
struct scripted_reply
{
    std::string verb;  ///< Upper-case verb, "GREETING" or "DATA-END" (after CRLF.CRLF).
    int code = 0;      ///< 4yz or 5yz.
    std::string text;  ///< Reply text; empty for a default text.
    unsigned nth = 1;  ///< Which occurrence (1 = the first); 0 = every one.
};

/** Behaviours a tester of a client switches on (the strict client-testing mode). */
struct client_script
{
    std::vector<scripted_reply> replies;  ///< Replies to force.
    bool multiline = false;               ///< Send every reply over at least two lines.
    std::chrono::milliseconds delay{0};   ///< Wait this long before each write.
    bool tls_failure = false;             ///< Close instead of running the TLS handshake.

    /**
     * @param verb an upper-case verb, "GREETING" or "DATA-END".
     * @param occurrence how many times it has been seen, counting this one.
     * @return the scripted reply for it, or nullptr.
     */
    [[nodiscard]] const scripted_reply* find(std::string_view verb, unsigned occurrence) const;
};

/**
 * Adds one rule, in the words of a script file line or a command-line option:
 * "reply VERB CODE [nth|every] [text...]", "close VERB [nth|every]" (a 421),
 * "delay MILLISECONDS", "multiline", "tls-failure". VERB is a command of
 * 4.1.1 (EHLO ... QUIT, any case), GREETING or DATA-END; CODE is 4yz or 5yz
 * with y from 0 to 5; nth counts from 1.
 * @param script the script to extend.
 * @param rule the words.
 * @throws std::invalid_argument naming what is wrong: an unknown rule or
 *         verb, a bad code, a count that is not 1 or more ("-1", "0", "2x"),
 *         or words after a rule that takes none.
 */
void add_rule(client_script& script, std::string_view rule);

/**
 * Reads a script file: one rule (as for add_rule) a line; empty lines and
 * lines starting with "#" are skipped.
 * @param file the file.
 * @return the script.
 * @throws std::runtime_error naming the file, line, rule and problem
 *         ("FILE:3: \"close RCPT -1\": expected an occurrence ...").
 */
client_script load_client_script(const std::filesystem::path& file);

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_CLIENT_SCRIPT_HPP
