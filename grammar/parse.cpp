// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/parse.hpp"

#include "grammar/internal/failure_tracker.hpp"
#include "grammar/internal/line.hpp"
#include "grammar/limits.hpp"
#include "grammar/rules/address.hpp"
#include "grammar/rules/command.hpp"
#include "grammar/rules/ehlo.hpp"
#include "grammar/rules/extensions/smtputf8.hpp"
#include "grammar/rules/literal.hpp"
#include "grammar/rules/reply.hpp"

#include <tao/pegtl.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace smtpspec::grammar
{

namespace
{

namespace pegtl = tao::pegtl;
namespace r = rules;

/// What the actions below collect while a command line is parsed.
struct state : internal::failure_tracker
{
    std::string local_part;          ///< The last Local-part matched.
    std::size_t local_offset = 0;    ///< Where it starts.
    mailbox box;                     ///< The last Mailbox matched.
    std::size_t domain_offset = 0;   ///< Where its domain part starts.
    path last_path;                  ///< The last Path matched.
    std::size_t path_offset = 0;     ///< Where the path (with "<") starts.
    std::size_t path_size = 0;       ///< Its length with "<" and ">".
    reverse_path from;               ///< The Reverse-path of MAIL.
    forward_path to;                 ///< The argument of RCPT TO:.
    std::vector<esmtp_param> params; ///< Mail-parameters or Rcpt-parameters.

    [[nodiscard]] std::size_t offset_of(const char* p) const
    {
        return static_cast<std::size_t>(p - base);
    }
};

struct local_part_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        st.local_part = in.string();
        st.local_offset = st.offset_of(in.begin());
    }
};

struct mailbox_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        // A Quoted-string local part may hold "@", the domain part never
        // follows anything but the "@" right after the Local-part.
        const std::string_view text = in.string_view();
        st.box = mailbox{st.local_part, std::string(text.substr(st.local_part.size() + 1))};
        st.domain_offset = st.local_offset + st.local_part.size() + 1;
    }
};

/// Builds a path from the text "<" [ A-d-l ":" ] Mailbox ">" and the last Mailbox.
struct path_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        const std::string_view text = in.string_view();
        const std::size_t box_size = st.box.local_part.size() + 1 + st.box.domain.size();
        std::string route;
        if (text.size() > 1 && text[1] == '@') {
            route = text.substr(1, text.size() - 3 - box_size);
        }
        st.last_path = path{std::move(route), st.box};
        st.path_offset = st.offset_of(in.begin());
        st.path_size = text.size();
    }
};

struct forward_path_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        path_action::apply(in, st);
        st.to = forward_path{false, st.last_path};
    }
};

struct reverse_path_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        if (in.string_view() == "<>") {
            st.from = reverse_path{};
            st.path_offset = st.offset_of(in.begin());
            st.path_size = 2;
        } else {
            st.from = reverse_path{st.last_path};
        }
    }
};

struct postmaster_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        // "<" "Postmaster" "@" Domain ">": the local part is 10 octets at offset 1.
        const std::string_view text = in.string_view();
        const std::size_t at = st.offset_of(in.begin());
        st.local_part = text.substr(1, 10);
        st.local_offset = at + 1;
        st.box = mailbox{st.local_part, std::string(text.substr(12, text.size() - 13))};
        st.domain_offset = at + 12;
        st.last_path = path{"", st.box};
        st.path_offset = at;
        st.path_size = text.size();
        st.to = forward_path{false, st.last_path};
    }
};

struct bare_postmaster_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        st.to = forward_path{true, std::nullopt};
        st.path_offset = st.offset_of(in.begin());
        st.path_size = in.size();
    }
};

struct esmtp_param_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        const std::string_view text = in.string_view();
        const std::size_t eq = text.find('=');
        if (eq == std::string_view::npos) {
            st.params.push_back(esmtp_param{std::string(text), std::nullopt});
        } else {
            st.params.push_back(
                esmtp_param{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))});
        }
    }
};

