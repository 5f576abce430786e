// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "model/profile.hpp"
#include "reference/internal/client_script.hpp"
#include "reference/internal/parameters.hpp"
#include "reference/internal/sasl.hpp"
#include "reference/net/server.hpp"
#include "tools/smtpspec/options.hpp"
#include "tools/smtpspec/serve_config.hpp"

#include <algorithm>
#include <type_traits>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <variant>

namespace smtpspec::tools
{

namespace
{
struct serve_args
{
    std::string listen = "127.0.0.1:2525";
    std::string maildir = "data/maildir";
    bool discard = false;
    std::size_t commit_writers = 16;
    std::string hostname = "smtpspec.localhost";
    std::string profile = "rfc5321";
    std::string trace = "text";
    std::string trace_file;
    std::string ready_file;
    unsigned idle_timeout = 300;
    std::size_t max_size = 32U * 1024U * 1024U;
    std::size_t max_connections = 64;
    std::size_t max_recipients = 100;
    bool no_tls = false;
    std::string tls_dir;
    std::string tls_cert;
    std::string tls_key;
    std::vector<std::string> local_domains;
    std::vector<std::string> mailboxes;
    std::string auth_file;
    bool auth_without_tls = false;
    bool auth_required = false;
    bool no_smtputf8 = false;
    bool strict_client = false;
    std::string script_file;
    std::vector<std::string> script_rules;
    std::string config;
};

/// --config FILE: every setting of the file whose option is not on the
/// command line (options override the file).
void apply_config(serve_args& args, const CLI::App& sub)
{
    using field = std::variant<std::string*, unsigned*, std::size_t*, bool*,
                               std::vector<std::string>*>;
    const std::map<std::string, field, std::less<>> fields{
        {"--listen", &args.listen}, {"--maildir", &args.maildir},
        {"--discard", &args.discard}, {"--commit-writers", &args.commit_writers},
        {"--hostname", &args.hostname}, {"--profile", &args.profile},
        {"--trace", &args.trace}, {"--trace-file", &args.trace_file},
        {"--ready-file", &args.ready_file}, {"--idle-timeout", &args.idle_timeout},
        {"--max-size", &args.max_size}, {"--max-connections", &args.max_connections},
        {"--max-recipients", &args.max_recipients}, {"--no-tls", &args.no_tls},
        {"--tls-dir", &args.tls_dir}, {"--tls-cert", &args.tls_cert},
        {"--tls-key", &args.tls_key}, {"--local-domain", &args.local_domains},
        {"--mailbox", &args.mailboxes}, {"--auth-file", &args.auth_file},
        {"--auth-without-tls", &args.auth_without_tls},
        {"--auth-required", &args.auth_required}, {"--no-smtputf8", &args.no_smtputf8},
        {"--strict-client", &args.strict_client}, {"--script", &args.script_file},
        {"--script-rule", &args.script_rules}};
    for (auto& setting : read_serve_config(args.config)) {
        if (sub.get_option(setting.option)->count() > 0) {
            continue;
        }
        std::visit(
            [&](auto* target) {
                using T = std::remove_pointer_t<decltype(target)>;
                if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                    // The key's range (serve_config_keys) fits the field.
                    *target = static_cast<T>(std::get<std::uint64_t>(setting.value));
                } else {
                    *target = std::get<T>(std::move(setting.value));
                }
            },
            fields.at(setting.option));
    }
}

/// --mailbox user@domain: a Mailbox of 4.1.2 (its domain becomes local).
void add_mailboxes(const serve_args& args, reference::server_config& session)
{
    session.local_domains = args.local_domains;
    for (const auto& m : args.mailboxes) {
        const auto at = m.rfind('@');
        if (at == std::string::npos || at == 0 || at + 1 == m.size()) {
            throw CLI::ValidationError("--mailbox", "expected user@domain, got \"" + m + "\"");
        }
        const std::string domain = m.substr(at + 1);
        const bool listed = std::ranges::any_of(session.local_domains, [&](const std::string& d) {
            return reference::internal::iequals(d, domain);
        });
        if (!listed) {
            session.local_domains.push_back(domain);
        }
        session.mailboxes.push_back(m);
    }
}

/// --auth-file, --script and --script-rule.
void add_auth_and_script(const serve_args& args, reference::server_config& session)
{
    try {
        if (!args.auth_file.empty()) {
            session.credentials = std::make_shared<const reference::internal::credentials>(
                reference::internal::load_credentials(args.auth_file));
            session.profile.auth = true;
        }
        reference::internal::client_script script;
        if (!args.script_file.empty()) {
            script = reference::internal::load_client_script(args.script_file);
        }
        for (const auto& rule : args.script_rules) {
            try {
                reference::internal::add_rule(script, rule);
            } catch (const std::invalid_argument& e) {
                throw CLI::ValidationError("--script-rule", "\"" + rule + "\": " + e.what());
            }
        }
        if (!args.script_file.empty() || !args.script_rules.empty()) {
            session.script = std::make_shared<const reference::internal::client_script>(script);
        }
    } catch (const std::runtime_error& e) {
        throw CLI::ValidationError("--auth-file/--script", e.what());
    }
    if ((args.auth_without_tls || args.auth_required) && args.auth_file.empty()) {
        throw CLI::ValidationError("--auth-file",
                                   "needed by --auth-without-tls and --auth-required");
    }
    session.auth_without_tls = args.auth_without_tls;
    session.auth_required = args.auth_required;
    session.strict_client = args.strict_client;
    session.profile.smtputf8 = !args.no_smtputf8;
}

/// The default --tls-dir: a folder "tls" beside the Maildir.
std::filesystem::path default_tls_dir(const std::string& maildir)
{
    std::filesystem::path m = std::filesystem::path{maildir}.lexically_normal();
    if (m.filename().empty()) {
        m = m.parent_path();
    }
    return m.parent_path() / "tls";
}

void run(const serve_args& args)
{
    std::unique_ptr<std::ofstream> trace_file;
    reference::net::server_options options;
    options.listen = host_port_argument(args.listen, "--listen");
    options.maildir = args.maildir;
    options.store = args.discard ? reference::net::storage::discard
                                 : reference::net::storage::maildir;
    if (args.commit_writers == 0 || args.commit_writers > 256) {
        throw CLI::ValidationError("--commit-writers", "must be 1 to 256");
    }
    options.commit_writers = args.commit_writers;
    options.ready_file = args.ready_file;
    options.idle_timeout = std::chrono::seconds{args.idle_timeout};
    options.session.hostname = args.hostname;
    const auto profile = model::find_profile(args.profile);
    if (!profile) {
        throw CLI::ValidationError("--profile", "expected rfc5321 or rfc5321bis, got \""
                                                    + args.profile + "\"");
    }
    options.session.profile = *profile;
    options.session.profile.max_message_size = args.max_size;
    if (args.max_recipients < 100) {
        // 4.5.3.1.8 R-4.5.3.1.8-1: at least 100 recipients per transaction.
        throw CLI::ValidationError("--max-recipients", "must be at least 100 (RFC 5321 4.5.3.1.8)");
    }
    options.session.profile.max_recipients = args.max_recipients;
    if (args.max_connections == 0) {
        throw CLI::ValidationError("--max-connections", "must be at least 1");
    }
    options.max_connections = args.max_connections;
    add_mailboxes(args, options.session);
    add_auth_and_script(args, options.session);
    if (args.auth_without_tls && !options.listen.host.starts_with("127.")
        && options.listen.host != "::1") {
        throw CLI::ValidationError("--auth-without-tls", "only with a loopback --listen address");
    }
    options.tls.enabled = !args.no_tls;
    options.tls.directory = args.tls_dir.empty() ? default_tls_dir(args.maildir)
                                                 : std::filesystem::path{args.tls_dir};
    options.tls.configured = {args.tls_cert, args.tls_key};
    if (args.trace != "none") {
        const auto format = trace_format_argument(args.trace);
        std::ostream* out = &std::cout;
        if (!args.trace_file.empty()) {
            trace_file = std::make_unique<std::ofstream>(args.trace_file, std::ios::app);
            if (!*trace_file) {
                throw CLI::ValidationError("--trace-file", "cannot open " + args.trace_file);
            }
            out = trace_file.get();
        }
        options.on_trace = [out, format](const reference::trace_event& e) {
            *out << reference::format(e, format) << '\n' << std::flush;
        };
    }
    options.on_log = [](const std::string& line) { log_line("info", line); };
    if (args.idle_timeout < 300) {
        // Allowed for tests; a production server waits at least 5 minutes.
        log_line("warning", "event=short_idle_timeout seconds=" + std::to_string(args.idle_timeout)
                                + " section=4.5.3.2.7 minimum=300");
    }
    try {
        reference::net::run_server(options);
    } catch (const std::exception& e) {
        log_line("error", "event=fatal listen=" + options.listen.str() + " maildir="
                              + options.maildir.string() + " error=\"" + e.what()
                              + "\" hint=\"--listen takes an IP address and a port\"");
        throw CLI::RuntimeError(exit_usage);
    }
}
}  // namespace

