// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_LINT_INTERNAL_LINTER_HPP
#define SMTPSPEC_LINT_INTERNAL_LINTER_HPP

#include "grammar/command.hpp"
#include "grammar/reply.hpp"
#include "lint/lint.hpp"
#include "model/step.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::lint::internal
{

/**
 * The linter's state over one input: the model state, the commands that wait
 * for their replies (so that pipelined groups pair up in order), the lines
 * held back because they were sent before the reply to DATA, STARTTLS or
 * QUIT, and the reply being read.
 */
class linter
{
public:
    /** @param opts the profile. */
    explicit linter(const options& opts);

    /** A connection opens: the server owes its greeting. @param line input line. */
    void connect(std::size_t line);

    /**
     * Octets the client sent. @param octets the octets. @param line input line.
     */
    void client(std::string_view octets, std::size_t line);

    /**
     * Octets the server sent. @param octets the octets. @param line input line.
     */
    void server(std::string_view octets, std::size_t line);

    /**
     * A reply known only by its code (a script's "expect").
     * @param code three digits, or digits and "x". @param line input line.
     */
    void expect_reply(std::string_view code, std::size_t line);

    /** The server closed the connection. @param line input line. */
    void server_closed(std::size_t line);

    /** The TLS handshake completed. @param line input line. */
    void tls(std::size_t line);

    /** The connection ends (end of input, or a reconnect). @param line input line. */
    void finish(std::size_t line);

    /** @return true while a command waits for its reply. */
    [[nodiscard]] bool awaiting_reply() const noexcept { return !pending_.empty(); }

    /** @return the result; the linter is spent. */
    result take() { return std::move(out_); }

private:
    static constexpr std::size_t no_slot = std::numeric_limits<std::size_t>::max();

    enum class kind
    {
        greeting,
        ehlo,
        helo,
        data,
        starttls,
        quit,
        state_query,  ///< VRFY, EXPN, NOOP: last in a pipelined group (RFC 2920 3.1).
        other,
        skip,  ///< BDAT whose chunk is still being read.
    };

    struct pending
    {
        model::input in;
        std::size_t slot = no_slot;
        kind what = kind::other;
        bool grouped = false;  ///< Sent before the previous command's reply came.
    };

    std::size_t add_line(side from, std::string octets, std::size_t line);
    void flag(finding f);
    [[nodiscard]] bool offered(std::string_view keyword) const;
    [[nodiscard]] bool barrier_pending() const;

    void end_chunk(std::size_t line);
    void classify(std::size_t slot, bool replay);
    void hold(std::size_t slot);
    void release_held();
    void check_group(std::size_t at);
    void command_line(std::size_t slot);
    void parse_command_line(const std::string& line, annotated_line& a, pending& p);
    bool lenient_command(const std::string& line, annotated_line& a, pending& p);
    void check_command(const grammar::command& c, std::size_t at);
    void check_parameter(const grammar::esmtp_param& param,
                         const std::optional<grammar::syntax_error>& error, std::size_t at,
                         bool rcpt);
    bool check_xtext(const grammar::esmtp_param& param, std::size_t at);
    static kind kind_of(const grammar::command& c) noexcept;
    void data_line(std::size_t slot);

    void server_line(std::size_t slot);
    void check_reply_text(const grammar::reply_line& r, std::string_view octets, std::size_t line);
    void complete_reply(int code, std::size_t line);
    void unsolicited_reply(int code, std::size_t line);
    void judge_reply(const pending& p, int code, std::size_t line);
    void check_sequence(const pending& p, const model::outcome& o);

    model::profile profile_;
    model::state st_;
    result out_;
    std::deque<pending> pending_;
    std::vector<std::size_t> held_;

    std::string client_buffer_;
    std::string server_buffer_;
    std::uint64_t chunk_left_ = 0;
    std::string chunk_;
    model::input chunk_command_;

    std::vector<std::size_t> reply_slots_;  ///< Lines of the reply being read.
    std::vector<std::string> reply_keywords_;
    int reply_first_code_ = 0;
    bool mixed_codes_flagged_ = false;
    bool reply_malformed_ = false;       ///< A line of the reply being read failed the grammar.
    std::vector<std::string> keywords_;  ///< EHLO keywords in force.

    bool reading_data_ = false;  ///< Client lines are mail data (354 came, no "." yet).
    bool eight_bit_ = false;     ///< The MAIL asked for BODY=8BITMIME (or BINARYMIME).
    bool eight_bit_flagged_ = false;
    std::string smuggling_fault_;  ///< Known-fault id of this message's look-alike end.
    bool smuggling_flagged_ = false;

    bool quit_sent_ = false;
    bool sent_anything_ = false;
    bool warned_greeting_ = false;
    std::size_t flagged_barrier_ = no_slot;
    std::size_t flagged_group_ = no_slot;
    std::size_t dropped_before_tls_ = 0;
    std::size_t session_line_ = 1;
    std::size_t last_line_ = 1;
};

}  // namespace smtpspec::lint::internal

#endif  // SMTPSPEC_LINT_INTERNAL_LINTER_HPP