template <typename Rule>
struct action : pegtl::nothing<Rule>
{};

// The same actions serve the RFC 5321 rules and their RFC 6531 (SMTPUTF8) variants.
template <> struct action<r::Local_part> : local_part_action {};
template <> struct action<r::smtputf8::Local_part> : local_part_action {};
template <> struct action<r::Mailbox> : mailbox_action {};
template <> struct action<r::smtputf8::Mailbox> : mailbox_action {};
template <> struct action<r::Path> : path_action {};
template <> struct action<r::smtputf8::Path> : path_action {};
template <> struct action<r::Forward_path> : forward_path_action {};
template <> struct action<r::smtputf8::Forward_path> : forward_path_action {};
template <> struct action<r::Reverse_path> : reverse_path_action {};
template <> struct action<r::smtputf8::Reverse_path> : reverse_path_action {};
template <> struct action<r::internal::postmaster_at_domain> : postmaster_action {};
template <> struct action<r::smtputf8::internal::postmaster_at_domain> : postmaster_action {};
template <> struct action<r::internal::bare_postmaster> : bare_postmaster_action {};
template <> struct action<r::esmtp_param> : esmtp_param_action {};
template <> struct action<r::smtputf8::esmtp_param> : esmtp_param_action {};

/// 4.2.2: a known verb whose arguments do not match its ABNF.
constexpr int bad_arguments_reply = 501;
using internal::equal_ignoring_case;
using internal::unrecognized_reply;

/// Checks the 4.5.3.1.1 and 4.5.3.1.2 limits and the 4.1.3 literal comments for st.box.
std::optional<syntax_error> check_mailbox(const state& st)
{
    if (st.box.local_part.size() > limits::local_part_octets) {
        return syntax_error{"Local-part", st.local_offset + limits::local_part_octets,
                            "Local-part is " + std::to_string(st.box.local_part.size())
                                + " octets, over the limit of 64 (RFC 5321 4.5.3.1.1)",
                            limits::argument_too_long_reply};
    }
    return std::nullopt;
}

/// Checks a Domain or address-literal that starts at @p offset.
std::optional<syntax_error> check_domain(std::string_view domain, std::size_t offset)
{
    const bool literal = !domain.empty() && domain.front() == '[';
    if (domain.size() > limits::domain_octets) {
        return syntax_error{literal ? "address-literal" : "Domain",
                            offset + limits::domain_octets,
                            "domain is " + std::to_string(domain.size())
                                + " octets, over the limit of 255 (RFC 5321 4.5.3.1.2)",
                            limits::argument_too_long_reply};
    }
    if (literal) {
        if (auto e = check_address_literal(domain)) {
            e->offset += offset;
            return e;
        }
    }
    return std::nullopt;
}

/// Checks the limits of a path and of the mailbox in it.
std::optional<syntax_error> check_path(const state& st, std::string_view rule, bool has_box)
{
    if (has_box) {
        if (auto e = check_mailbox(st)) {
            return e;
        }
        if (auto e = check_domain(st.box.domain, st.domain_offset)) {
            return e;
        }
    }
    if (st.path_size > limits::path_octets) {
        return syntax_error{std::string(rule), st.path_offset + limits::path_octets,
                            std::string(rule) + " is " + std::to_string(st.path_size)
                                + " octets, over the limit of 256 (RFC 5321 4.5.3.1.3)",
                            limits::argument_too_long_reply};
    }
    return std::nullopt;
}

/// The argument of a command whose ABNF is verb SP argument CRLF (or [SP argument]).
std::string argument_of(std::string_view line)
{
    return line.size() > 6 ? std::string(line.substr(5, line.size() - 7)) : std::string();
}

/// The command rules of RFC 5321.
struct ascii_rules
{
    using ehlo = r::ehlo;
    using helo = r::helo;
    using mail = r::mail;
    using rcpt = r::rcpt;
    using vrfy = r::vrfy;
    using expn = r::expn;
    using help = r::help;
    using noop = r::noop;
};