void add_serve_command(CLI::App& app)
{
    auto args = std::make_shared<serve_args>();
    CLI::App* sub = app.add_subcommand(
        "serve", "Run the reference SMTP server; accepted mail goes to a Maildir");
    sub->add_option("--config", args->config,
                    "TOML file of settings (keys in the README); options given here override it");
    sub->add_option("--listen", args->listen, "Address to listen on, HOST:PORT (port 0: any)")
        ->capture_default_str();
    sub->add_option("--maildir", args->maildir, "Maildir for accepted messages")
        ->capture_default_str();
    sub->add_flag("--discard", args->discard,
                  "Accept and discard every message: nothing is stored (benchmarks only)");
    sub->add_option("--commit-writers", args->commit_writers,
                    "Threads that write and flush one group commit's messages at once")
        ->capture_default_str();
    sub->add_option("--hostname", args->hostname, "Name in the greeting and Received lines")
        ->capture_default_str();
    sub->add_option("--profile", args->profile, "Reading of the standard: rfc5321, rfc5321bis")
        ->capture_default_str();
    sub->add_option("--trace", args->trace, "Trace format: text, json, or none (no trace)")->capture_default_str();
    sub->add_option("--trace-file", args->trace_file, "Append the trace here (default stdout)");
    sub->add_option("--ready-file", args->ready_file,
                    "Write the bound HOST:PORT here once listening");
    sub->add_option("--idle-timeout", args->idle_timeout,
                    "Seconds to wait for a command (RFC 5321 4.5.3.2.7: at least 300)")
        ->capture_default_str();
    sub->add_option("--max-size", args->max_size, "Largest message accepted, in octets")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    sub->add_option("--max-connections", args->max_connections,
                    "Sessions served at once; one more gets 421 (RFC 5321 3.8)")
        ->capture_default_str();
    sub->add_option("--max-recipients", args->max_recipients,
                    "Recipients per transaction; more get 452 (RFC 5321 4.5.3.1.10, >= 100)")
        ->capture_default_str();
    sub->add_flag("--no-tls", args->no_tls, "Do not offer STARTTLS (RFC 3207)");
    sub->add_option("--tls-dir", args->tls_dir,
                    "Folder of the self-signed certificate made on first run "
                    "(default: tls/ beside the Maildir)");
    sub->add_option("--tls-cert", args->tls_cert, "PEM certificate chain for STARTTLS");
    sub->add_option("--tls-key", args->tls_key, "PEM private key for STARTTLS");
    sub->add_option("--local-domain", args->local_domains,
                    "Domain served here (repeatable); other recipients get 550 5.7.1 "
                    "(default: accept every recipient, never relay)");
    sub->add_option("--mailbox", args->mailboxes,
                    "Mailbox user@domain served here (repeatable); other local parts at "
                    "its domain get 550 5.1.1; postmaster is always accepted");
    sub->add_option("--auth-file", args->auth_file,
                    "File of user:password lines; offers AUTH PLAIN LOGIN after STARTTLS "
                    "(RFC 4954)");
    sub->add_flag("--auth-without-tls", args->auth_without_tls,
                  "Offer AUTH without TLS too (loopback --listen only)");
    sub->add_flag("--auth-required", args->auth_required,
                  "Refuse MAIL with 530 until the client has authenticated");
    sub->add_flag("--no-smtputf8", args->no_smtputf8, "Do not offer SMTPUTF8 (RFC 6531)");
    sub->add_flag("--strict-client", args->strict_client,
                  "Record every deviation of the client in the trace (\"deviation:\" notes)");
    sub->add_option("--script", args->script_file,
                    "File of scripted behaviours for client tests, one rule a line");
    sub->add_option("--script-rule", args->script_rules,
                    "One scripted behaviour (repeatable): \"reply VERB CODE [nth|every] [text]\", "
                    "\"close VERB [nth]\", \"delay MS\", \"multiline\", \"tls-failure\"");
    sub->callback([args, sub] {
        if (!args->config.empty()) {
            apply_config(*args, *sub);
        }
        run(*args);
    });
}

}  // namespace smtpspec::tools
