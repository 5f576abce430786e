// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_DNS_TABLE_RESOLVER_HPP
#define SMTPSPEC_REFERENCE_DNS_TABLE_RESOLVER_HPP

#include "reference/dns/resolver.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smtpspec::reference::dns
{

/** The records of one name in a table_resolver. */
struct table_entry
{
    std::string cname;                  ///< Alias target; when set, the name has no other data.
    std::vector<mx_record> mx;          ///< MX records.
    std::vector<std::string> a;         ///< IPv4 addresses.
    std::vector<std::string> aaaa;      ///< IPv6 addresses.
    std::optional<status> failure;      ///< servfail or timeout for every query of the name.
};

/**
 * A resolver answering from a table held in memory, for tests: no network.
 * A name absent from the table does not exist (nxdomain); CNAMEs are followed
 * as a recursive server does, at most eight in a row.
 */
class table_resolver final : public resolver
{
public:
    /**
     * Adds an MX record.
     * @param name the owner name.
     * @param preference the preference value.
     * @param exchange the target host; "." or "" for a null MX.
     * @return this table.
     */
    table_resolver& mx(std::string_view name, std::uint16_t preference, std::string_view exchange);

    /**
     * Adds an A record.
     * @param name the owner name.
     * @param address an IPv4 address as text.
     * @return this table.
     */
    table_resolver& a(std::string_view name, std::string_view address);

    /**
     * Adds an AAAA record.
     * @param name the owner name.
     * @param address an IPv6 address as text.
     * @return this table.
     */
    table_resolver& aaaa(std::string_view name, std::string_view address);

    /**
     * Makes a name an alias.
     * @param name the alias.
     * @param target the canonical name.
     * @return this table.
     */
    table_resolver& cname(std::string_view name, std::string_view target);

    /**
     * Makes every query of a name fail.
     * @param name the name.
     * @param how servfail or timeout.
     * @return this table.
     */
    table_resolver& fail(std::string_view name, status how);

    /**
     * Answers from the table.
     * @param name the name asked for.
     * @param type the type asked for.
     * @return the answer.
     */
    answer query(std::string_view name, rr_type type) override;

    /** @return every query asked so far, in order, with normalized names. */
    [[nodiscard]] const std::vector<std::pair<std::string, rr_type>>& queries() const noexcept
    {
        return queries_;
    }

private:
    std::map<std::string, table_entry> names_;
    std::vector<std::pair<std::string, rr_type>> queries_;
};

}  // namespace smtpspec::reference::dns

#endif  // SMTPSPEC_REFERENCE_DNS_TABLE_RESOLVER_HPP