/// The command rules as RFC 6531 3.3 extends them.
struct utf8_rules
{
    using ehlo = r::smtputf8::ehlo;
    using helo = r::smtputf8::helo;
    using mail = r::smtputf8::mail;
    using rcpt = r::smtputf8::rcpt;
    using vrfy = r::smtputf8::vrfy;
    using expn = r::smtputf8::expn;
    using help = r::smtputf8::help;
    using noop = r::smtputf8::noop;
};

/// Splits the argument of VRFY or EXPN from RFC 6531's optional " SMTPUTF8".
std::pair<std::string, bool> string_and_smtputf8(std::string_view line)
{
    // The String is an Atom (no SP in it) or a Quoted-string (ends at its last
    // DQUOTE, since the suffix has none); what follows it is " SMTPUTF8".
    std::string arg = argument_of(line);
    const std::size_t end = arg.front() == '"' ? arg.rfind('"') + 1 : arg.find(' ');
    if (end == std::string::npos || end >= arg.size()) {
        return {arg, false};
    }
    arg.resize(end);
    return {arg, true};
}

template <typename Rule>
std::optional<syntax_error> run_command(std::string_view line, state& st, std::string_view name)
{
    return internal::run<Rule, action>(line, st, bad_arguments_reply, name);
}

template <typename Rules>
command_result parse_known(std::string_view verb, std::string_view line)
{
    state st;
    if (equal_ignoring_case(verb, "EHLO")) {
        if (auto e = run_command<typename Rules::ehlo>(line, st, "ehlo")) {
            return *e;
        }
        const std::string domain = argument_of(line);
        if (auto e = check_domain(domain, 5)) {
            return *e;
        }
        return ehlo_command{domain, domain.front() == '['};
    }
    if (equal_ignoring_case(verb, "HELO")) {
        if (auto e = run_command<typename Rules::helo>(line, st, "helo")) {
            return *e;
        }
        const std::string domain = argument_of(line);
        if (auto e = check_domain(domain, 5)) {
            return *e;
        }
        return helo_command{domain};
    }
    if (equal_ignoring_case(verb, "MAIL")) {
        if (auto e = run_command<typename Rules::mail>(line, st, "mail")) {
            return *e;
        }
        if (auto e = check_path(st, "Reverse-path", !st.from.is_null())) {
            return *e;
        }
        return mail_command{st.from, std::move(st.params)};
    }
    if (equal_ignoring_case(verb, "RCPT")) {
        if (auto e = run_command<typename Rules::rcpt>(line, st, "rcpt")) {
            return *e;
        }
        if (auto e = check_path(st, "Forward-path", !st.to.bare_postmaster)) {
            return *e;
        }
        return rcpt_command{st.to, std::move(st.params)};
    }
    if (equal_ignoring_case(verb, "DATA")) {
        if (auto e = run_command<r::data>(line, st, "data")) {
            return *e;
        }
        return data_command{};
    }
    if (equal_ignoring_case(verb, "RSET")) {
        if (auto e = run_command<r::rset>(line, st, "rset")) {
            return *e;
        }
        return rset_command{};
    }
    if (equal_ignoring_case(verb, "VRFY")) {
        if (auto e = run_command<typename Rules::vrfy>(line, st, "vrfy")) {
            return *e;
        }
        auto [arg, utf8] = string_and_smtputf8(line);
        return vrfy_command{std::move(arg), utf8};
    }
    if (equal_ignoring_case(verb, "EXPN")) {
        if (auto e = run_command<typename Rules::expn>(line, st, "expn")) {
            return *e;
        }
        auto [arg, utf8] = string_and_smtputf8(line);
        return expn_command{std::move(arg), utf8};
    }
    if (equal_ignoring_case(verb, "HELP")) {
        if (auto e = run_command<typename Rules::help>(line, st, "help")) {
            return *e;
        }
        return help_command{line.size() > 6 ? std::optional(argument_of(line)) : std::nullopt};
    }
    if (equal_ignoring_case(verb, "NOOP")) {
        if (auto e = run_command<typename Rules::noop>(line, st, "noop")) {
            return *e;
        }
        return noop_command{line.size() > 6 ? std::optional(argument_of(line)) : std::nullopt};
    }
    if (auto e = run_command<r::quit>(line, st, "quit")) {
        return *e;
    }
    return quit_command{};
}

