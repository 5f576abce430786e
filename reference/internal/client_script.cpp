// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/client_script.hpp"

#include "reference/internal/parameters.hpp"
#include "reference/internal/setting_lines.hpp"
#include "reference/trace.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <sstream>
#include <stdexcept>

namespace smtpspec::reference::internal
{

namespace
{
unsigned number(const std::string& word, std::string_view what)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (word.empty() || ec != std::errc{} || end != word.data() + word.size()) {
        throw std::invalid_argument("expected " + std::string{what} + ", got \"" + word + "\"");
    }
    return value;
}

/// The verbs the server consults its script for: the commands of 4.1.1 (by
/// their first four letters, as the session looks them up), the greeting,
/// and the end of the mail data.
bool known_verb(std::string_view verb)
{
    static constexpr std::string_view verbs[] = {"EHLO", "HELO",     "MAIL",    "RCPT", "DATA",
                                                 "RSET", "VRFY",     "EXPN",    "HELP", "NOOP",
                                                 "QUIT", "GREETING", "DATA-END"};
    return std::ranges::find(verbs, verb) != std::end(verbs);
}

/// An occurrence: 1 or more, or "every" (0).
unsigned occurrence(const std::string& word)
{
    if (word == "every") {
        return 0;
    }
    const unsigned n = number(word, "an occurrence (1, 2, ... or every)");
    if (n == 0) {
        throw std::invalid_argument("expected an occurrence (1, 2, ... or every), got \"0\"");
    }
    return n;
}

/// Refuses words left after a rule that takes no more.
void expect_end(std::istringstream& in, std::string_view rule)
{
    std::string extra;
    if (in >> extra) {
        throw std::invalid_argument("unexpected \"" + extra + "\" after \"" + std::string{rule} +
                                    "\"");
    }
}
}  // namespace

const scripted_reply* client_script::find(std::string_view verb, unsigned occurrence) const
{
    for (const auto& r : replies) {
        if (r.verb == verb && (r.nth == 0 || r.nth == occurrence)) {
            return &r;
        }
    }
    return nullptr;
}

void add_rule(client_script& script, std::string_view rule)
{
    std::istringstream in{std::string{rule}};
    std::string what;
    in >> what;
    if (what == "multiline") {
        expect_end(in, what);
        script.multiline = true;
    } else if (what == "tls-failure") {
        expect_end(in, what);
        script.tls_failure = true;
    } else if (what == "delay") {
        std::string ms;
        in >> ms;
        script.delay = std::chrono::milliseconds{number(ms, "milliseconds")};
        expect_end(in, what + " " + ms);
    } else if (what == "reply" || what == "close") {
        scripted_reply r;
        std::string verb;
        in >> verb;
        r.verb = ascii_upper(verb);
        if (r.verb.empty()) {
            throw std::invalid_argument(what + " needs a verb");
        }
        if (!known_verb(r.verb)) {
            throw std::invalid_argument(
                "unknown verb \"" + verb +
                "\" (EHLO, HELO, MAIL, RCPT, DATA, RSET, VRFY, EXPN, HELP, NOOP, QUIT, "
                "GREETING, DATA-END)");
        }
        std::string code;
        if (what == "reply") {
            in >> code;
            r.code = static_cast<int>(number(code, "a reply code"));
            // 4.2: Reply-code is %x32-35 %x30-35 %x30-39; a script forces failures only.
            if (r.code < 400 || r.code > 559 || r.code / 10 % 10 > 5) {
                throw std::invalid_argument(
                    "the code of a scripted reply is 4yz or 5yz with y from 0 to 5, got " + code);
            }
        } else {
            r.code = 421;
        }
        std::string word;
        if (in >> word) {
            // A count: "every", digits, or what tries to be one ("-1", "+2",
            // "2nd"); a word with other characters ("4.7.1") starts the text.
            const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)); };
            const std::size_t from = word[0] == '-' || word[0] == '+' ? 1 : 0;
            const bool count =
                word == "every" ||
                (word.size() > from && std::isdigit(static_cast<unsigned char>(word[from])) &&
                 std::all_of(word.begin() + static_cast<std::ptrdiff_t>(from), word.end(), alnum));
            if (count) {
                r.nth = occurrence(word);
                word.clear();
            } else if (what == "close") {
                throw std::invalid_argument("expected an occurrence (1, 2, ... or every), got \"" +
                                            word + "\"");
            }
        }
        if (what == "close") {
            expect_end(in, what + " " + verb);
        }
        std::string rest;
        std::getline(in >> std::ws, rest);
        r.text = word.empty() ? rest : rest.empty() ? word : word + " " + rest;
        script.replies.push_back(std::move(r));
    } else {
        throw std::invalid_argument("unknown rule \"" + what +
                                    "\" (reply, close, delay, multiline, tls-failure)");
    }
}

client_script load_client_script(const std::filesystem::path& file)
{
    client_script script;
    for (const auto& [n, line] : read_setting_lines(file, "the script")) {
        try {
            add_rule(script, line);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(file.string() + ":" + std::to_string(n) + ": \""
                                     + printable(line) + "\": " + e.what());
        }
    }
    return script;
}

}  // namespace smtpspec::reference::internal
