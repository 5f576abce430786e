// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/delivery.hpp"

#include "grammar/parse.hpp"
#include "grammar/print.hpp"
#include "model/profile.hpp"
#include "reference/dns/cares_resolver.hpp"
#include "reference/route/resolve.hpp"
#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <random>

namespace smtpspec::tools
{

namespace
{
std::string lower(std::string text)
{
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

std::string upper(std::string text)
{
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return text;
}

/// An IPv4 or IPv6 address in text form (what the TLS code never sends as SNI).
bool numeric_address(const std::string& text)
{
    in6_addr any{};
    return inet_pton(AF_INET, text.c_str(), &any) == 1 ||
           inet_pton(AF_INET6, text.c_str(), &any) == 1;
}

/// The addresses of a --server host, in the system's order, each once; none
/// when it does not resolve.
std::vector<std::string> addresses_of(const std::string& host)
{
    if (numeric_address(host)) {
        return {host};
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) {
        return {};
    }
    std::vector<std::string> out;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* raw = a->ai_family == AF_INET
                              ? static_cast<const void*>(
                                    &reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr)
                              : static_cast<const void*>(
                                    &reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr);
        if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
            inet_ntop(a->ai_family, raw, text, sizeof text) != nullptr &&
            std::ranges::find(out, text) == out.end()) {
            out.emplace_back(text);
        }
    }
    freeaddrinfo(found);
    return out;
}

/// RFC 3461 4.1: "NEVER", or a comma list of SUCCESS, FAILURE and DELAY.
bool notify_value(const std::string& value)
{
    if (value == "NEVER") {
        return true;
    }
    std::size_t start = 0;
    while (start <= value.size()) {
        const auto comma = std::min(value.find(',', start), value.size());
        const std::string word = value.substr(start, comma - start);
        if (word != "SUCCESS" && word != "FAILURE" && word != "DELAY") {
            return false;
        }
        start = comma + 1;
    }
    return true;
}

/// The word for a recipient's state in messages and logs.
const char* state_name(const reference::net::recipient_outcome& r)
{
    using reference::net::recipient_state;
    return r.state == recipient_state::delivered   ? "delivered"
           : r.state == recipient_state::permanent ? "failed"
                                                   : "deferred";
}

/// One envelope through one route plan, the trace to stdout.
std::vector<reference::net::recipient_outcome>
deliver_plan(const delivery_settings& settings, const reference::route::plan& plan,
             std::uint16_t port, const reference::client_job& job, std::uint64_t& session_id)
{
    const auto format = trace_format_argument(settings.trace);
    reference::net::delivery_options options;
    options.port = port;
    options.reply_timeout = std::chrono::seconds{settings.timeout};
    options.connect_timeout = std::chrono::seconds{settings.connect_timeout};
    options.trust = settings.trust;
    options.on_trace = [format](const reference::trace_event& e) {
        std::cout << reference::format(e, format) << '\n';
    };
    reference::client_config config = client_config_of(settings);
    config.session_id = session_id;
    const auto result = reference::net::deliver(plan, job, config, options);
    session_id += std::max<std::size_t>(result.attempts.size(), 1);
    std::cout << std::flush;
    for (const auto& r : result.recipients) {
        using reference::net::recipient_state;
        std::string why = reference::net::describe(r);
        std::ranges::replace(why, '"', '\'');
        log_line(r.state == recipient_state::delivered ? "info" : "error",
                 "event=recipient to=" + grammar::to_string(r.to) + " state=" + state_name(r) +
                     " code=" + std::to_string(r.code) +
                     (r.where.empty() ? "" : " via=" + r.where) + " reply=\"" + why + "\"");
    }
    return result.recipients;
}
}  // namespace

grammar::path path_argument(const std::string& text, const std::string& what)
{
    std::string bare = text;
    if (bare.size() >= 2 && bare.front() == '<' && bare.back() == '>') {
        bare = bare.substr(1, bare.size() - 2);
    }
    auto parsed = grammar::parse_mailbox(bare);
    if (const auto* box = std::get_if<grammar::mailbox>(&parsed)) {
        return grammar::path{{}, *box};
    }
    auto error = std::get<grammar::syntax_error>(parsed);
    if (std::ranges::any_of(bare, [](char c) { return static_cast<unsigned char>(c) > 127; })) {
        // RFC 6531 3.3: the UTF-8 forms of Mailbox, read through the command grammar.
        grammar::parse_options options;
        options.smtputf8 = true;
        auto command = grammar::parse_command("RCPT TO:<" + bare + ">\r\n", options);
        if (const auto* c = std::get_if<grammar::command>(&command)) {
            if (const auto* rcpt = std::get_if<grammar::rcpt_command>(c)) {
                if (rcpt->to.value) {
                    return *rcpt->to.value;
                }
            }
        } else {
            error = std::get<grammar::syntax_error>(command);
            error.offset = error.offset >= 9 ? error.offset - 9 : 0;
        }
    }
    throw CLI::ValidationError(what, "\"" + text +
                                         "\" is not a Mailbox (RFC 5321 4.1.2, "
                                         "RFC 6531 3.3): " +
                                         error.message + " (rule " + error.rule + " at offset " +
                                         std::to_string(error.offset) + ")");
}

