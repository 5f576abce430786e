// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for the connection and the session commands: greeting, EHLO,
// HELO, RSET, NOOP, QUIT and unrecognised verbs.

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

#include "grammar/parse.hpp"
#include "grammar/rules/ehlo.hpp"

#include <tao/pegtl.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <variant>

namespace smtpspec::validate::internal
{

namespace
{
/**
 * Checks the text of one ehlo-line of 4.1.1.1 with the grammar.
 * @return empty, or what is wrong.
 */
std::string ehlo_line_problem(std::string_view text)
{
    const auto parsed = grammar::parse_ehlo_line(text);
    if (const auto* err = std::get_if<grammar::syntax_error>(&parsed)) {
        return err->rule + " at offset " + std::to_string(err->offset) + ": " + err->message;
    }
    return {};
}

/**
 * Matches the whole EHLO reply against ehlo-ok-rsp of 4.1.1.1.
 * @return true when the octets of all lines form one ehlo-ok-rsp.
 */
bool is_ehlo_ok_rsp(const server_reply& r)
{
    std::string octets;
    for (const auto& l : r.lines) {
        octets += l.octets;
    }
    namespace pegtl = tao::pegtl;
    pegtl::memory_input in{octets, "EHLO reply"};
    return pegtl::parse<pegtl::seq<grammar::rules::ehlo_ok_rsp, pegtl::eof>>(in);
}

/**
 * @return true when an ehlo-line's keyword names a registered service
 * extension, i.e. the line advertises one.
 */
bool advertises_extension(std::string_view text)
{
    static constexpr std::string_view known[] = {
        "8BITMIME", "AUTH", "BINARYMIME", "CHUNKING", "DELIVERBY", "DSN",
        "ENHANCEDSTATUSCODES", "ETRN", "EXPN", "MT-PRIORITY", "PIPELINING", "REQUIRETLS",
        "SIZE", "SMTPUTF8", "STARTTLS", "VRFY"};
    const auto parsed = grammar::parse_ehlo_line(text);
    const auto* line = std::get_if<grammar::ehlo_keyword_line>(&parsed);
    if (line == nullptr) {
        return false;
    }
    std::string keyword = line->keyword;
    for (auto& c : keyword) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return std::ranges::find(known, keyword) != std::end(known);
}
}  // namespace

std::string reply_syntax_problems(const server_reply& r)
{
    std::string out;
    if (!r.valid_syntax()) {
        out = "not Reply-line syntax (4.2): " + r.syntax_errors();
    }
    if (!r.consistent_codes()) {
        if (!out.empty()) {
            out += "; ";
        }
        out += "lines of one reply carry different codes (4.2.1 R-4.2.1-5)";
    }
    return out;
}

// rfc5321/3.1/1: the connection greeting. 3.1 lets a server greet with 554
// to refuse service; 4.2 gives the Greeting syntax; 4.3.2 R-4.3.2-3 bounds
// the codes.
// spec: 3.1 R-3.1-3 check
// spec: 4.2 check
// spec: 4.2.1 R-4.2.1-5 check
// spec: 4.3.2 R-4.3.2-3 check
finding greeting_is_220(probe_session& s)
{
    const auto r = s.read_greeting();
    if (!r) {
        return s.aborted();
    }
    if (const auto problem = reply_syntax_problems(*r); !problem.empty()) {
        return {verdict::violated, "greeting " + r->summary() + ": " + problem};
    }
    if (r->code() == 554) {
        return {verdict::informational,
                "greeting is 554: the server refuses service here (3.1 R-3.1-3 permits it)"};
    }
    if (r->code() != 220) {
        return {verdict::violated, got("the greeting", *r) + "; 220 or 554 expected (3.1, 4.2)"};
    }
    return {verdict::conforming, "greeting " + r->summary()};
}

// rfc5321/4.1.1.1/1: EHLO gets 250; each further line is an ehlo-line.
// spec: 4.1.1.1 check
// spec: 4.2.1 R-4.2.1-5 check
// spec: 4.5.1 R-4.5.1-2 check
finding ehlo_is_250_multiline(probe_session& s)
{
    if (!s.expect_greeting()) {
        return s.aborted();
    }
    const auto r = s.command("EHLO " + s.config().client_domain);
    if (!r) {
        return s.aborted();
    }
    if (const auto problem = reply_syntax_problems(*r); !problem.empty()) {
        return {verdict::violated, "EHLO reply " + r->summary() + ": " + problem};
    }
    if (r->code() != 250) {
        return {verdict::violated,
                got("EHLO", *r) + "; servers must support EHLO (4.5.1 R-4.5.1-2)"};
    }
    if (r->lines.front().text.empty()) {
        return {verdict::violated, "first EHLO line lacks the server's Domain (4.1.1.1)"};
    }
    for (std::size_t i = 1; i < r->lines.size(); ++i) {
        if (const auto p = ehlo_line_problem(r->lines[i].text); !p.empty()) {
            return {verdict::violated,
                    "EHLO line " + std::to_string(i + 1) + " \"" + r->lines[i].text + "\": " + p
                        + " (4.1.1.1)"};
        }
    }
    if (!is_ehlo_ok_rsp(*r)) {
        return {verdict::violated, "EHLO reply " + r->summary()
                                       + " does not match ehlo-ok-rsp: the first line needs "
                                         "the server's Domain, each further line an ehlo-line "
                                         "(4.1.1.1)"};
    }
    return {verdict::conforming,
            "EHLO got 250 with " + std::to_string(r->lines.size() - 1) + " extension line(s)"};
}

// rfc5321/4.1.1.1/2: servers must support HELO (R-4.1.1.1-5, R-4.5.1-2).
// spec: 4.1.1.1 R-4.1.1.1-5 check
// spec: 4.5.1 R-4.5.1-2 check
finding helo_is_250(probe_session& s)
{
    if (!s.expect_greeting()) {
        return s.aborted();
    }
    const auto r = s.command("HELO " + s.config().client_domain);
    if (!r) {
        return s.aborted();
    }
    if (const auto problem = reply_syntax_problems(*r); !problem.empty()) {
        return {verdict::violated, "HELO reply " + r->summary() + ": " + problem};
    }
    if (r->code() != 250) {
        return {verdict::violated, got("HELO", *r) + "; 250 expected (4.1.1.1 R-4.1.1.1-5)"};
    }
    return {verdict::conforming, got("HELO", *r)};
}

// rfc5321/4.1.1/1: white space before the CRLF of a command should be
// tolerated (R-4.1.1-1, WG #105).
// spec: 4.1.1 R-4.1.1-1 check (WG #105)
finding trailing_space_tolerated(probe_session& s)
{
    if (!s.open_session()) {
        return s.aborted();
    }
    const auto r = s.exchange("RSET \r\n", "RSET with a trailing space");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        return {verdict::violated, got("\"RSET \" (trailing space)", *r)
                                       + "; receivers should tolerate it (4.1.1 R-4.1.1-1)"};
    }
    return {verdict::conforming, got("\"RSET \" (trailing space)", *r)};
}

