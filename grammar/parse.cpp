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
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace smtpspec::grammar
{

namespace
{

namespace pegtl = tao::pegtl;
namespace r = rules;

/// An esmtp-param as matched: views into the line.
struct param_view
{
    std::string_view keyword;  ///< esmtp-keyword.
    std::string_view value;    ///< esmtp-value, empty when has_value is false.
    bool has_value = false;    ///< True when "=" esmtp-value was given.
};

/**
 * What the actions below collect while a command line is parsed: views into
 * the line only, so that a parse allocates nothing until the typed result is
 * built from them once it has succeeded.
 */
struct state
{
    const char* base = nullptr;      ///< First octet of the input.
    std::string_view local_part;     ///< The last Local-part matched.
    std::size_t local_offset = 0;    ///< Where it starts.
    std::string_view box_local;      ///< Local part of the last Mailbox matched.
    std::string_view box_domain;     ///< Domain or address-literal of that Mailbox.
    std::size_t domain_offset = 0;   ///< Where its domain part starts.
    std::string_view route;          ///< A-d-l of the last Path matched, without ":".
    std::size_t path_offset = 0;     ///< Where the path (with "<") starts.
    std::size_t path_size = 0;       ///< Its length with "<" and ">".
    bool null_path = false;          ///< The Reverse-path of MAIL is "<>".
    bool bare_postmaster = false;    ///< The argument of RCPT TO: is "<Postmaster>".

    /// Parameters held in place; lines with more of them spill into more_params.
    static constexpr std::size_t inline_params = 8;
    std::array<param_view, inline_params> params{};  ///< The first Mail-/Rcpt-parameters.
    std::size_t param_count = 0;                     ///< How many were matched.
    std::vector<param_view> more_params;             ///< Those after the first eight.

    [[nodiscard]] std::size_t offset_of(const char* p) const
    {
        return static_cast<std::size_t>(p - base);
    }

    void add_param(const param_view& p)
    {
        if (param_count < inline_params) {
            params[param_count] = p;
        } else {
            more_params.push_back(p);
        }
        ++param_count;
    }

    /// @return the parameters as the typed result holds them.
    [[nodiscard]] std::vector<esmtp_param> typed_params() const
    {
        std::vector<esmtp_param> out;
        out.reserve(param_count);
        for (std::size_t i = 0; i < param_count; ++i) {
            const param_view& p = i < inline_params ? params[i] : more_params[i - inline_params];
            out.push_back(esmtp_param{std::string(p.keyword),
                                      p.has_value ? std::optional<std::string>(std::in_place,
                                                                               p.value)
                                                  : std::nullopt});
        }
        return out;
    }

    /// @return the last Path matched, as the typed result holds it.
    [[nodiscard]] path typed_path() const
    {
        return path{std::string(route), mailbox{std::string(box_local), std::string(box_domain)}};
    }
};

struct local_part_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        st.local_part = in.string_view();
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
        st.box_local = st.local_part;
        st.box_domain = text.substr(st.local_part.size() + 1);
        st.domain_offset = st.local_offset + st.local_part.size() + 1;
    }
};

/// Records the text "<" [ A-d-l ":" ] Mailbox ">" around the last Mailbox.
struct path_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        const std::string_view text = in.string_view();
        const std::size_t box_size = st.box_local.size() + 1 + st.box_domain.size();
        st.route = text.size() > 1 && text[1] == '@'
                     ? text.substr(1, text.size() - 3 - box_size)
                     : std::string_view();
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
        st.bare_postmaster = false;
    }
};

struct reverse_path_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        st.null_path = in.size() == 2;  // "<>"; a Path is longer.
        if (st.null_path) {
            st.path_offset = st.offset_of(in.begin());
            st.path_size = 2;
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
        st.box_local = st.local_part;
        st.box_domain = text.substr(12, text.size() - 13);
        st.domain_offset = at + 12;
        st.route = {};
        st.path_offset = at;
        st.path_size = text.size();
        st.bare_postmaster = false;
    }
};

struct bare_postmaster_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        st.bare_postmaster = true;
        st.path_offset = st.offset_of(in.begin());
        st.path_size = in.size();
    }
};