bool is_known_verb(std::string_view verb)
{
    static constexpr std::array<std::string_view, 11> verbs{
        "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT"};
    return std::any_of(verbs.begin(), verbs.end(),
                       [&](std::string_view v) { return equal_ignoring_case(v, verb); });
}

/// Counts the IPv6-hex groups of an IPv6-addr, not counting an IPv4 part.
std::size_t ipv6_groups(std::string_view addr)
{
    std::size_t groups = 0;
    std::size_t i = 0;
    while (i < addr.size()) {
        const std::size_t end = std::min(addr.find(':', i), addr.size());
        const std::string_view piece = addr.substr(i, end - i);
        if (!piece.empty() && piece.find('.') == std::string_view::npos) {
            ++groups;
        }
        i = end + 1;
    }
    return groups;
}

/// Finds an Snum over 255 in an IPv4-address-literal starting at @p offset.
std::optional<syntax_error> check_snums(std::string_view v4, std::size_t offset)
{
    std::size_t i = 0;
    while (i <= v4.size()) {
        const std::size_t end = std::min(v4.find('.', i), v4.size());
        const std::string_view snum = v4.substr(i, end - i);
        if (std::stoi(std::string(snum)) > 255) {
            return syntax_error{"Snum", offset + i,
                                "Snum " + std::string(snum)
                                    + " is over 255 (RFC 5321 4.1.3)",
                                bad_arguments_reply};
        }
        i = end + 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<syntax_error> check_address_literal(std::string_view literal)
{
    if (literal.size() < 2 || literal.front() != '[' || literal.back() != ']') {
        return syntax_error{"address-literal", 0, "not an address-literal", bad_arguments_reply};
    }
    const std::string_view content = literal.substr(1, literal.size() - 2);
    using v4_only = pegtl::seq<r::IPv4_address_literal, pegtl::eof>;
    if (pegtl::parse<v4_only>(pegtl::memory_input<>(content, "literal"))) {
        return check_snums(content, 1);
    }
    if (content.size() < 5 || !equal_ignoring_case(content.substr(0, 5), "IPv6:")) {
        return std::nullopt;  // A General-address-literal: its tag defines the rest.
    }
    const std::string_view addr = content.substr(5);
    using v6_only = pegtl::seq<r::IPv6_addr, pegtl::eof>;
    if (!pegtl::parse<v6_only>(pegtl::memory_input<>(addr, "literal"))) {
        return syntax_error{"IPv6-addr", 6, "the address after \"IPv6:\" is not an IPv6-addr",
                            bad_arguments_reply};
    }
    const bool compressed = addr.find("::") != std::string_view::npos;
    const std::size_t dot = addr.find('.');
    const bool with_v4 = dot != std::string_view::npos;
    const std::size_t max_groups = with_v4 ? 4 : 6;
    if (compressed && ipv6_groups(addr) > max_groups) {
        return syntax_error{with_v4 ? "IPv6v4-comp" : "IPv6-comp", 6,
                            "more than " + std::to_string(max_groups)
                                + " groups besides \"::\" (RFC 5321 4.1.3)",
                            bad_arguments_reply};
    }
    if (with_v4) {
        const std::size_t v4 = addr.rfind(':') + 1;
        return check_snums(addr.substr(v4), 6 + v4);
    }
    return std::nullopt;
}

command_result parse_command(std::string_view line)
{
    return parse_command(line, parse_options{});
}

command_result parse_command(std::string_view line, const parse_options& options)
{
    // spec: 4.5.3.1 R-4.5.3.1-1 implementation (512 octets is the guaranteed size)
    if (auto e = internal::check_line_frame(line, options.command_line_octets, "command",
                                            "4.5.3.1.4", limits::line_too_long_reply)) {
        return *e;
    }
    // spec: 2.4 R-2.4-9 implementation (non-ASCII in a command: 500)
    for (std::size_t i = 0; !options.smtputf8 && i < line.size(); ++i) {
        if (static_cast<unsigned char>(line[i]) > 127) {
            return syntax_error{"command", i,
                                "octet over 127 in a command (RFC 5321 2.4)", unrecognized_reply};
        }
    }
    std::string trimmed;
    if (options.tolerate_trailing_space) {
        // LENIENT: 4.1.1 (R-4.1.1-1, EMAILCORE #105): receivers should tolerate white space
        // before the CRLF although no command's ABNF has it; SP and HTAB there are dropped
        // before the verb is read, so "NOOP<HTAB>" is NOOP. Switch:
        // parse_options::tolerate_trailing_space (off by default).
        std::size_t end = line.size() - 2;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            --end;
        }
        if (end != line.size() - 2) {
            trimmed = std::string(line.substr(0, end)) + "\r\n";
            line = trimmed;
        }
    }
    const std::string_view verb = internal::verb_of(line);
    if (!is_known_verb(verb)) {
        return syntax_error{"command", 0, "unknown command verb \"" + std::string(verb) + "\"",
                            unrecognized_reply};
    }
    return options.smtputf8 ? parse_known<utf8_rules>(verb, line)
                            : parse_known<ascii_rules>(verb, line);
}

std::variant<mailbox, syntax_error> parse_mailbox(std::string_view text)
{
    state st;
    if (auto e = internal::run<r::Mailbox, action>(text, st, bad_arguments_reply, "Mailbox")) {
        return *e;
    }
    if (auto e = check_mailbox(st)) {
        return *e;
    }
    if (auto e = check_domain(st.box.domain, st.domain_offset)) {
        return *e;
    }
    return st.box;
}

std::variant<ehlo_keyword_line, syntax_error> parse_ehlo_line(std::string_view text)
{
    internal::failure_tracker st;
    if (auto e = internal::run<r::ehlo_line, pegtl::nothing>(text, st, unrecognized_reply,
                                                              "ehlo-line")) {
        return *e;
    }
    ehlo_keyword_line out;
    std::size_t start = 0;
    while (true) {
        const std::size_t space = text.find(' ', start);
        const std::string piece(text.substr(start, space - start));
        if (start == 0) {
            out.keyword = piece;
        } else {
            out.params.push_back(piece);
        }
        if (space == std::string_view::npos) {
            break;
        }
        start = space + 1;
    }
    return out;
}

std::variant<reply_line, syntax_error> parse_reply_line(std::string_view line)
{
    // A reply line cannot be answered; 500 stands for "not a valid line" here.
    if (auto e = internal::check_line_frame(line, limits::reply_line_octets, "Reply-line",
                                            "4.5.3.1.5", unrecognized_reply)) {
        return *e;
    }
    using one_line =
        pegtl::sor<r::internal::reply_continuation_line, r::internal::reply_last_line>;
    // spec: 4.2.1 R-4.2.1-3 implementation (code, SP and no text: the form the
    // prose recommends and the ABNF lacks; the code itself is checked by the
    // grammar on the line without its space)
    if (line.size() == 6 && line[3] == ' ') {
        const std::string without_space = std::string{line.substr(0, 3)} + "\r\n";
        internal::failure_tracker bare;
        if (!internal::run<one_line, pegtl::nothing>(without_space, bare, unrecognized_reply,
                                                     "Reply-line")) {
            reply_line out;
            out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            out.space_without_text = true;
            return out;
        }
    }
    internal::failure_tracker st;
    if (auto e = internal::run<one_line, pegtl::nothing>(line, st, unrecognized_reply,
                                                          "Reply-line")) {
        return *e;
    }
    reply_line out;
    out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    out.last = line[3] != '-';
    out.text = line.size() > 6 ? std::string(line.substr(4, line.size() - 6)) : std::string();
    return out;
}

}  // namespace smtpspec::grammar