// rfc5321/4.1.1.5/1: RSET gets 250 (R-4.1.1.5-2) and clears the
// transaction (R-4.1.1.5-1), so a new MAIL is not out of sequence.
// spec: 4.1.1.5 R-4.1.1.5-1 R-4.1.1.5-2 check
finding rset_is_250(probe_session& s)
{
    if (!s.open_session() || !s.start_mail()) {
        return s.aborted();
    }
    const auto r = s.command("RSET");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        return {verdict::violated, got("RSET", *r) + "; 250 required (4.1.1.5 R-4.1.1.5-2)"};
    }
    const auto again = s.command("MAIL FROM:<" + s.config().from + ">");
    if (!again) {
        return s.aborted();
    }
    if (again->code() == 503) {
        return {verdict::violated, "MAIL after RSET got 503: RSET did not end the transaction "
                                   "(4.1.1.5 R-4.1.1.5-1)"};
    }
    return {verdict::conforming, got("RSET", *r) + ", then " + got("MAIL", *again)};
}

// rfc5321/4.1.1.9/1: NOOP gets 250 (4.1.1.9; NOOP is required by 4.5.1).
// spec: 4.1.1.9 check
// spec: 4.5.1 R-4.5.1-2 check
finding noop_is_250(probe_session& s)
{
    const auto r = command_in_session(s, "NOOP");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        return {verdict::violated, got("NOOP", *r) + "; 250 expected (4.1.1.9, 4.5.1)"};
    }
    return {verdict::conforming, got("NOOP", *r)};
}

