// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_DATA_READER_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_DATA_READER_HPP

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace smtpspec::reference::internal
{

/**
 * Reads mail data octet by octet after a 354: removes the stuffing dot
 * (4.5.2) and stops exactly at CRLF "." CRLF (4.1.1.4), whatever the read
 * boundaries (known fault B05). A lone LF or CR never ends a line (2.3.8):
 * such octets are kept and flagged, so the server can refuse the message
 * once the real end of data arrives (B01-B03).
 */
class data_reader
{
public:
    /**
     * @param max_size octets of message kept; more only sets too_big().
     * @param expected octets the client said the message has (RFC 1870
     *        SIZE), or 0: room for them is made at once, so a large message
     *        is not copied each time its buffer grows. At most max_size and
     *        at most max_reserve are reserved, whatever the client said.
     */
    explicit data_reader(std::size_t max_size, std::size_t expected = 0) : max_size_(max_size)
    {
        message_.reserve(std::min({expected, max_size, max_reserve}));
    }

    /** Largest buffer made in advance for a declared SIZE, in octets. */
    static constexpr std::size_t max_reserve = 64 * 1024 * 1024;

    /**
     * @param bytes octets received.
     * @return how many were consumed: all of them, or fewer when the end of
     *         data was found (the rest belongs to the next command).
     */
    std::size_t consume(std::string_view bytes);

    /** @return true once CRLF.CRLF has been read. */
    [[nodiscard]] bool done() const noexcept { return done_; }
    /** @return the message so far, unstuffed, CRLF line endings. */
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    /** @return true when a LF not preceded by CR was seen. */
    [[nodiscard]] bool bare_lf() const noexcept { return bare_lf_; }
    /** @return true when a CR not followed by LF was seen. */
    [[nodiscard]] bool bare_cr() const noexcept { return bare_cr_; }
    /** @return true when the message outgrew max_size. */
    [[nodiscard]] bool too_big() const noexcept { return too_big_; }
    /**
     * Frees the message and keeps none of what follows; reading goes on to
     * the end of data all the same (the server refuses the message there).
     */
    void drop()
    {
        message_ = std::string{};
        max_size_ = 0;
        dropped_ = true;
    }
    /** @return true after drop(). */
    [[nodiscard]] bool dropped() const noexcept { return dropped_; }
    /** @return the message, moved out (the reader keeps an empty one). */
    [[nodiscard]] std::string take_message() noexcept { return std::move(message_); }
    /** @return the longest line seen, in octets with its CRLF, stuffing dot excluded. */
    [[nodiscard]] std::size_t longest_line() const noexcept { return longest_line_; }
    /** @return octets of mail data received, as on the wire. */
    [[nodiscard]] std::size_t wire_octets() const noexcept { return wire_octets_; }

private:
    void emit(char c);
    void emit_run(std::string_view run);
    void end_line();

    std::size_t max_size_;
    std::string message_;
    std::size_t wire_octets_ = 0;
    std::size_t line_length_ = 0;
    std::size_t longest_line_ = 0;
    bool at_line_start_ = true;  // The previous octets were CRLF (or DATA's CRLF).
    bool dot_pending_ = false;   // The line began with "."; not yet emitted.
    bool cr_pending_ = false;    // A CR was read; its meaning depends on the next octet.
    bool bare_lf_ = false;
    bool bare_cr_ = false;
    bool too_big_ = false;
    bool dropped_ = false;
    bool done_ = false;
};

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_DATA_READER_HPP
