// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/client.hpp"

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>

namespace smtpspec::reference::net
{

namespace
{
using asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket&>;

/// A TLS client context: TLS 1.2 or later; the certificate checked against
/// @p trust when @p verify is set.
std::unique_ptr<asio::ssl::context> client_context(const tls_trust& trust, bool verify)
{
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                     | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                     | asio::ssl::context::no_tlsv1_1);
    if (!verify) {
        ctx->set_verify_mode(asio::ssl::verify_none);
        return ctx;
    }
    ctx->set_verify_mode(asio::ssl::verify_peer);
    if (trust.ca_file.empty()) {
        ctx->set_default_verify_paths();
    } else {
        ctx->load_verify_file(trust.ca_file);
    }
    return ctx;
}

/// Tells OpenSSL which name the certificate must carry, and sends it as SNI
/// when it is a host name.
void expect_name(tls_stream& tls, const std::string& name, bool verify)
{
    SSL* ssl = tls.native_handle();
    asio::error_code ec;
    (void)asio::ip::make_address(name, ec);
    const bool literal = !ec;
    if (!literal) {
        SSL_set_tlsext_host_name(ssl, name.c_str());
    }
    if (!verify) {
        return;
    }
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (literal) {
        X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    } else {
        X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    }
}

std::string describe(tls_stream& tls)
{
    const SSL* ssl = tls.native_handle();
    return std::string{SSL_get_version(ssl)} + " "
        + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
}

/// Runs the io_context until the operation finishes or the time is up; on
/// timeout the socket is closed, which ends the operation with an error.
bool run_for(asio::io_context& io, tcp::socket& socket, const bool& finished,
             std::chrono::seconds limit)
{
    io.restart();
    io.run_for(limit);
    if (finished) {
        return true;
    }
    asio::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();
    return false;
}
}  // namespace

std::string run_client(const client_options& options, client_session& session)
{
    asio::io_context io{1};
    tcp::socket socket{io};
    const auto emit = [&] {
        if (options.on_trace) {
            for (const auto& e : session.take_trace()) {
                options.on_trace(e);
            }
        } else {
            session.take_trace();
        }
    };

    asio::error_code ec;
    tcp::resolver resolver{io};
    const auto endpoints = resolver.resolve(options.server.host,
                                            std::to_string(options.server.port),
                                            tcp::resolver::numeric_service, ec);
    if (ec) {
        return "cannot resolve " + options.server.host + ": " + ec.message();
    }
    bool finished = false;
    asio::async_connect(socket, endpoints, [&](const asio::error_code& e, const tcp::endpoint&) {
        ec = e;
        finished = true;
    });
    if (!run_for(io, socket, finished, options.connect_timeout)) {
        return "timed out connecting to " + options.server.str();
    }
    if (ec) {
        return "cannot connect to " + options.server.str() + ": " + ec.message();
    }

    std::unique_ptr<asio::ssl::context> tls_context;
    std::unique_ptr<tls_stream> tls;
    std::array<char, 16 * 1024> buffer{};
    while (!session.done()) {
        const std::string out = session.take_output();
        emit();
        if (!out.empty()) {
            if (tls) {
                asio::write(*tls, asio::buffer(out), ec);
            } else {
                asio::write(socket, asio::buffer(out), ec);
            }
            if (ec) {
                session.peer_closed();
                break;
            }
            if (session.done()) {
                break;
            }
        }
        if (session.tls_handshake_due()) {
            // RFC 3207 4: the handshake starts right after the 220; what the
            // session was fed before it has been dropped (known fault B09).
            const bool verify = session.config().tls == tls_policy::required
                && !options.trust.insecure;
            try {
                tls_context = client_context(options.trust, verify);
            } catch (const std::exception& e) {
                session.tls_failed(std::string{"cannot load the CA file: "} + e.what());
                break;
            }
            tls = std::make_unique<tls_stream>(socket, *tls_context);
            expect_name(*tls,
                        options.trust.name.empty() ? options.server.host : options.trust.name,
                        verify);
            finished = false;
            tls->async_handshake(asio::ssl::stream_base::client, [&](const asio::error_code& e) {
                ec = e;
                finished = true;
            });
            if (!run_for(io, socket, finished, options.reply_timeout)) {
                session.tls_failed("timed out");
                break;
            }
            if (ec) {
                std::string why = ec.message();
                if (verify) {
                    const long result = SSL_get_verify_result(tls->native_handle());
                    if (result != X509_V_OK) {
                        why += std::string{" ("} + X509_verify_cert_error_string(result) + ")";
                    }
                }
                session.tls_failed(why);
                break;
            }
            session.tls_established(describe(*tls)
                                    + (verify ? ", certificate verified" : ", not verified"));
            continue;
        }
        std::size_t n = 0;
        finished = false;
        const auto on_read = [&](const asio::error_code& e, std::size_t k) {
            ec = e;
            n = k;
            finished = true;
        };
        if (tls) {
            tls->async_read_some(asio::buffer(buffer), on_read);
        } else {
            socket.async_read_some(asio::buffer(buffer), on_read);
        }
        if (!run_for(io, socket, finished, options.reply_timeout)) {
            emit();
            const auto cut = session.unfinished_reply();
            return "timed out waiting for a reply from " + options.server.str()
                + " (RFC 5321 4.5.3.2)"
                + (cut.empty() ? std::string{} : ", only " + reference::unfinished_reply(cut));
        }
        if (ec) {
            session.peer_closed();
            break;
        }
        session.feed(std::string_view{buffer.data(), n});
    }
    emit();
    tls.reset();
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return {};
}

