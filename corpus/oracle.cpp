// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/oracle.hpp"

#include "grammar/parse.hpp"
#include "model/read.hpp"
#include "model/step.hpp"
#include "reference/message_store.hpp"
#include "reference/server_session.hpp"
#include "reference/trace.hpp"

namespace smtpspec::corpus
{

std::vector<int> reply_codes(std::string_view output)
{
    std::vector<int> codes;
    std::size_t start = 0;
    while (start < output.size()) {
        const std::size_t end = output.find("\r\n", start);
        const std::string_view line = output.substr(start, end - start);
        if (line.size() >= 3 && (line.size() == 3 || line[3] == ' ')) {
            codes.push_back((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
        }
        start = end == std::string_view::npos ? output.size() : end + 2;
    }
    return codes;
}

namespace
{

/// One piece of the client's octets that the model sees as one input.
struct unit
{
    std::string_view bytes;
    std::optional<model::input> input;  // nothing: no reply is due (incomplete line or data)
};

/// @return a problem with the server's output octets, if any.
std::optional<std::string> check_output_syntax(std::string_view output)
{
    std::size_t start = 0;
    while (start < output.size()) {
        const std::size_t end = output.find("\r\n", start);
        if (end == std::string_view::npos) {
            return "server output does not end with CRLF";
        }
        const std::string_view line = output.substr(start, end + 2 - start);
        const auto parsed = grammar::parse_reply_line(line);
        if (const auto* e = std::get_if<grammar::syntax_error>(&parsed)) {
            return "server sent a line that is not a Reply-line (" + e->message + ")";
        }
        start = end + 2;
    }
    return std::nullopt;
}

/// Splits the client's octets the way 2.3.8, 4.1.1.4 and 4.5.3.1.4 say a server must.
class splitter
{
public:
    splitter(std::string_view bytes, const model::profile& p) : bytes_(bytes), p_(p) {}

    /// @return the next unit, given whether the model is in the data phase.
    std::optional<unit> next(bool in_data)
    {
        if (pos_ >= bytes_.size()) {
            return std::nullopt;
        }
        const std::string_view rest = bytes_.substr(pos_);
        return in_data ? data_unit(rest) : command_unit(rest);
    }

private:
    unit take(std::size_t size, std::optional<model::input> in)
    {
        const std::string_view b = bytes_.substr(pos_, size);
        pos_ += size;
        return unit{b, std::move(in)};
    }

    unit command_unit(std::string_view rest)
    {
        const std::size_t end = rest.find("\r\n");
        if (end == std::string_view::npos) {
            return take(rest.size(), std::nullopt);
        }
        const std::string_view line = rest.substr(0, end + 2);
        return take(line.size(), model::read_command_line(line, p_).in);
    }

    unit data_unit(std::string_view rest)
    {
        // The data starts at the beginning of a line, so CRLF "." CRLF may be
        // its first three octets' ".\r\n" after the DATA line's CRLF.
        std::size_t end = std::string_view::npos;
        if (rest.starts_with(".\r\n")) {
            end = 0;
        } else if (const std::size_t f = rest.find("\r\n.\r\n"); f != std::string_view::npos) {
            end = f + 2;
        }
        if (end == std::string_view::npos) {
            return take(rest.size(), std::nullopt);
        }
        const std::string_view data = rest.substr(0, end);
        bool bare = false;
        for (std::size_t i = 0; i < data.size() && !bare; ++i) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                bare = true;
            }
            if (data[i] == '\r' && (i + 1 >= data.size() || data[i + 1] != '\n')) {
                bare = true;
            }
        }
        return take(end + 3, model::input{model::end_of_data_event{!bare}});
    }

    std::string_view bytes_;
    const model::profile& p_;
    std::size_t pos_ = 0;
};

/// The first 60 octets of @p bytes for a message, escaped as a log escapes them.
std::string describe(std::string_view bytes)
{
    const std::string out = reference::printable(bytes.substr(0, 60));
    return bytes.size() > 60 ? out + "..." : out;
}

}  // namespace

oracle_report check_server_session(std::string_view client_bytes, const model::profile& p)
{
    oracle_report report;
    reference::server_config config;
    config.profile = p;
    reference::memory_store store;
    reference::server_session session(config, store);
    session.start();
    std::string all_output = session.take_output();
    const auto greeting = model::step(p, {}, model::connect_event{});
    model::state expected = greeting.permitted.front().next;
    report.codes = reply_codes(all_output);
    const auto fail = [&](std::string why) {
        if (!report.failure) {
            report.failure = std::move(why);
        }
    };
    if (report.codes.size() != 1 || greeting.find(report.codes.front()) == nullptr) {
        fail("greeting is not one permitted reply");
        return report;
    }

    splitter split(client_bytes, p);
    while (const auto u = split.next(expected.at == model::phase::data)) {
        session.feed(u->bytes);
        const std::string output = session.take_output();
        all_output += output;
        const std::vector<int> got = reply_codes(output);
        report.codes.insert(report.codes.end(), got.begin(), got.end());
        if (auto problem = check_output_syntax(output)) {
            fail(*problem + " after \"" + describe(u->bytes) + "\"");
            return report;
        }
        if (!u->input) {
            // A line without CRLF longer than the session's patience is closed with 421
            // (4.5.3.1.4, known fault B38).
            const bool gave_up = got == std::vector<int>{421}
                && u->bytes.size() > config.max_overlong_line && session.closed();
            if (gave_up) {
                expected.at = model::phase::closed;
                break;
            }
            if (!got.empty()) {
                fail("reply " + std::to_string(got.front()) + " to an incomplete line \""
                     + describe(u->bytes) + "\"");
                return report;
            }
            continue;
        }
        const model::outcome out = model::step(p, expected, *u->input);
        const bool reply_due = out.permitted.front().code != 0;
        if (got.size() != (reply_due ? 1U : 0U)) {
            fail(std::to_string(got.size()) + " replies to \"" + describe(u->bytes)
                 + "\" in phase " + model::to_string(expected.at) + ", expected "
                 + (reply_due ? "1" : "0"));
            return report;
        }
        if (reply_due) {
            const model::transition* t = out.find(got.front());
            if (t == nullptr) {
                fail("reply " + std::to_string(got.front()) + " to \"" + describe(u->bytes)
                     + "\" in phase " + model::to_string(expected.at)
                     + " is not permitted by model::step");
                return report;
            }
            expected = t->next;
        } else {
            expected = out.permitted.front().next;
        }
        if (!(session.state() == expected)) {
            fail(std::string("after \"") + describe(u->bytes) + "\" the session is in phase "
                 + model::to_string(session.state().at) + ", the model in "
                 + model::to_string(expected.at));
            return report;
        }
    }
    session.peer_closed();
    if (!session.take_output().empty() || !session.closed()) {
        fail("the session did not close quietly when the client left");
    }

    // The same octets in one piece must give the same replies (known fault B05).
    reference::memory_store store2;
    reference::server_session whole(config, store2);
    whole.start();
    whole.feed(client_bytes);
    const std::string whole_output = whole.take_output();
    if (reply_codes(whole_output) != report.codes) {
        fail("fed in one piece, the octets get other replies than fed line by line");
    }
    return report;
}

}  // namespace smtpspec::corpus
