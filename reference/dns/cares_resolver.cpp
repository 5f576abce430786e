// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/dns/cares_resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <sys/select.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace smtpspec::reference::dns
{

namespace
{
/// The most names one query() visits when it has to finish an alias chain.
constexpr int max_names = 8;

/// DNS header size and field offsets (RFC 1035 4.1.1).
constexpr int header_octets = 12;

int wire_type(rr_type t)
{
    switch (t) {
    case rr_type::mx: return ns_t_mx;
    case rr_type::a: return ns_t_a;
    case rr_type::aaaa: return ns_t_aaaa;
    case rr_type::cname: return ns_t_cname;
    }
    return ns_t_a;
}

int read16(const unsigned char* p) { return (p[0] << 8) | p[1]; }

/// One resource record of the answer section, owner and data decoded.
struct record
{
    std::string owner;
    int type = 0;
    std::string name;     ///< CNAME target or MX exchange.
    int preference = 0;   ///< MX only.
    std::string address;  ///< A or AAAA as text.
};

/// Reads a possibly compressed name at p; advances p. False on a bad message.
bool read_name(const unsigned char*& p, const unsigned char* buf, int len, std::string& out)
{
    char* s = nullptr;
    long used = 0;
    if (ares_expand_name(p, buf, len, &s, &used) != ARES_SUCCESS) {
        return false;
    }
    out = normalize_name(s);
    ares_free_string(s);
    p += used;
    return true;
}

/// Decodes the answer section; records of other classes or types are skipped.
bool parse_answers(const unsigned char* buf, int len, std::vector<record>& out)
{
    if (buf == nullptr || len < header_octets) {
        return false;
    }
    const unsigned char* end = buf + len;
    const int questions = read16(buf + 4);
    const int answers = read16(buf + 6);
    const unsigned char* p = buf + header_octets;
    std::string name;
    for (int i = 0; i < questions; ++i) {
        if (!read_name(p, buf, len, name) || end - p < 4) {
            return false;
        }
        p += 4;
    }
    for (int i = 0; i < answers; ++i) {
        record r;
        if (!read_name(p, buf, len, r.owner) || end - p < 10) {
            return false;
        }
        r.type = read16(p);
        const int klass = read16(p + 2);
        const int rdlength = read16(p + 8);
        p += 10;
        if (end - p < rdlength) {
            return false;
        }
        const unsigned char* rdata = p;
        p += rdlength;
        if (klass != ns_c_in) {
            continue;
        }
        char text[INET6_ADDRSTRLEN] = {};
        if (r.type == ns_t_cname) {
            if (!read_name(rdata, buf, len, r.name)) {
                return false;
            }
        } else if (r.type == ns_t_mx && rdlength >= 3) {
            r.preference = read16(rdata);
            rdata += 2;
            if (!read_name(rdata, buf, len, r.name)) {
                return false;
            }
        } else if (r.type == ns_t_a && rdlength == 4) {
            r.address = inet_ntop(AF_INET, rdata, text, sizeof text);
        } else if (r.type == ns_t_aaaa && rdlength == 16) {
            r.address = inet_ntop(AF_INET6, rdata, text, sizeof text);
        } else {
            continue;
        }
        out.push_back(std::move(r));
    }
    return true;
}

status status_of(int ares_status)
{
    switch (ares_status) {
    case ARES_SUCCESS: return status::ok;
    case ARES_ENOTFOUND: return status::nxdomain;
    case ARES_ENODATA: return status::nodata;
    case ARES_ETIMEOUT: return status::timeout;
    // No server answered: the port refused (ICMP unreachable) or the
    // connection failed. Not a SERVFAIL, which is an answer.
    case ARES_ECONNREFUSED: return status::unreachable;
    default: return status::servfail;
    }
}

struct reply
{
    bool finished = false;
    int status = ARES_SUCCESS;
    std::vector<unsigned char> message;
};

void on_reply(void* arg, int st, int /*timeouts*/, unsigned char* abuf, int alen)
{
    auto* r = static_cast<reply*>(arg);
    r->finished = true;
    r->status = st;
    if (abuf != nullptr && alen > 0) {
        r->message.assign(abuf, abuf + alen);
    }
}

std::once_flag library_once;
}  // namespace

struct cares_resolver::impl
{
    ares_channel channel = nullptr;
    std::chrono::milliseconds limit{0};
    std::string server = "the system's DNS servers";  ///< Who is asked, for messages.

    /// Sends one query and waits; the loop is bounded by the channel's own
    /// timeout and tries, and by a wall-clock limit as a backstop.
    reply ask(const std::string& name, int type)
    {
        reply r;
        ares_query(channel, name.c_str(), ns_c_in, type, on_reply, &r);
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!r.finished) {
            fd_set readers;
            fd_set writers;
            FD_ZERO(&readers);
            FD_ZERO(&writers);
            const int nfds = ares_fds(channel, &readers, &writers);
            if (nfds == 0 || std::chrono::steady_clock::now() > deadline) {
                ares_cancel(channel);  // Calls on_reply with ARES_ECANCELLED.
                if (!r.finished) {
                    r.finished = true;
                    r.status = ARES_ETIMEOUT;
                }
                if (r.status == ARES_ECANCELLED) {
                    r.status = ARES_ETIMEOUT;
                }
                break;
            }
            timeval most{0, 200 * 1000};
            timeval tv{};
            timeval* wait = ares_timeout(channel, &most, &tv);
            select(nfds, &readers, &writers, nullptr, wait);
            ares_process(channel, &readers, &writers);
        }
        return r;
    }
};

