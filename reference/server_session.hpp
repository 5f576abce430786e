// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_SERVER_SESSION_HPP
#define SMTPSPEC_REFERENCE_SERVER_SESSION_HPP

#include "grammar/extension.hpp"
#include "model/profile.hpp"
#include "model/state.hpp"
#include "reference/internal/client_script.hpp"
#include "reference/internal/data_reader.hpp"
#include "reference/internal/sasl.hpp"
#include "reference/data_budget.hpp"
#include "reference/message_store.hpp"
#include "reference/trace.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::model
{
struct transition;
struct outcome;
}  // namespace smtpspec::model

namespace smtpspec::reference
{

/** How a server session behaves. */
struct server_config
{
    std::string hostname = "smtpspec.localhost";  ///< Name in greeting, EHLO, Received.
    model::profile profile = model::rfc5321();    ///< Reading of the standard.
    std::string peer_address;                     ///< Client IP, for Received.
    std::uint64_t session_id = 1;                 ///< Number shown in the trace.
    /// Octets of one over-long command line read (and dropped) before the
    /// server gives up on the client and closes with 421 (known fault B38).
    std::size_t max_overlong_line = 64 * 1024;
    /// The network shell can run a TLS handshake (it has a certificate): with
    /// the profile's starttls switch, STARTTLS is offered; without, it gets 454.
    bool tls_available = false;

    /// Local domains, compared without case. Empty (the default): the server
    /// is a sink that takes every recipient. Otherwise recipients at other
    /// domains get 550 5.7.1: the server never relays.
    std::vector<std::string> local_domains;
    /// Mailboxes ("user@domain") at the local domains. A domain that has
    /// mailboxes here refuses its other local parts with 550 5.1.1; a local
    /// domain without any takes every local part. "<Postmaster>" and
    /// postmaster at each local domain are always taken (4.5.1).
    std::vector<std::string> mailboxes;
    /// Users and passwords for AUTH PLAIN and LOGIN (RFC 4954); AUTH is
    /// offered when these are set and the profile's auth switch is on.
    std::shared_ptr<const internal::credentials> credentials;
    /// Offer AUTH without TLS as well (RFC 4954 4 forbids plaintext passwords
    /// in clear by default; for loopback tests only).
    bool auth_without_tls = false;
    /// Refuse MAIL with 530 until the client has authenticated (RFC 4954 6).
    bool auth_required = false;
    /// Strict client-testing mode: every deviation of the client is recorded
    /// in the trace as a note starting "deviation:", with its requirement ids.
    bool strict_client = false;
    /// Scripted behaviours for testing clients (forced replies, multi-line
    /// replies); the delay and TLS failure are the network shell's part.
    std::shared_ptr<const internal::client_script> script;
    /// The memory for mail data that this session shares with the others
    /// of its server (see data_budget); null: each message is bounded only
    /// by the profile's size limit.
    std::shared_ptr<data_budget> budget;
};

/**
 * A message refused with 452 4.3.1 because the server's memory for mail
 * data was full (data_budget): an event for the network shell's log.
 */
struct memory_refusal
{
    std::size_t limit = 0;  ///< The budget's limit, in octets (--max-buffered).
    std::size_t held = 0;   ///< Octets all sessions held when the message was refused.
};

/**
 * The reference server's protocol engine, without I/O: octets in; replies,
 * stored messages and an annotated trace out.
 *
 * Every reply is chosen from the transitions model::step permits, so the
 * session cannot say what the model forbids. Command lines end only at CRLF
 * (2.3.8); mail data ends only at CRLF.CRLF (4.1.1.4); accepted messages are
 * handed to the store before the 250 is produced (6.1, WG #114).
 */
class server_session
{
public:
    /**
     * @param config the behaviour.
     * @param store where accepted messages go; must outlive the session.
     */
    server_session(server_config config, message_store& store);

    /**
     * A session that stores nothing itself: each accepted message is handed
     * to the caller (store_due(), take_message()), and its reply waits for
     * stored(). This is how a network shell commits messages off its event
     * loop, several sessions' messages at once (maildir_committer).
     * @param config the behaviour.
     */
    explicit server_session(server_config config);
    ~server_session();

    server_session(const server_session&) = delete;
    server_session& operator=(const server_session&) = delete;

    /** The connection is open: produces the greeting (3.1). */
    void start();

    /**
     * The connection is one more than the server serves at once: produces a
     * 421 instead of the greeting and closes (3.8, 4.3.2).
     */
    void start_overloaded();

    /**
     * Processes octets from the client, in any split.
     * @param bytes what was read.
     */
    void feed(std::string_view bytes);

    /** The client closed the connection: any open transaction is dropped (4.1.1.10). */
    void peer_closed();

    /** No command arrived in time (4.5.3.2.7): produces 421 and closes. */
    void timed_out();

    /** The server is shutting down (3.8): produces 421 and closes. */
    void shutting_down();

    /** @return octets to send to the client, and forgets them. */
    std::string take_output();

    /** @return trace events produced since the last call. */
    std::vector<trace_event> take_trace();

    /** @return true once the session has ended; send the output, then close. */
    [[nodiscard]] bool closed() const noexcept;

    /**
     * @return true after the 220 to STARTTLS: send the output, then run the
     *         TLS handshake as server and call tls_established(), or close
     *         the connection when it fails (RFC 3207 4). Until then feed()
     *         drops whatever it is given (known fault B07).
     */
    [[nodiscard]] bool tls_handshake_due() const noexcept;

    /**
     * The TLS handshake has completed: the session starts again as after
     * the greeting, with TLS, and forgets the client's EHLO (RFC 3207 4.2).
     * @param description the protocol and cipher ("TLSv1.3 TLS_AES_128_GCM_SHA256"),
     *        for the trace and the Received field; octets outside
     *        [A-Za-z0-9._:/-] and space are dropped.
     */
    void tls_established(std::string_view description);

