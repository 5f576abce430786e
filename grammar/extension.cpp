// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/extension.hpp"

#include "grammar/internal/failure_tracker.hpp"
#include "grammar/internal/line.hpp"
#include "grammar/limits.hpp"
#include "grammar/parse.hpp"
#include "grammar/rules/extensions/auth.hpp"
#include "grammar/rules/extensions/chunking.hpp"
#include "grammar/rules/extensions/dsn.hpp"
#include "grammar/rules/extensions/enhanced_status.hpp"
#include "grammar/rules/extensions/mt_priority.hpp"
#include "grammar/rules/extensions/size.hpp"
#include "grammar/rules/extensions/starttls.hpp"

#include <tao/pegtl.hpp>

#include <algorithm>
#include <charconv>
#include <string>

namespace smtpspec::grammar
{

namespace
{

namespace pegtl = tao::pegtl;
namespace r = rules;

/// 4.2.2: a known verb or parameter whose arguments do not match the ABNF.
constexpr int bad_arguments_reply = 501;

using internal::equal_ignoring_case;

/// Matches Rule against a whole parameter value; errors count from the keyword.
template <typename Rule>
std::optional<syntax_error> check_value(const esmtp_param& p, std::string_view rule)
{
    const std::string value = p.value.value_or("");
    internal::failure_tracker st;
    auto e = internal::run<Rule, pegtl::nothing>(value, st, bad_arguments_reply, rule);
    if (e) {
        e->offset += p.keyword.size() + 1;
        e->message = p.keyword + "=: " + e->message;
    }
    return e;
}

syntax_error value_error(const esmtp_param& p, std::string rule, std::string message)
{
    return syntax_error{std::move(rule), p.keyword.size() + 1, p.keyword + "=: " + message,
                        bad_arguments_reply};
}

/// A keyword that must carry a value and has none.
std::optional<syntax_error> require_value(const esmtp_param& p)
{
    if (!p.value) {
        return syntax_error{"esmtp-param", p.keyword.size(),
                            p.keyword + " needs a value", bad_arguments_reply};
    }
    return std::nullopt;
}

/// True when every octet is printable US-ASCII or white space (RFC 3461 4.2, 4.4).
bool printable(std::string_view decoded)
{
    return std::all_of(decoded.begin(), decoded.end(), [](char c) {
        return (c >= 32 && c <= 126) || c == '\t';
    });
}

}  // namespace

std::optional<enhanced_status> parse_enhanced_status(std::string_view text)
{
    pegtl::memory_input<> in(text.data(), text.size(), "status");
    if (!pegtl::parse<r::enhancedstatuscodes::status_code>(in)) {
        return std::nullopt;
    }
    const auto length = static_cast<std::size_t>(in.current() - text.data());
    if (length < text.size() && text[length] != ' ') {
        return std::nullopt;
    }
    enhanced_status out;
    const char* p = text.data();
    const char* end = text.data() + length;
    p = std::from_chars(p, end, out.status_class).ptr + 1;
    p = std::from_chars(p, end, out.subject).ptr + 1;
    std::from_chars(p, end, out.detail);
    return out;
}

std::string encode_xtext(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 33 && c <= 126 && c != '+' && c != '=') {
            out += ch;
        } else {
            out += '+';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::optional<std::string> decode_xtext(std::string_view text, bool lower_case_hex)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '+') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            int value = 0;
            for (std::size_t k = 1; k <= 2; ++k) {
                const char h = text[i + k];
                int digit = -1;
                if (h >= '0' && h <= '9') {
                    digit = h - '0';
                } else if (h >= 'A' && h <= 'F') {
                    digit = h - 'A' + 10;
                } else if (lower_case_hex && h >= 'a' && h <= 'f') {
                    digit = h - 'a' + 10;
                }
                if (digit < 0) {
                    return std::nullopt;
                }
                value = value * 16 + digit;
            }
            out += static_cast<char>(value);
            i += 2;
        } else if (c >= 33 && c <= 126 && c != '=') {
            out += static_cast<char>(c);
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::variant<extension_command, syntax_error> parse_extension_command(std::string_view line)
{
    if (auto e = internal::check_line_frame(line, limits::command_line_octets, "command",
                                            "4.5.3.1.4", limits::line_too_long_reply)) {
        return *e;
    }
    const std::string_view verb = internal::verb_of(line);
    internal::failure_tracker st;
    if (equal_ignoring_case(verb, "BDAT")) {
        if (auto e = internal::run<r::chunking::bdat_cmd, pegtl::nothing>(
                line, st, bad_arguments_reply, "bdat-cmd")) {
            return *e;
        }
        const std::size_t digits_end = line.find_first_of(" \r", 5);
        bdat_command out;
        const auto [ptr, ec] =
            std::from_chars(line.data() + 5, line.data() + digits_end, out.chunk_size);
        if (ec != std::errc{} || ptr != line.data() + digits_end) {
            return syntax_error{"chunk-size", 5, "chunk-size does not fit in 64 bits",
                                bad_arguments_reply};
        }
        out.last = line[digits_end] == ' ';
        return extension_command{out};
    }
    if (equal_ignoring_case(verb, "STARTTLS")) {
        // RFC 3207 4: STARTTLS takes no parameters; a 501 is its syntax error reply.
        if (auto e = internal::run<r::starttls::starttls, pegtl::nothing>(
                line, st, bad_arguments_reply, "starttls")) {
            return *e;
        }
        return extension_command{starttls_command{}};
    }
    if (equal_ignoring_case(verb, "AUTH")) {
        if (auto e = internal::run<r::auth::auth_command_line, pegtl::nothing>(
                line, st, bad_arguments_reply, "auth-command")) {
            return *e;
        }
        const std::string_view args = line.substr(5, line.size() - 7);
        const std::size_t space = args.find(' ');
        auth_command out;
        out.mechanism = std::string(args.substr(0, space));
        if (space != std::string_view::npos) {
            out.initial_response = std::string(args.substr(space + 1));
        }
        return extension_command{out};
    }
    return syntax_error{"command", 0, "unknown command verb \"" + std::string(verb) + "\"",
                        internal::unrecognized_reply};
}

std::optional<syntax_error> check_mail_parameter(const esmtp_param& p)
{
    const std::string& k = p.keyword;
    if (equal_ignoring_case(k, "SIZE")) {
        if (auto e = require_value(p)) {
            return e;
        }
        return check_value<r::size::size_value>(p, "size-value");
    }
    if (equal_ignoring_case(k, "BODY")) {
        if (auto e = require_value(p)) {
            return e;
        }
        // RFC 3030 3 adds BINARYMIME; whether it is offered is the session's business.
        return check_value<r::chunking::body_value>(p, "body-value");
    }
    if (equal_ignoring_case(k, "SMTPUTF8")) {
        // RFC 6531 3.4: the parameter takes no value.
        if (p.value) {
            return value_error(p, "esmtp-param", "SMTPUTF8 takes no value (RFC 6531 3.4)");
        }
        return std::nullopt;
    }
    if (equal_ignoring_case(k, "RET")) {
        if (auto e = require_value(p)) {
            return e;
        }
        return check_value<r::dsn::ret_value>(p, "RET");
    }
    if (equal_ignoring_case(k, "ENVID")) {
        if (auto e = require_value(p)) {
            return e;
        }
        if (auto e = check_value<r::dsn::xtext>(p, "xtext")) {
            return e;
        }
        const std::string decoded = decode_xtext(*p.value).value_or("");
        if (!printable(decoded)) {
            return value_error(p, "envid-parameter",
                               "decoded ENVID is not printable US-ASCII (RFC 3461 4.4)");
        }
        if (decoded.size() > 100) {
            return value_error(p, "envid-parameter", "ENVID is over 100 characters (RFC 3461 4.4)");
        }
        return std::nullopt;
    }
    if (equal_ignoring_case(k, "AUTH")) {
        if (auto e = require_value(p)) {
            return e;
        }
        if (auto e = check_value<r::auth::xtext>(p, "xtext")) {
            return e;
        }
        // RFC 4954 5: the decoded value is a Mailbox or "<>".
        const std::string decoded = decode_xtext(*p.value, true).value_or("");
        if (decoded != "<>" && !std::holds_alternative<mailbox>(parse_mailbox(decoded))) {
            return value_error(p, "auth-param",
                               "decoded AUTH value is neither a Mailbox nor <> (RFC 4954 5)");
        }
        return std::nullopt;
    }
    if (equal_ignoring_case(k, "MT-PRIORITY")) {
        if (auto e = require_value(p)) {
            return e;
        }
        return check_value<r::mt_priority::priority_value>(p, "priority-value");
    }
    return std::nullopt;
}

std::optional<syntax_error> check_rcpt_parameter(const esmtp_param& p)
{
    if (equal_ignoring_case(p.keyword, "NOTIFY")) {
        if (auto e = require_value(p)) {
            return e;
        }
        return check_value<r::dsn::notify_esmtp_value>(p, "notify-esmtp-value");
    }
    if (equal_ignoring_case(p.keyword, "ORCPT")) {
        if (auto e = require_value(p)) {
            return e;
        }
        if (auto e = check_value<r::dsn::original_recipient_address>(
                p, "original-recipient-address")) {
            return e;
        }
        const std::string_view value = *p.value;
        const std::string decoded =
            decode_xtext(value.substr(value.find(';') + 1)).value_or("");
        if (!printable(decoded)) {
            return value_error(p, "original-recipient-address",
                               "decoded ORCPT address is not printable US-ASCII (RFC 3461 4.2)");
        }
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace smtpspec::grammar