std::string describe(const recipient_outcome& r)
{
    if (!r.text.empty() || (r.code != 0 && r.detail.empty())) {
        std::string out = std::to_string(r.code);
        for (std::size_t i = 0; i < r.text.size(); ++i) {
            out += (i == 0 ? " " : " / ") + r.text[i];
        }
        return r.where.empty() ? out : out + " (from " + r.where + ")";
    }
    std::string out = r.status;
    if (!r.detail.empty()) {
        out += (out.empty() ? "" : " ") + r.detail;
    }
    return out.empty() ? "no attempt made" : out;
}

std::string check_trust(const tls_trust& trust)
{
    if (trust.ca_file.empty()) {
        return {};
    }
    std::error_code ec;
    const auto status = std::filesystem::status(trust.ca_file, ec);
    if (!std::filesystem::exists(status)) {
        return "cannot load the CA file " + trust.ca_file + ": no such file";
    }
    if (std::filesystem::is_directory(status)) {
        return "cannot load the CA file " + trust.ca_file + ": it is a directory";
    }
    try {
        (void)client_context(trust, true);
    } catch (const std::exception& e) {
        return "cannot load the CA file " + trust.ca_file +
               " (no PEM certificate OpenSSL accepts, or unreadable): " + e.what();
    }
    return {};
}

bool delivery_result::delivered() const noexcept
{
    return std::ranges::all_of(recipients, [](const recipient_outcome& r) {
        return r.state == recipient_state::delivered;
    });
}

bool delivery_result::permanent_failure() const noexcept
{
    return std::ranges::any_of(recipients, [](const recipient_outcome& r) {
        return r.state == recipient_state::permanent;
    });
}

