// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The session targets' checks (see fuzz/checks.hpp).

#include "corpus/oracle.hpp"
#include "fuzz/checks.hpp"
#include "fuzz/expect.hpp"
#include "grammar/extension.hpp"
#include "grammar/parse.hpp"
#include "model/profile.hpp"
#include "reference/client_session.hpp"

namespace smtpspec::fuzz
{

namespace
{
/// The message every client session sends; its lines are the only non-command lines allowed.
constexpr std::string_view client_message = "Subject: fuzz\n\n.a dot line\nbody\n";

/// @return true when @p line is one of the CRLF-ended lines of @p data.
bool is_data_line(std::string_view line, std::string_view data)
{
    std::size_t start = 0;
    while (start < data.size()) {
        const std::size_t end = data.find("\r\n", start);
        if (end == std::string_view::npos) {
            return false;
        }
        if (data.substr(start, end + 2 - start) == line) {
            return true;
        }
        start = end + 2;
    }
    return false;
}

/// @return the job every client session runs: one recipient, one null path, one message.
reference::client_job client_job()
{
    reference::client_job job;
    job.from.value = grammar::path{"", grammar::mailbox{"sender", "example.net"}};
    job.to.push_back(grammar::forward_path{false, grammar::path{"", {"rcpt", "example.org"}}});
    job.to.push_back(grammar::forward_path{true, std::nullopt});
    job.message = client_message;
    return job;
}
}  // namespace

failure check_server_session(std::string_view client_bytes)
{
    for (const model::profile* p : {&model::rfc5321(), &model::rfc5321bis()}) {
        const corpus::oracle_report r = corpus::check_server_session(client_bytes, *p);
        if (r.failure) {
            return "oracle (" + std::string(p->name) + "): " + *r.failure;
        }
    }
    return std::nullopt;
}

failure check_client_session(std::string_view server_bytes)
{
    std::size_t longest = 0;
    const std::string prepared = reference::prepare_data(client_message, longest);
    reference::client_session client(reference::client_config{}, client_job());
    std::string sent;
    // Feed in pieces whose sizes come from the input itself, to vary read boundaries.
    std::size_t pos = 0;
    while (pos < server_bytes.size() && !client.done()) {
        const std::size_t piece = 1 + static_cast<unsigned char>(server_bytes[pos]) % 97;
        client.feed(server_bytes.substr(pos, piece));
        pos += piece;
        sent += client.take_output();
    }
    client.peer_closed();
    sent += client.take_output();
    SMTPSPEC_FUZZ_EXPECT(client.done());

    std::size_t start = 0;
    while (start < sent.size()) {
        const std::size_t end = sent.find("\r\n", start);
        SMTPSPEC_FUZZ_EXPECT(end != std::string::npos);
        const std::string_view line = std::string_view(sent).substr(start, end + 2 - start);
        // A command of RFC 5321, or of an extension the server offered: the
        // client sends STARTTLS when an EHLO reply lists it (RFC 3207 4).
        const bool command =
            std::holds_alternative<grammar::command>(grammar::parse_command(line))
            || std::holds_alternative<grammar::extension_command>(
                grammar::parse_extension_command(line));
        SMTPSPEC_FUZZ_EXPECT(command || is_data_line(line, prepared));
        SMTPSPEC_FUZZ_EXPECT(line.substr(0, line.size() - 2).find_first_of("\r\n") ==
                             std::string_view::npos);
        start = end + 2;
    }
    return std::nullopt;
}

}  // namespace smtpspec::fuzz
