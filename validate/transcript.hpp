// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_VALIDATE_TRANSCRIPT_HPP
#define SMTPSPEC_VALIDATE_TRANSCRIPT_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::validate
{

/** Who produced a transcript entry. */
enum class direction
{
    client,  ///< Octets the prober sent ("C:").
    server,  ///< Octets the server sent ("S:").
    note,    ///< A remark of the prober: connect, close, timeout ("#").
};

/** One entry: the exact octets of one line (with its line ending) or a note. */
struct transcript_entry
{
    direction from;      ///< Who produced it.
    std::string octets;  ///< Raw octets, unchanged.
};

/**
 * What was said on one connection, in order, with raw octets, bounded in
 * size: once the bound is reached further entries are dropped and a single
 * note says so.
 */
class transcript
{
public:
    /// Default bound on the octets kept per connection.
    static constexpr std::size_t default_limit = 256U * 1024U;

    /** An empty transcript bounded by default_limit. */
    transcript() = default;

    /** @param limit the most octets kept, summed over all entries. */
    explicit transcript(std::size_t limit) : limit_(limit) {}

    /**
     * Appends an entry, unless the size bound has been reached.
     * @param from who produced it.
     * @param octets the raw octets.
     */
    void add(direction from, std::string_view octets);

    /** @return the entries, in order. */
    [[nodiscard]] const std::vector<transcript_entry>& entries() const noexcept
    {
        return entries_;
    }

    /**
     * Renders the transcript for people: "C: ", "S: " or "# " before each
     * entry, the octets shown by reference::printable (CR and LF as "\r" and
     * "\n", other control octets as "\xHH").
     * @return one line per entry.
     */
    [[nodiscard]] std::string to_text() const;

private:
    std::vector<transcript_entry> entries_;
    std::size_t size_ = 0;
    std::size_t limit_ = default_limit;
    bool truncated_ = false;
};

}  // namespace smtpspec::validate

#endif  // SMTPSPEC_VALIDATE_TRANSCRIPT_HPP