reference::client_config client_config_of(const delivery_settings& settings)
{
    reference::client_config config;
    // 4.1.1.1: the EHLO argument is a Domain or an address literal; check it
    // here rather than learn it from the server's 501.
    const auto helo_check = grammar::parse_command("EHLO " + settings.helo + "\r\n");
    if (const auto* error = std::get_if<grammar::syntax_error>(&helo_check)) {
        throw CLI::ValidationError("--helo", "\"" + settings.helo +
                                                 "\" is not a Domain or "
                                                 "address literal (RFC 5321 4.1.1.1): " +
                                                 error->message);
    }
    config.helo_name = settings.helo;
    if (settings.tls == "none") {
        config.tls = reference::tls_policy::none;
    } else if (settings.tls == "opportunistic") {
        config.tls = reference::tls_policy::opportunistic;
    } else if (settings.tls == "required") {
        config.tls = reference::tls_policy::required;
    } else {
        throw CLI::ValidationError("--tls", "\"" + settings.tls +
                                                "\" is not one of opportunistic, required, none");
    }
    config.use_bdat = settings.bdat;
    config.bdat_chunk_octets = settings.chunk_size;
    // Local files and contradictory flags are refused before any connection
    // is made, so that a typo is a usage error (exit 2) and never a
    // temporary failure that would queue the message.
    if (!settings.trust.ca_file.empty() && config.tls != reference::tls_policy::required) {
        throw CLI::ValidationError("--tls-ca", "the CA file " + settings.trust.ca_file +
                                                   " is used only with --tls required "
                                                   "(opportunistic TLS checks no certificate)");
    }
    if (settings.trust.insecure && config.tls != reference::tls_policy::required) {
        throw CLI::ValidationError("--tls-insecure",
                                   "is meaningful only with --tls required (opportunistic "
                                   "TLS checks no certificate)");
    }
    // The name has two uses: it is the name the certificate is checked for
    // (--tls required only), and, when it is a host name, it goes in the TLS
    // server name indication, by which a server with several names picks its
    // certificate. The SNI is sent under opportunistic TLS too, so the name is
    // kept there; an address is never sent as SNI, and --tls none has no TLS.
    if (!settings.trust.name.empty() && config.tls == reference::tls_policy::none) {
        throw CLI::ValidationError("--tls-name", "contradicts --tls none: no TLS is used, so no "
                                                 "certificate is checked and no server name "
                                                 "is sent");
    }
    if (!settings.trust.name.empty() && config.tls == reference::tls_policy::opportunistic &&
        numeric_address(settings.trust.name)) {
        throw CLI::ValidationError("--tls-name", "the address " + settings.trust.name +
                                                     " is meaningful only with --tls required "
                                                     "(opportunistic TLS checks no "
                                                     "certificate, and an address is not sent "
                                                     "as a server name)");
    }
    if (settings.trust.insecure && !settings.trust.ca_file.empty()) {
        throw CLI::ValidationError("--tls-insecure", "contradicts --tls-ca " +
                                                         settings.trust.ca_file +
                                                         ": no certificate is checked");
    }
    if (const std::string bad = reference::net::check_trust(settings.trust); !bad.empty()) {
        throw CLI::ValidationError("--tls-ca", bad);
    }
    if (!settings.server.empty() && !settings.dns_server.empty()) {
        // --server skips routing, so the DNS server would never be asked.
        throw CLI::ValidationError("--dns-server", "contradicts --server " + settings.server +
                                                       ": with --server nothing is routed "
                                                       "through the DNS; give one of them");
    }
    if (!settings.server.empty()) {
        (void)host_port_argument(settings.server, "--server");
    }
    if (!settings.dns_server.empty()) {
        (void)host_port_argument(settings.dns_server, "--dns-server");
    }
    config.dsn = settings.dsn;
    config.dsn.notify = upper(config.dsn.notify);
    config.dsn.ret = upper(config.dsn.ret);
    if (!config.dsn.notify.empty() && !notify_value(config.dsn.notify)) {
        throw CLI::ValidationError("--notify", "\"" + settings.dsn.notify +
                                                   "\" is not NEVER or a list of SUCCESS, "
                                                   "FAILURE, DELAY (RFC 3461 4.1)");
    }
    if (!config.dsn.ret.empty() && config.dsn.ret != "FULL" && config.dsn.ret != "HDRS") {
        throw CLI::ValidationError("--ret", "\"" + settings.dsn.ret +
                                                "\" is not FULL or HDRS (RFC 3461 4.3)");
    }
    const auto& envid = config.dsn.envid;
    if (envid.size() > 100 || std::ranges::any_of(envid, [](char c) {
            return static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126;
        })) {
        throw CLI::ValidationError("--envid", "the ENVID is printable US-ASCII of at most 100 "
                                              "characters (RFC 3461 4.4)");
    }
    return config;
}