    /**
     * The TLS handshake after the 220 to STARTTLS failed (or a script made
     * it fail): the trace says why, and the session ends like one whose
     * client went away, with no reply (RFC 3207 4: nothing can be said in
     * clear once the client has started TLS).
     * @param reason what went wrong, for the trace; octets outside
     *        [A-Za-z0-9._:/-], space, '(' and ')' are dropped.
     */
    void tls_failed(std::string_view reason);

    /**
     * @return true when an accepted message waits for the caller to store it
     *         (sessions made without a store only). Until stored() is called,
     *         feed() keeps what it is given and answers nothing.
     */
    [[nodiscard]] bool store_due() const noexcept { return to_store_.has_value(); }

    /** @return the accepted message that store_due() announced, and forgets it. */
    accepted_message take_message();

    /**
     * The caller's store has answered for the message from take_message():
     * produces the 250 (or 451 when it failed, 6.1 WG #114), then goes on
     * with the input already fed.
     * @param result the store's answer.
     */
    void stored(const store_result& result);

    /**
     * @return true while the session reads mail data: after the 354 to DATA
     *         until CRLF.CRLF, or the octets of a BDAT chunk (RFC 3030 2).
     *         The network shell counts octets of data as progress for the
     *         idle timeout; in commands only a complete line is.
     */
    [[nodiscard]] bool reading_data() const noexcept
    {
        return data_ != nullptr || chunk_.has_value() || skip_left_ > 0;
    }

    /**
     * @return one event for each message refused since the last call because
     *         the server's memory for mail data was full (452 4.3.1), for the
     *         network shell's log; forgets them.
     */
    std::vector<memory_refusal> take_memory_refusals();

    /** @return the model state the session is in. */
    [[nodiscard]] const model::state& state() const noexcept { return state_; }

private:
    /// @cond INTERNAL
    // The envelope being built by the open transaction. Kept out of the
    // generated documentation: Doxygen would link a "Classes" section for
    // this private struct that it never writes.
    struct transaction
    {
        envelope env;      // MAIL and RCPT so far.
        std::string bdat;  // Message data of the BDAT chunks accepted so far (RFC 3030).
        std::size_t declared_size = 0;  // MAIL's SIZE (RFC 1870), 0 when none.
    };
    /// @endcond

    void process();
    bool read_chunk();
    bool read_data();
    bool process_command_bytes();
    void handle_line(std::string_view line);
    void handle_command(const grammar::command& cmd, const model::outcome& out);
    void handle_mail(const grammar::mail_command& mail, const model::outcome& out);
    void handle_rcpt(const grammar::rcpt_command& rcpt, const model::outcome& out);
    std::vector<std::string> ehlo_keywords() const;
    void handle_extension(const grammar::extension_command& cmd, std::string_view line);
    void handle_auth(const grammar::auth_command& auth, const model::outcome& out);
    void auth_response(std::string_view line);
    void auth_status(internal::sasl_exchange::status status);
    bool auth_offered() const noexcept;
    bool scripted(std::string_view verb, const model::outcome& out);
    void deviation(std::string text, const spec::ref& why);
    void finish_data();
    void finish_chunk();
    void skip_refused_chunk(std::string_view body);
    void store_message(const model::outcome& out, std::string data);
    void refuse_for_memory(const model::outcome& out);
    void answer_store(const model::outcome& out, const store_result& result);
    void reply(int code, std::vector<std::string> lines, const spec::ref& why);
    void reply(const model::transition& t, std::vector<std::string> lines);
    void note(std::string text, const spec::ref& why);
    void close_with_421(std::string_view text, const spec::ref& why);
    std::size_t held_octets() const noexcept;
    void charge();
    std::string enhanced(std::string_view code) const;

    server_config config_;
    message_store* store_;  // Null: the caller stores (store_due()).
    model::state state_;
    std::string input_;
    std::string output_;
    std::vector<trace_event> trace_;
    std::string client_name_;  // Domain of the last accepted EHLO or HELO.
    std::string tls_;          // Protocol and cipher once TLS is active.
    std::unique_ptr<transaction> transaction_;
    std::unique_ptr<internal::data_reader> data_;
    std::optional<grammar::bdat_command> chunk_;  // BDAT whose octets are being read.
    std::uint64_t chunk_left_ = 0;                // Octets of it still to come.
    std::string chunk_data_;                      // Those read, up to the size limit.
    std::uint64_t skip_left_ = 0;  // Octets of a refused BDAT line's chunk still to drop.
    bool chunk_too_big_ = false;                  // The message outgrew the limit.
    bool discarding_ = false;
    std::size_t discarded_ = 0;
    std::unique_ptr<internal::sasl_exchange> sasl_;  // AUTH exchange under way.
    std::unique_ptr<model::outcome> auth_outcome_;   // What the model allowed for it.
    std::string auth_user_;                          // Authenticated user (RFC 4954).
    std::map<std::string, unsigned, std::less<>> seen_;  // Verbs seen, for the script.
    std::optional<accepted_message> to_store_;        // Accepted, not yet taken.
    std::size_t storing_octets_ = 0;  // Memory of the message taken, until stored().
    std::size_t charged_ = 0;         // Octets counted against config_.budget.
    bool over_budget_ = false;        // The budget had no room: the message is dropped.
    std::vector<memory_refusal> memory_refusals_;  // Answered 452 4.3.1 for that, not taken.
    std::unique_ptr<model::outcome> store_outcome_;   // What the model allows once stored.
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_SERVER_SESSION_HPP
