// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_DNS_CARES_RESOLVER_HPP
#define SMTPSPEC_REFERENCE_DNS_CARES_RESOLVER_HPP

#include "reference/dns/resolver.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace smtpspec::reference::dns
{

/** Where and how the c-ares resolver asks. */
struct cares_options
{
    /// IPv4 or IPv6 address of the DNS server; empty for the servers of the
    /// system's resolver configuration (never in tests).
    std::string server_address;
    std::uint16_t server_port = 53;            ///< Its UDP/TCP port.
    std::chrono::milliseconds timeout{2000};   ///< Wait for one try.
    int tries = 2;                             ///< Tries per query before "timeout".
};

/**
 * A resolver that sends real DNS queries with c-ares to one configured
 * server, and to that server only (the system's resolver configuration is
 * used only when no server is given). No search list is applied (5.1 R-5.1-3: names are
 * taken as fully qualified). CNAME chains that the server leaves unfinished
 * are followed with further queries, at most eight names in all.
 */
class cares_resolver final : public resolver
{
public:
    /**
     * @param options the server and the time limits.
     * @throws std::runtime_error when c-ares cannot be set up or the address is not numeric.
     */
    explicit cares_resolver(const cares_options& options);

    /** Releases the c-ares channel. */
    ~cares_resolver() override;

    cares_resolver(const cares_resolver&) = delete;
    cares_resolver& operator=(const cares_resolver&) = delete;

    /**
     * Sends one query (and, for an unfinished alias chain, a few more) and
     * waits for the answer.
     * @param name the name.
     * @param type the record type.
     * @return the answer; network problems are statuses, never exceptions.
     */
    answer query(std::string_view name, rr_type type) override;

private:
    /// Fills answer::detail for a timeout or an unreachable server.
    [[nodiscard]] answer with_detail(answer a) const;
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace smtpspec::reference::dns

#endif  // SMTPSPEC_REFERENCE_DNS_CARES_RESOLVER_HPP