int report_outcomes(const std::vector<reference::net::recipient_outcome>& outcomes,
                    const std::string& deferred_note)
{
    using reference::net::recipient_state;
    std::size_t counts[3] = {0, 0, 0};  // delivered, deferred, failed
    for (const auto& r : outcomes) {
        const std::size_t k = r.state == recipient_state::delivered   ? 0
                              : r.state == recipient_state::temporary ? 1
                                                                      : 2;
        ++counts[k];
        std::cerr << "smtpspec: " << grammar::to_string(r.to) << ": " << state_name(r) << ": "
                  << reference::net::describe(r)
                  << (k == 1 && !deferred_note.empty() ? "; " + deferred_note : "") << '\n';
    }
    if (counts[1] + counts[2] == 0) {
        return exit_ok;
    }
    std::cerr << "smtpspec: not delivered to every recipient: " << counts[0] << " delivered, "
              << counts[1] << " deferred, " << counts[2] << " failed\n";
    return counts[2] > 0 ? exit_failed : exit_connection;
}

std::vector<reference::net::recipient_outcome> deliver_job(const delivery_settings& settings,
                                                           const reference::client_job& job,
                                                           std::uint64_t& session_id)
{
    if (!settings.server.empty()) {
        // No routing: the given host and port, one target per address of
        // the host, so that the trace and the replies name the address
        // connected to (HOST[ADDR]).
        const auto server = host_port_argument(settings.server, "--server");
        reference::route::plan plan;
        plan.outcome = reference::route::outcome::targets;
        for (const std::string& address : addresses_of(server.host)) {
            plan.targets.push_back({server.host, address, 0});
        }
        if (plan.targets.empty()) {
            // The connection reports why the name does not resolve.
            plan.targets.push_back({server.host, server.host, 0});
        }
        return deliver_plan(settings, plan, server.port, job, session_id);
    }
    const auto profile = model::find_profile(settings.profile);
    if (!profile) {
        throw CLI::ValidationError("--profile", "unknown profile " + settings.profile +
                                                    " (rfc5321 or rfc5321bis)");
    }
    reference::dns::cares_options dns_options;
    if (!settings.dns_server.empty()) {
        const auto server = host_port_argument(settings.dns_server, "--dns-server");
        dns_options.server_address = server.host;
        dns_options.server_port = server.port;
    }
    dns_options.timeout = std::chrono::milliseconds{settings.dns_timeout_ms};
    reference::dns::cares_resolver resolver{dns_options};

    reference::route::options route_options;
    route_options.follow_cname_mx_targets = profile->follow_cname_mx_targets;
    route_options.own_names = {settings.helo};
    route_options.max_targets = settings.max_targets;
    std::mt19937_64 rng{settings.seeded ? settings.seed : std::random_device{}()};

    // Recipients of one domain share one transaction (4.5.4.1 R-4.5.4.1-9).
    std::map<std::string, std::vector<std::size_t>> by_domain;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < job.to.size(); ++i) {
        const auto& to = job.to[i];
        const std::string domain = to.value ? lower(to.value->box.domain) : std::string{};
        auto [it, added] = by_domain.try_emplace(domain);
        if (added) {
            order.push_back(domain);
        }
        it->second.push_back(i);
    }
    std::vector<reference::net::recipient_outcome> out(job.to.size());
    for (const auto& domain : order) {
        reference::client_job part{job.from, {}, job.message};
        for (const std::size_t i : by_domain.at(domain)) {
            part.to.push_back(job.to[i]);
        }
        const auto plan = reference::route::resolve(domain, resolver, route_options, rng);
        const auto outcomes = deliver_plan(settings, plan, settings.port, part, session_id);
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
            out[by_domain.at(domain)[k]] = outcomes[k];
        }
    }
    return out;
}

