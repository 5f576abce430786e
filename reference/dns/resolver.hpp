// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_DNS_RESOLVER_HPP
#define SMTPSPEC_REFERENCE_DNS_RESOLVER_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::dns
{

/** The record types the client asks for (section 5.1). */
enum class rr_type
{
    mx,     ///< Mail exchanger (RFC 1035 3.3.9).
    a,      ///< IPv4 address.
    aaaa,   ///< IPv6 address (RFC 3596).
    cname,  ///< Canonical name (alias).
};

/** How a query ended. */
enum class status
{
    ok,           ///< At least one record of the type asked for.
    nxdomain,     ///< The name does not exist (RCODE 3).
    nodata,       ///< The name exists but has no record of that type.
    servfail,     ///< The server failed or refused; worth asking again later.
    timeout,      ///< No answer in time; worth asking again later.
    unreachable,  ///< No answer: the server's port refused the query; worth asking later.
};

/** One MX record. */
struct mx_record
{
    std::uint16_t preference = 0;  ///< Lower is preferred (5.1).
    std::string exchange;          ///< Target host, without the final dot; "" for "." (null MX).

    friend bool operator==(const mx_record&, const mx_record&) = default;
};

/** The answer to one query. */
struct answer
{
    dns::status status = dns::status::nxdomain;  ///< How the query ended.
    /// Aliases followed from the name asked for: each entry is the target of
    /// one CNAME, in order; empty when the name is not an alias.
    std::vector<std::string> cname_chain;
    std::vector<mx_record> mx;           ///< MX records, in the order received.
    std::vector<std::string> addresses;  ///< A or AAAA records as text, in the order received.
    /// For timeout and unreachable: which server did not answer and how, for
    /// people ("no answer from DNS server 127.0.0.1:53 (refused)"); may be empty.
    std::string detail;
};

/**
 * @param s a status.
 * @return its name: "ok", "nxdomain", "nodata", "servfail", "timeout" or
 *         "unreachable".
 */
std::string_view to_string(status s) noexcept;

/**
 * @param t a record type.
 * @return its mnemonic: "MX", "A", "AAAA" or "CNAME".
 */
std::string_view to_string(rr_type t) noexcept;

/**
 * @param s a status.
 * @return true for servfail, timeout and unreachable, the failures that may
 * pass (5.1 R-5.1-5: the message is queued and retried).
 */
constexpr bool is_temporary(status s) noexcept
{
    return s == status::servfail || s == status::timeout || s == status::unreachable;
}

/**
 * Lower-cases ASCII letters and drops one final dot, so that names compare
 * as the DNS compares them (RFC 1035 2.3.3).
 * @param name a domain name.
 * @return the name in that form.
 */
std::string normalize_name(std::string_view name);

/**
 * Asks the DNS. The routing code sees the DNS only through this interface:
 * a table in tests, c-ares in production.
 */
class resolver
{
public:
    virtual ~resolver() = default;

    /**
     * Asks for the records of one type, following CNAMEs as a recursive
     * server does (the aliases are reported in answer::cname_chain).
     * @param name a fully qualified domain name, with or without final dot.
     * @param type the record type.
     * @return the answer; errors are statuses, never exceptions.
     */
    virtual answer query(std::string_view name, rr_type type) = 0;
};

}  // namespace smtpspec::reference::dns

#endif  // SMTPSPEC_REFERENCE_DNS_RESOLVER_HPP
