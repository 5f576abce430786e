// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_DATA_BUDGET_HPP
#define SMTPSPEC_REFERENCE_DATA_BUDGET_HPP

#include <cstddef>

namespace smtpspec::reference
{

/**
 * The memory all sessions of one server may hold for mail data at once.
 *
 * The size limit bounds one message; this bounds their sum, so that many
 * clients sending large messages together cannot exhaust the machine. A
 * session counts the octets of mail data it holds against the budget as
 * they arrive (its buffers may take up to twice as much memory while they
 * grow);
 * when the budget has no room left, that session drops its message and
 * refuses it at the end of the data with 452 4.3.1 (insufficient system
 * storage, 4.2.3 and RFC 3463), a temporary failure the client retries.
 * For one thread (the event loop): not synchronised.
 */
class data_budget
{
public:
    /** @param limit octets that may be held together; 0 for no limit. */
    explicit data_budget(std::size_t limit) noexcept : limit_(limit) {}

    /**
     * @param n octets more to hold.
     * @return true when they fit (they are then counted); false, counting
     *         nothing, when they would pass the limit.
     */
    [[nodiscard]] bool take(std::size_t n) noexcept
    {
        if (limit_ != 0 && n > limit_ - held_) {
            return false;
        }
        held_ += n;
        return true;
    }

    /** @param n octets no longer held (at most what was taken). */
    void give(std::size_t n) noexcept { held_ -= n < held_ ? n : held_; }

    /** @return octets held now. */
    [[nodiscard]] std::size_t held() const noexcept { return held_; }
    /** @return the limit, 0 for none. */
    [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
    std::size_t held_ = 0;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_DATA_BUDGET_HPP