void add_delivery_options(CLI::App* sub, delivery_settings& s, bool dsn_options)
{
    sub->add_option("--server,--via", s.server,
                    "Server to deliver to, HOST:PORT; without it, each recipient domain is "
                    "routed through the DNS (RFC 5321 section 5)");
    sub->add_option("--dns-server", s.dns_server,
                    "DNS server for routing, ADDR:PORT (default: the system's resolvers)");
    sub->add_option("--profile", s.profile,
                    "Reading of the standard: rfc5321, rfc5321bis (WG #121: CNAME MX targets)")
        ->capture_default_str();
    sub->add_option("--port", s.port, "SMTP port of routed targets")
        ->check(whole_number(1, UINT16_MAX))
        ->capture_default_str();
    sub->add_option("--connect-timeout", s.connect_timeout,
                    "Seconds to wait for each TCP connection")
        ->check(whole_number(1, UINT32_MAX))
        ->capture_default_str();
    sub->add_option("--dns-timeout", s.dns_timeout_ms, "Milliseconds per DNS try")
        ->check(whole_number(1, UINT32_MAX))
        ->capture_default_str();
    // 5.1: a client tries more than one address of a domain when it can.
    sub->add_option("--max-targets", s.max_targets,
                    "Most addresses tried per domain (at least 2, RFC 5321 5.1)")
        ->check(whole_number(2, SIZE_MAX))
        ->capture_default_str();
    CLI::Option* seed = sub->add_option_function<std::uint64_t>(
        "--seed",
        [&s](std::uint64_t value) {
            s.seed = value;
            s.seeded = true;
        },
        "Seed for the random order of equal MX preferences (default: random)");
    seed->check(whole_number(0, UINT64_MAX));
    sub->add_option("--helo", s.helo, "Name the client gives in EHLO/HELO")->capture_default_str();
    sub->add_option("--trace", s.trace, "Trace format: text or json")->capture_default_str();
    // 0 would defer every delivery before the first reply could come.
    sub->add_option("--timeout", s.timeout, "Seconds to wait for each reply")
        ->check(whole_number(1, UINT32_MAX))
        ->capture_default_str();
    sub->add_option("--tls", s.tls,
                    "STARTTLS policy (RFC 3207): opportunistic (encrypt when offered, "
                    "certificate not checked), required (no mail in plain text; certificate "
                    "checked), none")
        ->capture_default_str();
    sub->add_option("--tls-ca", s.trust.ca_file,
                    "PEM file of CAs trusted under --tls required (default: the system's)");
    sub->add_option("--tls-name", s.trust.name,
                    "Name the server's certificate must carry under --tls required, and the "
                    "server name sent in the TLS handshake (SNI) when it is a host name "
                    "(default: the host connected to)");
    sub->add_flag("--tls-insecure", s.trust.insecure,
                  "Accept any certificate under --tls required: encryption without "
                  "authentication, for tests with self-signed certificates only");
    sub->add_flag("--bdat", s.bdat,
                  "Send the message with BDAT when the server offers CHUNKING (RFC 3030)");
    // A chunk is held in memory whole: up to 4 GiB, never a saturated 2^64-1.
    sub->add_option("--chunk-size", s.chunk_size, "Largest BDAT chunk in octets")
        ->check(whole_number(1, UINT32_MAX))
        ->capture_default_str();
    if (!dsn_options) {
        return;
    }
    sub->add_option("--notify", s.dsn.notify,
                    "DSN NOTIFY= for every RCPT: NEVER or SUCCESS,FAILURE,DELAY (RFC 3461; "
                    "sent only when the server offers DSN)");
    sub->add_option("--ret", s.dsn.ret, "DSN RET= on MAIL: FULL or HDRS");
    sub->add_option("--envid", s.dsn.envid, "DSN ENVID= on MAIL, sent as xtext");
    sub->add_flag("--orcpt", s.dsn.orcpt, "DSN ORCPT=rfc822;ADDRESS on every RCPT, as xtext");
}

}  // namespace smtpspec::tools
