// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/client_script.hpp"

#include "reference/internal/parameters.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
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
    if (ec != std::errc{} || end != word.data() + word.size()) {
        throw std::invalid_argument("expected " + std::string{what} + ", got \"" + word + "\"");
    }
    return value;
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
        script.multiline = true;
    } else if (what == "tls-failure") {
        script.tls_failure = true;
    } else if (what == "delay") {
        std::string ms;
        in >> ms;
        script.delay = std::chrono::milliseconds{number(ms, "milliseconds")};
    } else if (what == "reply" || what == "close") {
        scripted_reply r;
        in >> r.verb;
        r.verb = ascii_upper(r.verb);
        if (r.verb.empty()) {
            throw std::invalid_argument(what + " needs a verb");
        }
        if (what == "reply") {
            std::string code;
            in >> code;
            r.code = static_cast<int>(number(code, "a reply code"));
            if (r.code < 400 || r.code > 559) {
                throw std::invalid_argument("scripted replies are 4yz or 5yz, got " + code);
            }
        } else {
            r.code = 421;
        }
        std::string word;
        if (in >> word) {
            const bool digits = word.find_first_not_of("0123456789") == std::string::npos;
            if (word == "every" || digits) {
                r.nth = word == "every" ? 0 : number(word, "an occurrence number");
                word.clear();
            }
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
    std::ifstream in{file};
    if (!in) {
        throw std::runtime_error(file.string() + ": cannot read the script: "
                                 + std::strerror(errno));
    }
    client_script script;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        try {
            add_rule(script, line);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(file.string() + ":" + std::to_string(n) + ": " + e.what());
        }
    }
    return script;
}

}  // namespace smtpspec::reference::internal