// rfc5321/4.1.1.10/1: QUIT gets 221, then the server closes (R-4.1.1.10-1).
// spec: 4.1.1.10 R-4.1.1.10-1 check
finding quit_is_221_and_close(probe_session& s)
{
    const auto r = command_in_session(s, "QUIT");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 221) {
        return {verdict::violated, got("QUIT", *r) + "; 221 required (4.1.1.10 R-4.1.1.10-1)"};
    }
    std::error_code ec;
    if (!s.connection().wait_for_close(ec)) {
        return {verdict::violated, "QUIT got 221 but the server did not close the connection "
                                   "within the timeout (4.1.1.10 R-4.1.1.10-1)"};
    }
    return {verdict::conforming, got("QUIT", *r) + ", then the server closed"};
}

// rfc5321/4.2.2/1: an unrecognised verb gets 500 (4.2.2, table of 4.3.2,
// R-4.3.1-3).
// spec: 4.2.2 check
// spec: 4.3.1 R-4.3.1-3 check
// spec: 4.3.2 check
finding unknown_verb_is_500(probe_session& s)
{
    const auto r = command_in_session(s, "FROB");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 500) {
        return {verdict::violated,
                got("the unknown verb FROB", *r) + "; 500 expected (4.2.2, 4.3.2)"};
    }
    return {verdict::conforming, got("the unknown verb FROB", *r)};
}

// rfc5321/4.3.2/1: RSET takes no argument; with one, 501 should follow
// (R-4.3.2-5, R-4.1.1-4).
// spec: 4.3.2 R-4.3.2-5 check
// spec: 4.1.1 R-4.1.1-4 check
finding rset_argument_is_501(probe_session& s)
{
    const auto r = command_in_session(s, "RSET now");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 501) {
        return {verdict::violated,
                got("\"RSET now\"", *r) + "; 501 expected (4.3.2 R-4.3.2-5, 4.1.1 R-4.1.1-4)"};
    }
    return {verdict::conforming, got("\"RSET now\"", *r)};
}


// rfc5321/3.2/1: a server must not answer HELO with the extended,
// EHLO-style reply (R-3.2-2): no service extension lines after HELO.
// spec: 3.2 R-3.2-2 check
finding helo_reply_not_ehlo_style(probe_session& s)
{
    if (!s.expect_greeting()) {
        return s.aborted();
    }
    const auto r = s.command("HELO " + s.config().client_domain);
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 250) {
        s.fail_setup("HELO", *r);
        return s.aborted();
    }
    for (std::size_t i = 1; i < r->lines.size(); ++i) {
        const auto& text = r->lines[i].text;
        if (advertises_extension(text)) {
            return {verdict::violated, "HELO reply line " + std::to_string(i + 1) + " \"" + text
                                           + "\" advertises an extension, as an EHLO reply "
                                             "would (3.2 R-3.2-2)"};
        }
    }
    return {verdict::conforming, got("HELO", *r)};
}

}  // namespace smtpspec::validate::internal
