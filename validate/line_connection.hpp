// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_LINE_CONNECTION_HPP
#define SMTPSPEC_VALIDATE_LINE_CONNECTION_HPP

#include "validate/endpoint.hpp"
#include "validate/server_reply.hpp"
#include "validate/transcript.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>

namespace smtpspec::validate
{

/** Bounds on what one connection reads and keeps. */
struct connection_limits
{
    /// Longest reply line accepted, with its line ending. 4.5.3.1.5 sets
    /// 512 octets; servers exceed it, so the prober allows more.
    std::size_t max_line_octets = 64U * 1024U;
    /// Most lines in one reply.
    std::size_t max_reply_lines = 1000;
    /// Most octets kept in the transcript.
    std::size_t transcript_octets = transcript::default_limit;
};

/**
 * A blocking TCP connection to one SMTP server, for the prober: sends
 * command lines, reads complete (possibly multi-line) replies, and records
 * every octet in a transcript.
 *
 * Every operation is bounded: each read and write waits at most the read
 * timeout (and never past the deadline, if one is set), a line longer than
 * connection_limits::max_line_octets or a reply of more than
 * connection_limits::max_reply_lines lines ends the read with an error, and the
 * transcript is bounded too.
 * It connects only to the numeric endpoint it is given; it never resolves
 * names.
 *
 * Errors are reported through std::error_code: asio::error::timed_out,
 * asio::error::eof (the server closed), std::errc::message_size (a bound
 * was hit), asio::error::not_connected, or the socket's own error.
 */
class line_connection
{
public:
    /// The clock deadlines are measured on.
    using clock = std::chrono::steady_clock;

    /**
     * @param read_timeout the longest wait for any single read or write.
     * @param bounds size bounds.
     */
    explicit line_connection(std::chrono::milliseconds read_timeout,
                             connection_limits bounds = connection_limits{});
    ~line_connection();
    line_connection(const line_connection&) = delete;
    line_connection& operator=(const line_connection&) = delete;

    /**
     * Opens the TCP connection, waiting at most the read timeout.
     * @param to the server.
     * @param ec set on failure.
     */
    void connect(const endpoint& to, std::error_code& ec);

    /**
     * Sends octets exactly as given (no line ending added).
     * @param octets what to send; recorded line by line in the transcript.
     * @param ec set on failure.
     */
    void send(std::string_view octets, std::error_code& ec);

    /**
     * Sends a command line: the text followed by CRLF.
     * @param line the command without its CRLF.
     * @param ec set on failure.
     */
    void send_line(std::string_view line, std::error_code& ec);

    /**
     * Reads one complete reply: lines up to the first one whose fourth octet
     * is not "-" (4.2.1), or only the first line when it has no three-digit
     * code. Each line is checked with grammar::parse_reply_line.
     * @param ec set on timeout, close, a bound being hit, or a socket error.
     * @return the lines read; possibly incomplete when ec is set, with the
     *         octets of a line that had begun and not ended in
     *         server_reply::unterminated.
     * @see RFC 5321 4.2, 4.2.1
     */
    server_reply read_reply(std::error_code& ec);

    /**
     * Waits until at least one octet from the server is buffered (within
     * the read timeout or the deadline), reading none of it as a line: a
     * reply that starts now can still be read whole by read_reply(), with
     * its own timeout, however its octets are split.
     * @param ec set on timeout (nothing came), close or a socket error.
     * @return true when octets are buffered.
     */
    bool await_octets(std::error_code& ec);

    /**
     * Waits for the server to close the connection, recording anything it
     * still sends.
     * @param ec set on a socket error other than the close itself.
     * @return true when the server closed within the read timeout.
     */
    bool wait_for_close(std::error_code& ec);

    /**
     * Sets a point in time after which every operation fails with timed_out;
     * it shortens the read timeout, never lengthens it.
     * @param when the deadline.
     */
    void set_deadline(clock::time_point when) noexcept;

    /**
     * Changes the longest wait for a single read or write, for the cases
     * that wait out the server's own timeouts (4.5.3.2).
     * @param timeout the new read timeout.
     */
    void set_read_timeout(std::chrono::milliseconds timeout) noexcept;

    /** Removes the deadline: only the read timeout bounds operations. */
    void clear_deadline() noexcept;

    /** @return the deadline set last, if any. */
    [[nodiscard]] std::optional<clock::time_point> deadline() const noexcept;

    /**
     * Runs a TLS client handshake on the open connection (after a 220 to
     * STARTTLS, RFC 3207 4); later sends and reads go through TLS. The
     * server's certificate is not verified: the prober judges the SMTP
     * dialogue, not the certificate. Octets the server sent in clear after
     * its 220 and before the handshake are an error (RFC 3207 4.2).
     * @param ec set on failure, or to std::errc::protocol_error when clear
     *        octets were pending.
     */
    void start_tls(std::error_code& ec);

    /** @return true once start_tls() succeeded. */
    [[nodiscard]] bool tls_active() const noexcept;

    /**
     * Tells the server nothing more will come (a TCP half-close, FIN) while
     * its replies can still be read. Clear text only: over TLS it sets ec
     * to operation_not_supported and changes nothing.
     * @param ec set on failure.
     */
    void shutdown_send(std::error_code& ec);

    /** Closes the socket; safe to call more than once. */
    void close() noexcept;

    /** @return true while the socket is open. */
    [[nodiscard]] bool is_open() const noexcept;

    /** @return the transcript so far. */
    [[nodiscard]] const transcript& log() const noexcept;

    /**
     * Adds a note of the prober to the transcript.
     * @param text the note.
     */
    void note(std::string_view text);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_LINE_CONNECTION_HPP