cares_resolver::cares_resolver(const cares_options& options)
    : impl_(std::make_unique<impl>())
{
    std::call_once(library_once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options o{};
    o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
    o.timeout = static_cast<int>(options.timeout.count());
    o.tries = options.tries;
    const int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    if (ares_init_options(&impl_->channel, &o, mask) != ARES_SUCCESS) {
        throw std::runtime_error("c-ares: cannot create a resolver channel");
    }
    impl_->limit = options.timeout * (options.tries + 1);
    if (options.server_address.empty()) {
        return;
    }
    const bool v6 = options.server_address.find(':') != std::string::npos;
    const std::string server = (v6 ? "[" + options.server_address + "]" : options.server_address)
        + ":" + std::to_string(options.server_port);
    impl_->server = "DNS server " + server;
    if (ares_set_servers_ports_csv(impl_->channel, server.c_str()) != ARES_SUCCESS) {
        ares_destroy(impl_->channel);
        throw std::runtime_error("c-ares: not a numeric DNS server address: " + server);
    }
}

cares_resolver::~cares_resolver() { ares_destroy(impl_->channel); }

answer cares_resolver::with_detail(answer a) const
{
    if (a.status == status::timeout || a.status == status::unreachable) {
        a.detail = "no answer from " + impl_->server + " (" +
                   (a.status == status::timeout ? "timeout" : "refused") + ")";
    }
    return a;
}

answer cares_resolver::query(std::string_view name, rr_type type)
{
    answer out;
    std::string current = normalize_name(name);
    const int wanted = wire_type(type);
    for (int visited = 0; visited < max_names; ++visited) {
        const reply r = impl_->ask(current, wanted);
        std::vector<record> records;
        const bool parsed = parse_answers(r.message.data(), static_cast<int>(r.message.size()),
                                          records);
        std::map<std::string, std::string> aliases;
        for (const auto& rec : records) {
            if (rec.type == ns_t_cname) {
                aliases[rec.owner] = rec.name;
            }
        }
        if (type == rr_type::cname) {
            if (const auto it = aliases.find(current); it != aliases.end()) {
                out.cname_chain.push_back(it->second);
                out.status = status::ok;
            } else {
                out.status = r.status == ARES_SUCCESS ? status::nodata : status_of(r.status);
            }
            return with_detail(std::move(out));
        }
        // Follow the chain the server gave, bounded by the number of records.
        const std::size_t chain_before = out.cname_chain.size();
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto it = aliases.find(current);
            if (it == aliases.end()) {
                break;
            }
            current = it->second;
            out.cname_chain.push_back(current);
        }
        for (const auto& rec : records) {
            if (rec.owner != current || rec.type != wanted) {
                continue;
            }
            if (type == rr_type::mx) {
                out.mx.push_back({static_cast<std::uint16_t>(rec.preference), rec.name});
            } else {
                out.addresses.push_back(rec.address);
            }
        }
        if (!out.mx.empty() || !out.addresses.empty()) {
            out.status = status::ok;
            return out;
        }
        if (r.status != ARES_SUCCESS) {
            out.status = status_of(r.status);
            return with_detail(std::move(out));
        }
        if (!parsed) {
            out.status = status::servfail;  // A malformed answer.
            return out;
        }
        if (out.cname_chain.size() == chain_before) {
            out.status = status::nodata;
            return out;
        }
        // The server answered with an alias only: ask again for its target.
    }
    out.status = status::servfail;
    return out;
}

}  // namespace smtpspec::reference::dns