struct esmtp_param_action
{
    template <typename Input>
    static void apply(const Input& in, state& st)
    {
        // esmtp-keyword has no "=", so the first one ends it.
        const std::string_view text = in.string_view();
        std::size_t eq = 0;
        while (eq < text.size() && text[eq] != '=') {
            ++eq;
        }
        if (eq == text.size()) {
            st.add_param(param_view{text, {}, false});
        } else {
            st.add_param(param_view{text.substr(0, eq), text.substr(eq + 1), true});
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

/// Checks the 4.5.3.1.1 limit for the last Mailbox matched.
std::optional<syntax_error> check_mailbox(const state& st)
{
    if (st.box_local.size() > limits::local_part_octets) {
        return syntax_error{"Local-part", st.local_offset + limits::local_part_octets,
                            "Local-part is " + std::to_string(st.box_local.size())
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
        if (auto e = check_domain(st.box_domain, st.domain_offset)) {
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
std::string_view argument_of(std::string_view line)
{
    return line.size() > 6 ? line.substr(5, line.size() - 7) : std::string_view();
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

/// The command rules as RFC 6531 3.3 extends them. EHLO and HELO keep the
/// ASCII Domain: RFC 6531 3.7.1 has the client send only LDH labels or
/// A-labels there (it cannot know yet whether the server takes UTF-8), so
/// a U-label in EHLO is the client's syntax error, not an extended Domain.
// spec: rfc6531/3.7.1 implementation
struct utf8_rules
{
    using ehlo = r::ehlo;
    using helo = r::helo;
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
    const std::string_view arg = argument_of(line);
    const std::size_t end = arg.front() == '"' ? arg.rfind('"') + 1 : arg.find(' ');
    if (end == std::string_view::npos || end >= arg.size()) {
        return {std::string(arg), false};
    }
    return {std::string(arg.substr(0, end)), true};
}

template <typename Rule>
std::optional<syntax_error> run_command(std::string_view line, state& st, std::string_view name)
{
    return internal::run<Rule, action>(line, st, bad_arguments_reply, name);
}

/// The verbs of 4.1.1.
enum class verb_id
{
    unknown, ehlo, helo, mail, rcpt, data, rset, vrfy, expn, help, noop, quit
};

/// @return the four octets of @p verb, ASCII letters in lower case, as one number.
constexpr std::uint32_t pack_lower(std::string_view verb)
{
    std::uint32_t packed = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const char c = verb[i];
        const char l = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        packed = (packed << 8U) | static_cast<unsigned char>(l);
    }
    return packed;
}

/// @return which verb of 4.1.1 @p verb is, ignoring case (2.4), or verb_id::unknown.
verb_id known_verb(std::string_view verb)
{
    if (verb.size() != 4) {
        return verb_id::unknown;
    }
    switch (pack_lower(verb)) {
    case pack_lower("ehlo"): return verb_id::ehlo;
    case pack_lower("helo"): return verb_id::helo;
    case pack_lower("mail"): return verb_id::mail;
    case pack_lower("rcpt"): return verb_id::rcpt;
    case pack_lower("data"): return verb_id::data;
    case pack_lower("rset"): return verb_id::rset;
    case pack_lower("vrfy"): return verb_id::vrfy;
    case pack_lower("expn"): return verb_id::expn;
    case pack_lower("help"): return verb_id::help;
    case pack_lower("noop"): return verb_id::noop;
    case pack_lower("quit"): return verb_id::quit;
    default: return verb_id::unknown;
    }
}

/// @return the optional String argument of HELP and NOOP.
std::optional<std::string> optional_argument(std::string_view line)
{
    return line.size() > 6 ? std::optional<std::string>(std::in_place, argument_of(line))
                           : std::nullopt;
}

template <typename Rules>
command_result parse_known(verb_id verb, std::string_view line)
{
    state st;
    switch (verb) {
    case verb_id::ehlo: {
        if (auto e = run_command<typename Rules::ehlo>(line, st, "ehlo")) {
            return *e;
        }
        const std::string_view domain = argument_of(line);
        if (auto e = check_domain(domain, 5)) {
            return *e;
        }
        return ehlo_command{std::string(domain), domain.front() == '['};
    }
    case verb_id::helo: {
        if (auto e = run_command<typename Rules::helo>(line, st, "helo")) {
            return *e;
        }
        const std::string_view domain = argument_of(line);
        if (auto e = check_domain(domain, 5)) {
            return *e;
        }
        return helo_command{std::string(domain)};
    }
    case verb_id::mail:
        if (auto e = run_command<typename Rules::mail>(line, st, "mail")) {
            return *e;
        }
        if (auto e = check_path(st, "Reverse-path", !st.null_path)) {
            return *e;
        }
        return mail_command{st.null_path ? reverse_path{} : reverse_path{st.typed_path()},
                            st.typed_params()};
    case verb_id::rcpt:
        if (auto e = run_command<typename Rules::rcpt>(line, st, "rcpt")) {
            return *e;
        }
        if (auto e = check_path(st, "Forward-path", !st.bare_postmaster)) {
            return *e;
        }
        return rcpt_command{st.bare_postmaster ? forward_path{true, std::nullopt}
                                               : forward_path{false, st.typed_path()},
                            st.typed_params()};
    case verb_id::data:
        if (auto e = run_command<r::data>(line, st, "data")) {
            return *e;
        }
        return data_command{};
    case verb_id::rset:
        if (auto e = run_command<r::rset>(line, st, "rset")) {
            return *e;
        }
        return rset_command{};
    case verb_id::vrfy: {
        if (auto e = run_command<typename Rules::vrfy>(line, st, "vrfy")) {
            return *e;
        }
        auto [arg, utf8] = string_and_smtputf8(line);
        return vrfy_command{std::move(arg), utf8};
    }
    case verb_id::expn: {
        if (auto e = run_command<typename Rules::expn>(line, st, "expn")) {
            return *e;
        }
        auto [arg, utf8] = string_and_smtputf8(line);
        return expn_command{std::move(arg), utf8};
    }
    case verb_id::help:
        if (auto e = run_command<typename Rules::help>(line, st, "help")) {
            return *e;
        }
        return help_command{optional_argument(line)};
    case verb_id::noop:
        if (auto e = run_command<typename Rules::noop>(line, st, "noop")) {
            return *e;
        }
        return noop_command{optional_argument(line)};
    case verb_id::quit:
    case verb_id::unknown:
        break;
    }
    if (auto e = run_command<r::quit>(line, st, "quit")) {
        return *e;
    }
    return quit_command{};
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
        int value = 0;  // An Snum is 1*3DIGIT: no overflow.
        for (const char d : snum) {
            value = value * 10 + (d - '0');
        }
        if (value > 255) {
            return syntax_error{"Snum", offset + i,
                                "Snum " + std::string(snum)
                                    + " is over 255 (RFC 5321 4.1.3)",
                                bad_arguments_reply};
        }
        i = end + 1;
    }
    return std::nullopt;
}

/// @return true when some octet of @p text is over 127; reads eight octets at a time.
bool has_octet_over_127(std::string_view text)
{
    constexpr std::uint64_t high_bits = 0x8080808080808080U;
    std::uint64_t any = 0;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + i, sizeof word);
        any |= word;
    }
    for (; i < text.size(); ++i) {
        any |= static_cast<unsigned char>(text[i]);
    }
    return (any & high_bits) != 0;
}

}  // namespace

std::optional<syntax_error> check_address_literal(std::string_view literal)
{
    if (literal.size() < 2 || literal.front() != '[' || literal.back() != ']') {
        return syntax_error{"address-literal", 0, "not an address-literal", bad_arguments_reply};
    }
    const std::string_view content = literal.substr(1, literal.size() - 2);
    using v4_only = pegtl::seq<r::IPv4_address_literal, pegtl::eof>;
    if (pegtl::parse<v4_only>(
            internal::line_input(content.data(), content.data() + content.size(), "literal"))) {
        return check_snums(content, 1);
    }
    if (content.size() < 5 || !equal_ignoring_case(content.substr(0, 5), "IPv6:")) {
        return std::nullopt;  // A General-address-literal: its tag defines the rest.
    }
    const std::string_view addr = content.substr(5);
    using v6_only = pegtl::seq<r::IPv6_addr, pegtl::eof>;
    if (!pegtl::parse<v6_only>(
            internal::line_input(addr.data(), addr.data() + addr.size(), "literal"))) {
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
    if (!options.smtputf8 && has_octet_over_127(line)) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (static_cast<unsigned char>(line[i]) > 127) {
                return syntax_error{"command", i, "octet over 127 in a command (RFC 5321 2.4)",
                                    unrecognized_reply};
            }
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
    const std::string_view verb_text = internal::verb_of(line);
    const verb_id verb = known_verb(verb_text);
    if (verb == verb_id::unknown) {
        return syntax_error{"command", 0, "unknown command verb \"" + std::string(verb_text) + "\"",
                            unrecognized_reply};
    }
    return options.smtputf8 ? parse_known<utf8_rules>(verb, line)
                            : parse_known<ascii_rules>(verb, line);
}

bool is_atom(std::string_view text)
{
    int no_state = 0;  // The rule runs no action.
    return internal::matches<r::Atom, pegtl::nothing>(text, no_state);
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
    if (auto e = check_domain(st.box_domain, st.domain_offset)) {
        return *e;
    }
    return mailbox{std::string(st.box_local), std::string(st.box_domain)};
}

std::variant<ehlo_greeting_line, syntax_error> parse_ehlo_greeting_line(std::string_view text)
{
    // ehlo-ok-rsp's first line after its code and separator (4.1.1.1).
    using first_line = pegtl::seq<r::Domain, pegtl::opt<r::SP, r::ehlo_greet>>;
    internal::failure_tracker st;
    if (auto e = internal::run<first_line, pegtl::nothing>(text, st, unrecognized_reply,
                                                            "ehlo-ok-rsp")) {
        return *e;
    }
    const std::size_t space = text.find(' ');
    ehlo_greeting_line out;
    out.domain = std::string(text.substr(0, space));
    if (space != std::string_view::npos) {
        out.greeting = std::string(text.substr(space + 1));
    }
    return out;
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
    // spec: 4.2.1 R-4.2.1-3 implementation (code, SP and no text: the form the
    // prose recommends and the ABNF lacks, as a third alternative)
    using one_line =
        pegtl::sor<r::internal::reply_continuation_line, r::internal::reply_last_line,
                   r::internal::reply_last_line_space_only>;
    internal::failure_tracker st;
    if (auto e = internal::run<one_line, pegtl::nothing>(line, st, unrecognized_reply,
                                                          "Reply-line")) {
        return *e;
    }
    reply_line out;
    out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    out.last = line[3] != '-';
    out.text = line.size() > 6 ? std::string(line.substr(4, line.size() - 6)) : std::string();
    // Only the third alternative leaves six octets with a space after the code.
    out.space_without_text = line.size() == 6 && line[3] == ' ';
    return out;
}

}  // namespace smtpspec::grammar
