// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/commands.hpp"

#include "grammar/parse.hpp"
#include "model/profile.hpp"
#include "reference/internal/client_script.hpp"
#include "reference/internal/parameters.hpp"
#include "reference/internal/sasl.hpp"
#include "reference/net/server.hpp"
#include "tools/smtpspec/options.hpp"
#include "tools/smtpspec/serve_config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <type_traits>
#include <variant>

namespace smtpspec::tools
{

namespace
{
struct serve_args
{
    /// Where the --config file sets an option, so that an error about the
    /// option names the file, the line and the key.
    struct origin
    {
        std::size_t line = 0;
        std::string key;
    };
    std::map<std::string, origin, std::less<>> from_config;
    /// The options given on the command line (those of a contradiction check).
    std::set<std::string, std::less<>> given;
    std::string listen = "127.0.0.1:2525";
    std::string maildir = "data/maildir";
    bool discard = false;
    std::string group_flush = "file-system";
    std::string hostname = "smtpspec.localhost";
    std::string profile = "rfc5321";
    std::string trace = "text";
    std::string trace_file;
    std::string ready_file;
    unsigned idle_timeout = 300;
    std::size_t max_size = 32U * 1024U * 1024U;
    std::size_t max_buffered = reference::net::server_options{}.max_buffered;
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

/// A check of one option's value: "" when it is usable, else why not.
using value_check = std::function<std::string(const std::string&)>;

/// The value as the error shows it: control octets escaped.
std::string shown(const std::string& value) { return "\"" + reference::printable(value) + "\""; }

/// --listen: a numeric address and a port; names are not resolved.
std::string check_listen(const std::string& value)
{
    const auto parsed = reference::net::parse_host_port(value);
    if (!parsed) {
        return "expected IP:PORT or [IPv6]:PORT, got " + shown(value);
    }
    unsigned char buffer[sizeof(in6_addr)];
    if (::inet_pton(AF_INET, parsed->host.c_str(), buffer) != 1
        && ::inet_pton(AF_INET6, parsed->host.c_str(), buffer) != 1) {
        return "needs a numeric address (such as 127.0.0.1:2525 or [::1]:2525); names are not "
               "resolved, got "
            + shown(value);
    }
    return {};
}

/// --hostname and --local-domain: a Domain or an address literal (4.1.2),
/// in ASCII when it goes into replies (the greeting, 4.2).
std::string check_domain(const std::string& value, bool ascii_only)
{
    // 4.5.3.1.2: a domain name is at most 255 octets.
    const bool ascii = std::ranges::all_of(
        value, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (value.size() > 255 || (ascii_only && !ascii)
        || grammar::parse_mailbox("x@" + value).index() != 0) {
        return "expected a Domain or an address literal (RFC 5321 4.1.2"
            + std::string{ascii_only ? ", in ASCII" : ""} + "), got " + shown(value);
    }
    return {};
}

/// --mailbox: a Mailbox of 4.1.2.
std::string check_mailbox(const std::string& value)
{
    if (grammar::parse_mailbox(value).index() != 0) {
        return "expected a Mailbox user@domain (RFC 5321 4.1.2), got " + shown(value);
    }
    return {};
}

/// An integer option: decimal digits within the range of its --config key.
std::string check_integer(const std::string& value, const config_key& key)
{
    if (!is_whole_number(value, key.min, key.max)) {
        return "expected an integer from " + std::to_string(key.min) + " to "
            + std::to_string(key.max)
            + (key.why_min.empty() ? "" : " (" + std::string{key.why_min} + ")") + ", got "
            + shown(value);
    }
    return {};
}

/// A path option: never empty (an empty path would mean the current folder,
/// or no file at all, without a word). Whether the path can be used is
/// checked once, by what uses it: the server (startup_error), the readers of
/// the script and credentials files, open_trace_file().
std::string check_path(const std::string& value)
{
    if (value.empty()) {
        return "expected a path, got \"\"";
    }
    return {};
}

/// The message for a path option that names a folder where a file is needed.
std::string folder_not_file(const std::string& value)
{
    return shown(value) + " is a folder, not a file";
}

/// The checks of the options whose values have a shape, for the command
/// line and for --config alike.
const std::map<std::string, value_check, std::less<>>& value_checks()
{
    static const std::map<std::string, value_check, std::less<>> checks = [] {
        std::map<std::string, value_check, std::less<>> out{
            {"--listen", check_listen},
            {"--hostname", [](const std::string& v) { return check_domain(v, true); }},
            {"--local-domain", [](const std::string& v) { return check_domain(v, false); }},
            {"--mailbox", check_mailbox},
            {"--profile",
             [](const std::string& v) {
                 return model::find_profile(v) ? std::string{}
                                               : "expected rfc5321 or rfc5321bis, got " + shown(v);
             }},
            {"--group-flush",
             [](const std::string& v) {
                 return v == "file-system" || v == "per-file"
                     ? std::string{}
                     : "expected file-system or per-file, got " + shown(v);
             }},
            {"--trace",
             [](const std::string& v) {
                 return v == "text" || v == "json" || v == "none"
                     ? std::string{}
                     : "expected text, json or none, got " + shown(v);
             }},
            {"--maildir", check_path},
            {"--tls-dir", check_path},
            {"--tls-cert", check_path},
            {"--tls-key", check_path},
            {"--trace-file", check_path},
            {"--ready-file", check_path},
            {"--auth-file", check_path},
            {"--script", check_path},
            {"--script-rule",
             [](const std::string& v) {
                 reference::internal::client_script scratch;
                 try {
                     reference::internal::add_rule(scratch, v);
                 } catch (const std::invalid_argument& e) {
                     return shown(v) + ": " + e.what();
                 }
                 return std::string{};
             }},
        };
        for (const auto& key : serve_config_keys()) {
            if (key.type == "integer") {
                out.emplace(std::string{key.option},
                            [&key](const std::string& v) { return check_integer(v, key); });
            }
        }
        return out;
    }();
    return checks;
}

/// A string value of the file, or each of an array, checked as its option's.
void check_config_value(const std::string& file, const config_setting& setting)
{
    const auto check = value_checks().find(setting.option);
    if (check == value_checks().end()) {
        return;
    }
    const auto key = std::ranges::find(serve_config_keys(), std::string_view{setting.option},
                                       &config_key::option);
    const auto fail_if = [&](const std::string& why) {
        if (!why.empty()) {
            throw config_error(file + ":" + std::to_string(setting.line) + ": key \""
                               + std::string{key->key} + "\": " + why);
        }
    };
    if (const auto* text = std::get_if<std::string>(&setting.value)) {
        fail_if(check->second(*text));
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&setting.value)) {
        for (const auto& item : *list) {
            fail_if(check->second(item));
        }
    }
}

/// --config FILE: every setting of the file whose option is not on the
/// command line (options override the file). Values are checked as on the
/// command line; an error names the file, line and key.
void apply_config(serve_args& args, const CLI::App& sub)
{
    using field = std::variant<std::string*, unsigned*, std::size_t*, bool*,
                               std::vector<std::string>*>;
    const std::map<std::string, field, std::less<>> fields{
        {"--listen", &args.listen}, {"--maildir", &args.maildir},
        {"--discard", &args.discard}, {"--group-flush", &args.group_flush},
        {"--hostname", &args.hostname}, {"--profile", &args.profile},
        {"--trace", &args.trace}, {"--trace-file", &args.trace_file},
        {"--ready-file", &args.ready_file}, {"--idle-timeout", &args.idle_timeout},
        {"--max-size", &args.max_size}, {"--max-buffered", &args.max_buffered},
        {"--max-connections", &args.max_connections},
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
        check_config_value(args.config, setting);
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
        const auto key = std::ranges::find(serve_config_keys(), std::string_view{setting.option},
                                           &config_key::option);
        args.from_config[setting.option] = {setting.line, std::string{key->key}};
    }
}

/// Refuses a setting: where the --config file set it, the error names the
/// file, line and key (exit 2, like the file's other errors); else the option.
[[noreturn]] void refuse(const serve_args& args, const std::string& option,
                         const std::string& why)
{
    if (const auto where = args.from_config.find(option); where != args.from_config.end()) {
        throw config_error(args.config + ":" + std::to_string(where->second.line) + ": key \""
                           + where->second.key + "\": " + why);
    }
    throw CLI::ValidationError(option, why);
}

/// @return true when the option was given, on the command line or in --config.
bool is_set(const serve_args& args, std::string_view option)
{
    return args.given.contains(option) || args.from_config.contains(option);
}

/// Refuses two settings that contradict each other. The one blamed is the
/// one from the --config file if any (its file, line and key named, as
/// refuse() does), and the message names the other as the user set it.
[[noreturn]] void refuse_pair(const serve_args& args, const std::string& first,
                              const std::string& second, const std::string& why)
{
    const bool second_from_file = args.from_config.contains(second);
    const std::string& blamed = second_from_file ? second : first;
    const std::string& other = second_from_file ? first : second;
    std::string named = other;
    if (const auto where = args.from_config.find(other); where != args.from_config.end()) {
        named =
            "key \"" + where->second.key + "\" (line " + std::to_string(where->second.line) + ")";
    }
    refuse(args, blamed, "cannot be used with " + named + ": " + why);
}

/// Settings that contradict each other: refused, never one silently ignored.
void check_contradictions(const serve_args& args)
{
    if (args.discard && is_set(args, "--maildir")) {
        refuse_pair(args, "--discard", "--maildir",
                    "--discard stores nothing, so no Maildir is used; give one of them");
    }
    for (const char* tls : {"--tls-dir", "--tls-cert", "--tls-key"}) {
        if (args.no_tls && is_set(args, tls)) {
            refuse_pair(args, "--no-tls", tls,
                        "--no-tls offers no STARTTLS, so no certificate is used; give one of "
                        "them");
        }
    }
    if (args.trace == "none" && is_set(args, "--trace") && is_set(args, "--trace-file")) {
        refuse_pair(args, "--trace-file", "--trace",
                    "--trace none writes no trace, so no trace file is used; give one of them");
    }
    for (const char* file : {"--tls-cert", "--tls-key"}) {
        if (is_set(args, file) && is_set(args, "--tls-dir")) {
            refuse_pair(args, file, "--tls-dir",
                        "--tls-dir holds the self-signed certificate made when no "
                        "--tls-cert/--tls-key pair is given; give the pair or --tls-dir");
        }
    }
}

/// --mailbox user@domain: a Mailbox of 4.1.2 (its domain becomes local).
void add_mailboxes(const serve_args& args, reference::server_config& session)
{
    session.local_domains = args.local_domains;
    for (const auto& m : args.mailboxes) {
        // A Mailbox (value_checks): its domain follows the last '@'.
        const std::string domain = m.substr(m.rfind('@') + 1);
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
    if (!args.auth_file.empty()) {
        try {
            session.credentials = std::make_shared<const reference::internal::credentials>(
                reference::internal::load_credentials(args.auth_file));
        } catch (const std::runtime_error& e) {
            refuse(args, "--auth-file", e.what());
        }
        if (session.credentials->empty()) {
            refuse(args, "--auth-file",
                   args.auth_file + ": no user:password line, so no client could authenticate");
        }
        session.profile.auth = true;
    }
    reference::internal::client_script script;
    if (!args.script_file.empty()) {
        try {
            script = reference::internal::load_client_script(args.script_file);
        } catch (const std::runtime_error& e) {
            refuse(args, "--script", e.what());
        }
    }
    for (const auto& rule : args.script_rules) {
        // Checked already (value_checks).
        reference::internal::add_rule(script, rule);
    }
    if (!args.script_file.empty() || !args.script_rules.empty()) {
        session.script = std::make_shared<const reference::internal::client_script>(script);
    }
    if ((args.auth_without_tls || args.auth_required) && args.auth_file.empty()) {
        refuse(args, args.auth_required ? "--auth-required" : "--auth-without-tls",
               "needs --auth-file (the users and passwords)");
    }
    // RFC 4954 4: AUTH PLAIN/LOGIN only under TLS unless --auth-without-tls;
    // without STARTTLS the passwords file would be read and never used.
    if (!args.auth_file.empty() && !args.auth_without_tls && args.no_tls) {
        refuse(args, "--auth-file",
               "AUTH is offered only after STARTTLS, which --no-tls turns off; add "
               "--auth-without-tls (loopback only) or drop --no-tls");
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

/// --trace-file, opened for appending; refused (naming the option) when it
/// is a folder or cannot be opened.
std::unique_ptr<std::ofstream> open_trace_file(const serve_args& args)
{
    std::error_code ec;
    if (std::filesystem::is_directory(args.trace_file, ec)) {
        refuse(args, "--trace-file", folder_not_file(args.trace_file));
    }
    auto file = std::make_unique<std::ofstream>(args.trace_file, std::ios::app);
    if (!*file) {
        refuse(args, "--trace-file",
               "cannot open " + args.trace_file + ": " + std::strerror(errno));
    }
    return file;
}

/// The option that sets what a start-up failure concerns.
const char* flag_of(reference::net::setting s)
{
    switch (s) {
    case reference::net::setting::listen: return "--listen";
    case reference::net::setting::maildir: return "--maildir";
    case reference::net::setting::tls_certificate: return "--tls-cert";
    case reference::net::setting::tls_key: return "--tls-key";
    case reference::net::setting::tls_directory: return "--tls-dir";
    case reference::net::setting::ready_file: return "--ready-file";
    }
    return "?";
}

void run(const serve_args& args)
{
    // The values were checked by value_checks (command line and --config).
    check_contradictions(args);
    std::unique_ptr<std::ofstream> trace_file;
    reference::net::server_options options;
    options.listen = host_port_argument(args.listen, "--listen");
    options.maildir = args.maildir;
    options.store = args.discard ? reference::net::storage::discard
                                 : reference::net::storage::maildir;
    options.flush = args.group_flush == "per-file" ? reference::group_flush::per_file
                                                         : reference::group_flush::file_system;
    options.ready_file = args.ready_file;
    options.idle_timeout = std::chrono::seconds{args.idle_timeout};
    options.session.hostname = args.hostname;
    options.session.profile = *model::find_profile(args.profile);
    options.session.profile.max_message_size = args.max_size;
    options.max_buffered = args.max_buffered;
    // 4.5.3.1.8 R-4.5.3.1.8-1: at least 100 recipients (the key's range).
    options.session.profile.max_recipients = args.max_recipients;
    options.max_connections = args.max_connections;
    add_mailboxes(args, options.session);
    add_auth_and_script(args, options.session);
    if (args.auth_without_tls && !options.listen.host.starts_with("127.")
        && options.listen.host != "::1") {
        refuse(args, "--auth-without-tls", "only with a loopback --listen address");
    }
    options.tls.enabled = !args.no_tls;
    if (args.no_tls) {
        // Not offered and not implemented in this run: 502, not the 454 of
        // a TLS that is only unavailable for now (RFC 3207 4).
        options.session.profile.starttls = false;
    }
    options.tls.directory = args.tls_dir.empty() ? default_tls_dir(args.maildir)
                                                 : std::filesystem::path{args.tls_dir};
    if (args.tls_cert.empty() != args.tls_key.empty()) {
        refuse(args, args.tls_cert.empty() ? "--tls-key" : "--tls-cert",
               "--tls-cert and --tls-key go together (or neither: a self-signed certificate in "
               "--tls-dir)");
    }
    options.tls.configured = {args.tls_cert, args.tls_key};
    // A server that keeps no mail writes nothing, not even its certificate.
    options.tls.in_memory = args.discard && args.tls_dir.empty();
    std::ostream* trace_out = nullptr;
    if (args.trace != "none") {
        const auto format = trace_format_argument(args.trace);
        std::ostream* out = &std::cout;
        if (!args.trace_file.empty()) {
            trace_file = open_trace_file(args);
            out = trace_file.get();
        }
        options.on_trace = [out, format](const reference::trace_event& e) {
            *out << reference::format(e, format) << '\n';
        };
        trace_out = out;
    }
    // The server's lines are kept until the end of each turn of its event
    // loop, then written together: one write for many lines, none lost.
    auto pending = std::make_shared<std::string>();
    options.on_log = [pending](std::string_view level, const std::string& line) {
        *pending += log_text(level, line);
    };
    options.on_flush = [pending, trace_out] {
        if (!pending->empty()) {
            std::fwrite(pending->data(), 1, pending->size(), stderr);
            std::fflush(stderr);
            pending->clear();
        }
        if (trace_out != nullptr) {
            trace_out->flush();
        }
    };
    if (args.idle_timeout < 300) {
        // Allowed for tests; a production server waits at least 5 minutes.
        log_line("warning", "event=short_idle_timeout seconds=" + std::to_string(args.idle_timeout)
                                + " section=4.5.3.2.7 minimum=300");
    }
    // A reader of the trace or the log that goes away (a pipe into head)
    // must not end the server: the write fails, the sessions go on.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        reference::net::run_server(options);
    } catch (const reference::net::startup_error& e) {
        // A setting the server cannot start with: bad configuration.
        // Named as the user set it: the option, or the file's line and key.
        const std::string flag = flag_of(e.which());
        if (e.fault() == reference::net::startup_fault::folder) {
            // Worded as the value checks word a bad value.
            refuse(args, flag, folder_not_file(e.value()));
        }
        const auto where = args.from_config.find(flag);
        log_line("error", "event=startup_failed "
                              + (where == args.from_config.end()
                                     ? "flag=" + flag
                                     : "config=" + reference::log_quoted(args.config)
                                           + " line=" + std::to_string(where->second.line)
                                           + " key=" + where->second.key)
                              + " value=" + reference::log_quoted(e.value())
                              + " error=" + reference::log_quoted(e.what()));
        throw CLI::RuntimeError(exit_usage);
    } catch (const std::exception& e) {
        log_line("error", "event=fatal error=" + reference::log_quoted(e.what()));
        throw CLI::RuntimeError(exit_failed);
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
    sub->add_option("--listen", args->listen,
                    "Numeric address to listen on, IP:PORT or [IPv6]:PORT (port 0: any; "
                    "names are not resolved)")
        ->capture_default_str();
    sub->add_option("--maildir", args->maildir, "Maildir for accepted messages")
        ->capture_default_str();
    sub->add_flag("--discard", args->discard,
                  "Accept and discard every message: nothing is stored (benchmarks only)");
    sub->add_option("--group-flush", args->group_flush,
                    "How a group commit puts several messages on disk: file-system (one syncfs "
                    "and one more disk flush for the group) or per-file (one fdatasync each)")
        ->capture_default_str();
    sub->add_option("--hostname", args->hostname,
                    "Name in the greeting and Received lines: a Domain or address literal")
        ->capture_default_str();
    sub->add_option("--profile", args->profile, "Reading of the standard: rfc5321, rfc5321bis")
        ->capture_default_str();
    sub->add_option("--trace", args->trace, "Trace format: text, json, or none (no trace)")
        ->capture_default_str();
    sub->add_option("--trace-file", args->trace_file, "Append the trace here (default stdout)");
    sub->add_option("--ready-file", args->ready_file,
                    "Write the bound HOST:PORT here once listening");
    sub->add_option("--idle-timeout", args->idle_timeout,
                    "Seconds to wait for a command (RFC 5321 4.5.3.2.7 asks for at least 300; "
                    "1-299 are for tests and logged as a warning)")
        ->capture_default_str();
    sub->add_option("--max-size", args->max_size,
                    "Largest message accepted, in octets (0: no limit)")
        ->capture_default_str();
    sub->add_option("--max-buffered", args->max_buffered,
                    "Octets of mail data all sessions may hold in memory together; a message "
                    "that finds no room is refused at its end with 452 4.3.1 (0: no limit)")
        ->capture_default_str();
    sub->add_option("--max-connections", args->max_connections,
                    "Sessions served at once; one more gets 421 (RFC 5321 3.8)")
        ->capture_default_str();
    sub->add_option("--max-recipients", args->max_recipients,
                    "Recipients per transaction, at least 100 (RFC 5321 4.5.3.1.8); more get 452 "
                    "(4.5.3.1.10)")
        ->capture_default_str();
    sub->add_flag("--no-tls", args->no_tls, "Do not offer STARTTLS (RFC 3207)");
    sub->add_option("--tls-dir", args->tls_dir,
                    "Folder of the self-signed certificate made on first run "
                    "(default: tls/ beside the Maildir; with --discard, none: the "
                    "certificate is made for the run and kept in memory)");
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
    for (const auto& [name, check] : value_checks()) {
        sub->get_option(name)->check(
            CLI::Validator([check](std::string& value) { return check(value); }, ""));
    }
    sub->callback([args, sub] {
        for (const char* option :
             {"--maildir", "--discard", "--no-tls", "--tls-dir", "--tls-cert", "--tls-key",
              "--trace", "--trace-file"}) {
            if (sub->get_option(option)->count() > 0) {
                args->given.emplace(option);
            }
        }
        if (!args->config.empty()) {
            apply_config(*args, *sub);
        }
        run(*args);
    });
}

}  // namespace smtpspec::tools
