// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// libFuzzer target: the reference client session against arbitrary server
// octets. Besides crashes, checks that every line the client sends is either
// a command the grammar accepts or a line of the prepared mail data, that the
// data never holds a bare CR or LF, and that a closed connection ends the
// session.

#include "fuzz/check.hpp"
#include "grammar/parse.hpp"
#include "reference/client_session.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace
{
/// The message every session sends; its lines are the only non-command lines allowed.
constexpr std::string_view message = "Subject: fuzz\n\n.a dot line\nbody\n";

bool is_data_line(std::string_view line, std::string_view data)
{
    std::size_t start = 0;
    while (start < data.size()) {
        const std::size_t end = data.find("\r\n", start);
        if (data.substr(start, end + 2 - start) == line) {
            return true;
        }
        start = end + 2;
    }
    return false;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace smtpspec;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    reference::client_job job;
    job.from.value = grammar::path{"", grammar::mailbox{"sender", "example.net"}};
    job.to.push_back(grammar::forward_path{false, grammar::path{"", {"rcpt", "example.org"}}});
    job.to.push_back(grammar::forward_path{true, std::nullopt});
    job.message = message;
    std::size_t longest = 0;
    const std::string prepared = reference::prepare_data(message, longest);

    reference::client_session client(reference::client_config{}, job);
    std::string sent;
    // Feed in pieces whose sizes come from the input itself, to vary read boundaries.
    std::size_t pos = 0;
    while (pos < input.size() && !client.done()) {
        const std::size_t piece = 1 + static_cast<unsigned char>(input[pos]) % 97;
        client.feed(input.substr(pos, piece));
        pos += piece;
        sent += client.take_output();
    }
    client.peer_closed();
    sent += client.take_output();
    SMTPSPEC_FUZZ_CHECK(client.done());

    std::size_t start = 0;
    while (start < sent.size()) {
        const std::size_t end = sent.find("\r\n", start);
        SMTPSPEC_FUZZ_CHECK(end != std::string::npos);
        const std::string_view line = std::string_view(sent).substr(start, end + 2 - start);
        const bool command = std::holds_alternative<grammar::command>(grammar::parse_command(line));
        SMTPSPEC_FUZZ_CHECK(command || is_data_line(line, prepared));
        SMTPSPEC_FUZZ_CHECK(line.substr(0, line.size() - 2).find_first_of("\r\n")
                            == std::string_view::npos);
        start = end + 2;
    }
    return 0;
}
