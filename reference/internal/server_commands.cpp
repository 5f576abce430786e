// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The command handlers of reference::server_session: what the server answers
// to each command the model has already judged. The byte handling, replies
// and storage are in reference/server_session.cpp.

#include "reference/server_session.hpp"

#include "grammar/extension.hpp"
#include "grammar/print.hpp"
#include "model/step.hpp"
#include "reference/internal/parameters.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <iterator>

namespace smtpspec::reference
{

using internal::ascii_upper;
using internal::find_parameter;
using internal::iequals;
using spec::ref;

namespace
{
/// The section that defines each extension command.
ref extension_ref(const grammar::extension_command& c)
{
    struct visitor
    {
        ref operator()(const grammar::bdat_command&) const { return {"rfc3030/2"}; }
        ref operator()(const grammar::starttls_command&) const { return {"rfc3207/4"}; }
        ref operator()(const grammar::auth_command&) const { return {"rfc4954/4"}; }
    };
    return std::visit(visitor{}, c);
}

const char* extension_verb(const grammar::extension_command& c)
{
    struct visitor
    {
        const char* operator()(const grammar::bdat_command&) const { return "BDAT"; }
        const char* operator()(const grammar::starttls_command&) const { return "STARTTLS"; }
        const char* operator()(const grammar::auth_command&) const { return "AUTH"; }
    };
    return std::visit(visitor{}, c);
}

/// RFC 1870 4 and 6.1: SIZE is 1 to 20 digits, at most the server's limit.
/// @param declared set to the size the client declared when it is accepted.
std::optional<internal::parameter_refusal> check_size(std::string_view value, std::size_t limit,
                                                      std::size_t& declared)
{
    if (value.empty() || value.size() > 20 ||
        !std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
        return internal::parameter_refusal{501, "5.5.4", "SIZE takes 1 to 20 digits (RFC 1870)"};
    }
    const auto parsed = std::from_chars(value.data(), value.data() + value.size(), declared);
    if (parsed.ec == std::errc::result_out_of_range || (limit != 0 && declared > limit)) {
        return internal::parameter_refusal{552, "5.3.4", "Message larger than this server takes"};
    }
    return std::nullopt;
}

/// Whether a mailbox holds UTF-8 (RFC 6531 3.3).
bool non_ascii(const grammar::path& p)
{
    return internal::has_non_ascii(p.box.local_part) || internal::has_non_ascii(p.box.domain);
}
}  // namespace

void server_session::deviation(std::string text, const ref& why)
{
    if (config_.strict_client) {
        note("deviation: " + std::move(text), why);
    }
}

bool server_session::scripted(std::string_view verb, const model::outcome& out)
{
    if (!config_.script) {
        return false;
    }
    const unsigned n = ++seen_[std::string{verb}];
    const auto* r = config_.script->find(verb, n);
    if (r == nullptr) {
        return false;
    }
    if (r->code == 421) {
        close_with_421(r->text.empty() ? "scripted 421, closing connection" : r->text,
                       ref{"3.8", {"R-3.8-2"}});
        return true;
    }
    const auto* t = out.find(r->code);
    if (t == nullptr) {
        note("script: " + std::to_string(r->code) + " to " + std::string{verb} +
                 " is not permitted by the model here; normal reply sent",
             ref{"4.3.2"});
        return false;
    }
    // Scripted codes are 4yz or 5yz: each carries an enhanced code of its
    // class, also in place of the greeting or to EHLO/HELO (enhanced()).
    const std::string status = enhanced(r->code >= 500 ? "5.0.0" : "4.0.0");
    reply(*t, {status + (r->text.empty() ? "scripted reply" : r->text)});
    if (!state_.in_transaction()) {
        transaction_.reset();
    }
    return true;
}

std::vector<std::string> server_session::ehlo_keywords() const
{
    const auto& p = config_.profile;
    std::vector<std::string> lines;
    const auto offer = [&](bool on, std::string keyword) {
        if (on) {
            lines.push_back(std::move(keyword));
        }
    };
    offer(p.pipelining, "PIPELINING");
    offer(p.eightbitmime, "8BITMIME");
    offer(p.size, "SIZE " + std::to_string(p.max_message_size));
    offer(p.dsn, "DSN");
    offer(p.chunking, "CHUNKING");
    // RFC 3207 4.2: never offered again once TLS is active.
    offer(p.starttls && config_.tls_available && !state_.tls, "STARTTLS");
    offer(p.enhanced_status_codes, "ENHANCEDSTATUSCODES");
    // spec: rfc6531/3.2 implementation
    offer(p.smtputf8, "SMTPUTF8");
    offer(auth_offered(), "AUTH PLAIN LOGIN");
    return lines;
}

void server_session::handle_command(const grammar::command& cmd, const model::outcome& out)
{
    const model::transition* t = &out.permitted.front();
    const std::string& host = config_.hostname;

    if (t->code == 503) {
        reply(*t, {enhanced("5.5.1") + "Bad sequence of commands"});
        return;
    }
    if (t->code == 452 && std::holds_alternative<grammar::rcpt_command>(cmd)) {
        reply(*t, {enhanced("4.5.3") + "Too many recipients in this transaction"});
        return;
    }
    if (const auto* ehlo = std::get_if<grammar::ehlo_command>(&cmd)) {
        transaction_.reset();
        client_name_ = ehlo->domain;
        std::vector<std::string> lines{host + " greets " + ehlo->domain};
        std::ranges::move(ehlo_keywords(), std::back_inserter(lines));
        reply(*t, std::move(lines));
    } else if (const auto* helo = std::get_if<grammar::helo_command>(&cmd)) {
        // WG #116: under the rfc5321 reading HELO leaves a transaction open.
        if (!state_.in_transaction() || config_.profile.helo_resets_transaction) {
            transaction_.reset();
        }
        client_name_ = helo->domain;
        reply(*t, {host + " greets " + helo->domain});
    } else if (const auto* mail = std::get_if<grammar::mail_command>(&cmd)) {
        handle_mail(*mail, out);
    } else if (const auto* rcpt = std::get_if<grammar::rcpt_command>(&cmd)) {
        handle_rcpt(*rcpt, out);
    } else if (std::holds_alternative<grammar::data_command>(cmd)) {
        // RFC 1870: the SIZE the client declared at MAIL sizes the buffer.
        data_ = std::make_unique<internal::data_reader>(config_.profile.max_message_size == 0
                                                            ? std::string{}.max_size()
                                                            : config_.profile.max_message_size,
                                                        transaction_ ? transaction_->declared_size
                                                                     : 0);
        reply(*t, {"Go ahead; end the mail data with <CRLF>.<CRLF>"});
    } else if (std::holds_alternative<grammar::rset_command>(cmd)) {
        transaction_.reset();
        reply(*t, {enhanced("2.0.0") + "Reset"});
    } else if (std::holds_alternative<grammar::vrfy_command>(cmd) ||
               std::holds_alternative<grammar::expn_command>(cmd)) {
        reply(*t, {enhanced("2.5.0") + "Not verified; mail to the address will be tried"});
    } else if (std::holds_alternative<grammar::help_command>(cmd)) {
        reply(*t, {enhanced("2.0.0") + "smtpspec reference server: commands of RFC 5321 4.1.1"});
    } else if (std::holds_alternative<grammar::noop_command>(cmd)) {
        reply(*t, {enhanced("2.0.0") + "OK"});
    } else if (std::holds_alternative<grammar::quit_command>(cmd)) {
        transaction_.reset();
        reply(*t, {enhanced("2.0.0") + host + " closing connection"});
    }
}

void server_session::handle_mail(const grammar::mail_command& mail, const model::outcome& out)
{
    const auto& p = config_.profile;
    const auto refuse = [&](int code, std::string_view status, const std::string& text) {
        const auto* t = out.find(code);
        assert(t != nullptr);
        reply(*t, {enhanced(status) + text});
    };
    if (config_.auth_required && auth_user_.empty()) {
        // spec: rfc4954/6 implementation
        refuse(530, "5.7.0", "Authentication required");
        return;
    }
    const auto offered = [&](std::string_view k) {
        return state_.extended &&
               ((p.size && iequals(k, "SIZE")) || (p.eightbitmime && iequals(k, "BODY")) ||
                (p.dsn && (iequals(k, "RET") || iequals(k, "ENVID"))) ||
                (p.smtputf8 && iequals(k, "SMTPUTF8")) || (auth_offered() && iequals(k, "AUTH")));
    };
    auto refusal = internal::check_parameters(mail.params, offered, grammar::check_mail_parameter);
    const auto* body = find_parameter(mail.params, "BODY");
    if (!refusal && body != nullptr &&
        !(body->value && (iequals(*body->value, "7BIT") || iequals(*body->value, "8BITMIME")))) {
        // RFC 6152 2: BODY takes 7BIT or 8BITMIME here (no BINARYMIME offered).
        refusal = internal::parameter_refusal{501, "5.5.4", "BODY takes 7BIT or 8BITMIME"};
    }
    std::size_t declared_size = 0;
    if (const auto* size = find_parameter(mail.params, "SIZE"); !refusal && size != nullptr) {
        refusal = check_size(size->value.value_or(""), p.max_message_size, declared_size);
    }
    const bool utf8 = find_parameter(mail.params, "SMTPUTF8") != nullptr;
    if (!refusal && !utf8 && mail.from.value && non_ascii(*mail.from.value)) {
        // spec: rfc6531/3.5 implementation
        // A UTF-8 reverse-path needs the SMTPUTF8 parameter: 550 5.6.7.
        refusal = internal::parameter_refusal{
            550, "5.6.7", "Non-ASCII addresses need the SMTPUTF8 parameter (RFC 6531)"};
    }
    if (refusal) {
        refuse(refusal->code, refusal->status, refusal->text);
        return;
    }
    transaction_ = std::make_unique<transaction>();
    over_budget_ = false;  // A refusal for memory ends with its transaction.
    auto& env = transaction_->env;
    env.client_name = client_name_;
    env.extended = state_.extended;
    env.peer_address = config_.peer_address;
    env.from = mail.from;
    env.mail_params = mail.params;
    transaction_->declared_size = declared_size;
    if (const auto* ret = find_parameter(mail.params, "RET")) {
        env.dsn_ret = ascii_upper(*ret->value);
    }
    if (const auto* envid = find_parameter(mail.params, "ENVID")) {
        env.dsn_envid = grammar::decode_xtext(*envid->value).value_or("");
    }
    env.tls = tls_;
    env.smtputf8 = utf8;
    env.auth_user = auth_user_;
    reply(out.permitted.front(),
          {enhanced("2.1.0") + "Sender " + grammar::to_string(mail.from) + " OK"});
}

void server_session::handle_rcpt(const grammar::rcpt_command& rcpt, const model::outcome& out)
{
    const auto refuse = [&](int code, std::string_view status, const std::string& text) {
        const auto* t = out.find(code);
        assert(t != nullptr);
        reply(*t, {enhanced(status) + text});
    };
    const auto offered = [&](std::string_view k) {
        return state_.extended && config_.profile.dsn &&
               (iequals(k, "NOTIFY") || iequals(k, "ORCPT"));
    };
    if (auto refusal =
            internal::check_parameters(rcpt.params, offered, grammar::check_rcpt_parameter)) {
        refuse(refusal->code, refusal->status, refusal->text);
        return;
    }
    if (rcpt.to.value && non_ascii(*rcpt.to.value) && !transaction_->env.smtputf8) {
        // spec: rfc6531/3.5 implementation
        refuse(553, "5.6.7", "Non-ASCII addresses need SMTPUTF8 on MAIL (RFC 6531)");
        return;
    }
    if (rcpt.to.value && !config_.local_domains.empty()) {
        const auto& box = rcpt.to.value->box;
        const bool local = std::ranges::any_of(
            config_.local_domains, [&](const std::string& d) { return iequals(d, box.domain); });
        const bool postmaster = iequals(box.local_part, "postmaster");
        // Only a domain with configured mailboxes restricts its local parts;
        // the other local domains take any local part.
        bool domain_has_mailboxes = false;
        bool listed = false;
        for (const std::string& m : config_.mailboxes) {
            const auto at = m.rfind('@');
            if (iequals(m.substr(at + 1), box.domain)) {
                domain_has_mailboxes = true;
                listed = listed || m.substr(0, at) == box.local_part;
            }
        }
        const bool known = !domain_has_mailboxes || postmaster || listed;
        if (!local) {
            // spec: 3.6.2 implementation
            // The server never relays: recipients elsewhere are refused.
            refuse(550, "5.7.1", "Relaying denied: " + box.domain + " is not served here");
            return;
        }
        if (!known) {
            // spec: 4.5.1 implementation
            // Postmaster at a local domain is always accepted (checked above).
            refuse(550, "5.1.1", "No such mailbox here: " + grammar::to_string(rcpt.to));
            return;
        }
    }
    dsn_recipient dsn;
    if (const auto* notify = find_parameter(rcpt.params, "NOTIFY")) {
        dsn.notify = ascii_upper(*notify->value);
    }
    if (const auto* orcpt = find_parameter(rcpt.params, "ORCPT")) {
        const std::string& value = *orcpt->value;
        const std::size_t semicolon = value.find(';');
        dsn.orcpt_type = value.substr(0, semicolon);
        dsn.orcpt = grammar::decode_xtext(value.substr(semicolon + 1)).value_or("");
    }
    transaction_->env.recipients.push_back(rcpt.to);
    transaction_->env.dsn.push_back(std::move(dsn));
    reply(out.permitted.front(),
          {enhanced("2.1.5") + "Recipient " + grammar::to_string(rcpt.to) + " OK"});
}

bool server_session::auth_offered() const noexcept
{
    // spec: rfc4954/4 implementation
    // No plaintext password mechanism without TLS unless configured so.
    return config_.profile.auth && config_.credentials && (state_.tls || config_.auth_without_tls);
}

void server_session::handle_extension(const grammar::extension_command& cmd, std::string_view line)
{
    std::string shown{line.substr(0, line.size() - 2)};
    if (const auto* auth = std::get_if<grammar::auth_command>(&cmd);
        auth && auth->initial_response) {
        shown = "AUTH " + auth->mechanism + " <initial response hidden>";
    }
    trace_.push_back({config_.session_id, trace_source::client, shown, extension_ref(cmd)});
    const auto* bdat = std::get_if<grammar::bdat_command>(&cmd);
    if (bdat != nullptr && config_.profile.chunking) {
        // RFC 3030 2: the chunk follows the line at once and is read whatever
        // the reply will be; the reply comes after it.
        chunk_ = *bdat;
        chunk_left_ = bdat->chunk_size;
        chunk_data_.clear();
        chunk_too_big_ = false;
        if (chunk_left_ == 0) {
            finish_chunk();
        }
        return;
    }
    const auto out = model::step(config_.profile, state_, model::input{cmd});
    if (scripted(extension_verb(cmd), out)) {
        return;
    }
    const model::transition* t = &out.permitted.front();
    if (const auto* auth = std::get_if<grammar::auth_command>(&cmd); auth && t->code == 235) {
        handle_auth(*auth, out);
        return;
    }
    switch (t->code) {
    case 220:
        if (!config_.tls_available) {
            reply(*out.find(454), {enhanced("4.7.0") + "TLS not available now"});
            return;
        }
        if (!state_.extended) {
            // The client learns that STARTTLS may be used from the keyword
            // in an EHLO reply (RFC 3207 4): without one it was never offered.
            deviation("STARTTLS before an EHLO reply offered it", ref{"rfc3207/4"});
        }
        if (!input_.empty()) {
            deviation("command sent after STARTTLS in the same group (known fault B07)",
                      ref{"rfc3207/4"});
        }
        // What follows the STARTTLS line in the buffer is dropped by
        // process() before anything else runs (known fault B07).
        reply(*t, {enhanced("2.0.0") + "Ready to start TLS"});
        return;
    case 502:
        reply(*t,
              {enhanced("5.5.1") + std::string{extension_verb(cmd)} + " is not implemented here"});
        return;
    default:
        reply(*t, {enhanced("5.5.1") + "Bad sequence of commands" +
                   (state_.tls && std::holds_alternative<grammar::starttls_command>(cmd)
                        ? std::string{": TLS is already active"}
                        : std::string{})});
        return;
    }
}

void server_session::handle_auth(const grammar::auth_command& auth, const model::outcome& out)
{
    const std::string mechanism = ascii_upper(auth.mechanism);
    if (mechanism != "PLAIN" && mechanism != "LOGIN") {
        reply(*out.find(504), {enhanced("5.5.4") + "Mechanism " + auth.mechanism +
                               " is not supported; use PLAIN or LOGIN"});
        return;
    }
    if (!auth_offered()) {
        // spec: rfc4954/6 implementation
        // 538: the mechanism needs an encrypted session first.
        reply(*out.find(538), {enhanced("5.7.11") + "Encryption required: use STARTTLS first"});
        return;
    }
    auth_outcome_ = std::make_unique<model::outcome>(out);
    sasl_ = std::make_unique<internal::sasl_exchange>(mechanism, *config_.credentials);
    auth_status(sasl_->start(auth.initial_response));
}

void server_session::auth_response(std::string_view line)
{
    // Never echo credentials into the trace.
    trace_.push_back(
        {config_.session_id, trace_source::client, "<SASL response hidden>", ref{"rfc4954/4"}});
    auth_status(sasl_->respond(line));
}

void server_session::auth_status(internal::sasl_exchange::status status)
{
    using st = internal::sasl_exchange::status;
    const model::outcome& out = *auth_outcome_;
    const auto finish = [&](int code, std::string_view enh, const std::string& text) {
        sasl_.reset();
        reply(*out.find(code), {enhanced(enh) + text});
        auth_outcome_.reset();
    };
    switch (status) {
    case st::challenge:
        // RFC 4954 4: a 334 carries the base64 challenge and no enhanced code.
        reply(*out.find(334), {sasl_->challenge()});
        return;
    case st::success:
        auth_user_ = sasl_->user();
        note("authenticated as " + auth_user_, ref{"rfc4954/4"});
        finish(235, "2.7.0", "Authentication successful");
        return;
    case st::failure:
        // spec: rfc4954/6 implementation
        finish(535, "5.7.8", "Authentication credentials invalid");
        return;
    case st::malformed:
        finish(501, "5.5.2", "Cannot decode the SASL response");
        return;
    case st::cancelled:
        finish(501, "5.0.0", "Authentication cancelled");
        return;
    }
}

}  // namespace smtpspec::reference
