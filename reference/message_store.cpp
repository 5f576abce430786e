// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/message_store.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"

#include <ctime>

namespace smtpspec::reference
{

// RFC 5322 3.3 date-time with a numeric zone offset (4.4 R-4.4-10; local time
// per R-4.4-11 unless utc).
std::string date_time(long long unix_time, bool utc)
{
    const std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm broken{};
    if (utc) {
        gmtime_r(&t, &broken);
    } else {
        localtime_r(&t, &broken);
    }
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &broken);
    return std::string(buf, n);
}

store_result memory_store::store(const envelope& env, std::string_view data, std::string_view)
{
    messages_.push_back({env, std::string{data}});
    return {true, "mem" + std::to_string(messages_.size())};
}

store_result discard_store::store(const envelope&, std::string_view, std::string_view)
{
    store_result r{true, "discarded-" + std::to_string(++count_)};
    r.discarded = true;
    return r;
}

std::string address_literal(std::string_view address)
{
    constexpr std::string_view mapped = "::ffff:";
    if (address.find(':') == std::string_view::npos) {
        return "[" + std::string{address} + "]";
    }
    if (address.size() > mapped.size() && address.substr(0, mapped.size()) == mapped
        && address.find('.') != std::string_view::npos) {
        return "[" + std::string{address.substr(mapped.size())} + "]";
    }
    return "[IPv6:" + std::string{address} + "]";
}

std::string trace_header(const envelope& env, std::string_view server_name,
                         std::string_view id, long long unix_time)
{
    // 4.4: the delivering server adds Return-Path with the reverse-path, and
    // every server prepends a Received field (R-4.4-1, R-4.4-8, R-4.4-13).
    std::string out = "Return-Path: " + grammar::to_string(env.from) + "\r\n";
    out += "Received: from " + env.client_name;
    if (!env.peer_address.empty()) {
        // TCP-info of 4.4: the address the connection came from, as an
        // address-literal (4.1.3): IPv6 with its tag, an IPv4 address
        // mapped into IPv6 as the IPv4 address it is.
        out += " (" + address_literal(env.peer_address) + ")";
    }
    out += "\r\n\tby ";
    out += server_name;
    if (server_name.starts_with('[')) {
        // Extended-Domain of 4.4 takes an address-literal only with a
        // TCP-info after it: the server's own address once more.
        out += " (" + std::string{server_name} + ")";
    }
    out += " (smtpspec) with ";
    // RFC 3848: ESMTPS is ESMTP under STARTTLS, ESMTPA after AUTH, ESMTPSA
    // both; RFC 6531 4.3 puts UTF8 in front of SMTP for SMTPUTF8 (UTF8SMTP,
    // UTF8SMTPS, UTF8SMTPA, UTF8SMTPSA). HELO has none of these.
    // spec: rfc6531/3.7.3 implementation
    if (!env.extended) {
        out += "SMTP";
    } else {
        out += env.smtputf8 ? "UTF8SMTP" : "ESMTP";
        out += env.tls.empty() ? "" : "S";
        out += env.auth_user.empty() ? "" : "A";
    }
    if (!env.tls.empty()) {
        out += " (" + env.tls + ")";
    }
    // ID of 4.4 is an Atom or a msg-id: an id with dots (a Maildir file
    // name) becomes the msg-id <id@server>.
    out += " id ";
    out += grammar::is_atom(id) ? std::string{id} : "<" + std::string{id} + "@" + std::string{server_name} + ">";
    // R-4.4-6: a FOR clause names exactly one path.
    if (env.recipients.size() == 1) {
        out += "\r\n\tfor " + grammar::to_string(env.recipients.front());
    }
    out += ";\r\n\t" + date_time(unix_time) + "\r\n";
    return out;
}

}  // namespace smtpspec::reference