delivery_result deliver(const route::plan& plan, const client_job& job, client_config config,
                        const delivery_options& options)
{
    using spec::ref;
    delivery_result out;
    for (const auto& to : job.to) {
        out.recipients.push_back({to, recipient_state::temporary, 0, {}, {}, {}, {}});
    }
    const auto note = [&](std::string text, const ref& why) {
        if (options.on_trace) {
            options.on_trace({config.session_id, trace_source::note, std::move(text), why});
        }
    };
    for (const auto& n : plan.notes) {
        note(n.text, n.why);
    }
    if (plan.outcome != route::outcome::targets) {
        const bool permanent = plan.outcome == route::outcome::permanent;
        for (auto& r : out.recipients) {
            r.state = permanent ? recipient_state::permanent : recipient_state::temporary;
            r.code = plan.reply_code;
            r.status = plan.enhanced;
            r.detail = plan.error;
        }
        out.error = std::to_string(plan.reply_code) + " " + plan.enhanced + " " + plan.error;
        return out;
    }

    for (std::size_t t = 0; t < plan.targets.size(); ++t) {
        const route::target& target = plan.targets[t];
        if (t > 0) {
            ++config.session_id;  // One session number per connection, notes included.
        }
        client_job attempt_job;
        attempt_job.from = job.from;
        attempt_job.message = job.message;
        std::vector<std::size_t> index;  // attempt recipient -> job recipient
        for (std::size_t i = 0; i < out.recipients.size(); ++i) {
            if (out.recipients[i].state == recipient_state::temporary) {
                attempt_job.to.push_back(out.recipients[i].to);
                index.push_back(i);
            }
        }
        if (index.empty()) {
            break;
        }
        const std::string where = target.host + "[" + target.address + "]";
        note("attempt " + std::to_string(t + 1) + " of " + std::to_string(plan.targets.size())
                 + ": " + where + " port " + std::to_string(options.port) + ", preference "
                 + std::to_string(target.preference),
             ref{"5.1", {"R-5.1-11", "R-5.1-16"}});

        client_options connect;
        connect.server = host_port{target.address, options.port};
        connect.reply_timeout = options.reply_timeout;
        connect.connect_timeout = options.connect_timeout;
        connect.on_trace = options.on_trace;
        connect.trust = options.trust;
        if (connect.trust.name.empty()) {
            connect.trust.name = target.host;  // The name routing chose (MX or domain).
        }
        client_session session{config, attempt_job};
        delivery_attempt attempt{target, run_client(connect, session), session.result()};
        if (config.tls == tls_policy::opportunistic && attempt.result.tls_handshake_failed) {
            // spec: rfc3207/4 implementation
            // RFC 3207 4 has the client abort the connection whose handshake
            // failed; whether to try again in clear is local policy. TLS is
            // only opportunistic here, so one new connection without
            // STARTTLS delivers the message rather than leave it queued.
            out.attempts.push_back(attempt);
            ++config.session_id;
            note("the TLS handshake with " + where +
                     " failed and TLS is only opportunistic: "
                     "one new connection without STARTTLS; the message goes in clear (RFC "
                     "3207 4 ends the failed connection; retrying in clear is local policy)",
                 ref{"rfc3207/4"});
            client_config clear = config;
            clear.tls = tls_policy::none;
            client_session again{clear, std::move(attempt_job)};
            attempt = delivery_attempt{target, run_client(connect, again), again.result()};
        }

        const client_result& res = attempt.result;
        const bool session_ran = attempt.connection_error.empty();
        const int final_kind = res.final_code / 100;
        for (std::size_t k = 0; k < index.size(); ++k) {
            recipient_outcome& r = out.recipients[index[k]];
            const int rcpt_code = k < res.recipients.size() ? res.recipients[k].code : 0;
            if (rcpt_code != 0) {
                r.code = rcpt_code;
                r.text = res.recipients[k].text;
                r.where = where;
                r.status.clear();
                r.detail.clear();
            }
            if (!session_ran) {
                if (r.code == 0) {
                    // Stays temporary: the next target gets it.
                    r.status = "4.4.1";  // RFC 3463: no answer from the host.
                    r.detail = attempt.connection_error;
                }
                continue;
            }
            if (res.refused_locally) {
                // SIZE, 8BITMIME, SMTPUTF8 or line length: a try elsewhere or
                // later would send the same message (RFC 1870 6.1, RFC 6531 3.2).
                r.state = recipient_state::permanent;
                r.where = where;
                r.code = 0;
                r.text.clear();
                r.status = res.refused_status;
                r.detail = res.error;
            } else if (rcpt_code / 100 == 5) {
                r.state = recipient_state::permanent;
            } else if (rcpt_code / 100 == 2 && res.delivered) {
                r.state = recipient_state::delivered;
                r.code = res.final_code;
                r.text = res.final_lines;
            } else if (final_kind == 5 && rcpt_code / 100 != 4) {
                // Refused before or after RCPT: the 5yz concerns the whole message.
                r.state = recipient_state::permanent;
                r.code = res.final_code;
                r.text = res.final_lines;
                r.where = where;
            } else if (rcpt_code / 100 != 4 && res.final_code != 0) {
                // A 4yz before this RCPT (greeting, EHLO, MAIL) or after it
                // (DATA, the data): that reply is the reason.
                r.code = res.final_code;
                r.text = res.final_lines;
                r.where = where;
                r.status.clear();
                r.detail.clear();
            } else if (rcpt_code / 100 != 4) {
                // The connection ended without a reply that says why.
                r.where = where;
                r.text.clear();
                r.status = "4.4.2";  // RFC 3463: bad connection.
                r.detail = res.error;
            }
        }
        out.attempts.push_back(attempt);
        const bool last = t + 1 == plan.targets.size();
        if (!session_ran) {
            note("cannot deliver to " + where + " (" + attempt.connection_error + "): "
                     + (last ? "no address is left to try; the recipients are deferred"
                             : "trying the next address"),
                 ref{"5.1", {"R-5.1-11"}});
            out.error = attempt.connection_error;
            continue;
        }
        const bool left = std::ranges::any_of(out.recipients, [](const recipient_outcome& r) {
            return r.state == recipient_state::temporary;
        });
        if (!left) {
            if (final_kind == 5 || !res.delivered) {
                out.error = res.error;
                note("permanent failure at " + where + ": no other address is tried",
                     ref{"4.2.1", {"R-4.2-8"}});
            }
            break;
        }
        out.error = res.error.empty() ? "a recipient got a temporary failure" : res.error;
        note("temporary failure at " + where + " (" + out.error + "): "
                 + (last ? "no address is left to try; the recipients left are deferred"
                         : "the recipients left go to the next address"),
             ref{"4.5.4.1", {"R-5.1-11", "R-4.2-8"}});
    }
    if (!out.delivered() && out.error.empty()) {
        out.error = "not delivered";
    }
    return out;
}

}  // namespace smtpspec::reference::net
