// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_REFERENCE_SESSION_HARNESS_HPP
#define SMTPSPEC_TESTS_REFERENCE_SESSION_HARNESS_HPP

#include "reference/server_session.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::reference::testing
{

/// The codes of the complete replies in a server's output, in order.
inline std::vector<int> reply_codes(std::string_view output)
{
    std::vector<int> codes;
    std::size_t start = 0;
    while (start < output.size()) {
        const std::size_t end = output.find("\r\n", start);
        const std::string_view line = output.substr(start, end - start);
        if (line.size() >= 3 && (line.size() == 3 || line[3] == ' ')) {
            codes.push_back(std::stoi(std::string{line.substr(0, 3)}));
        }
        start = end == std::string_view::npos ? output.size() : end + 2;
    }
    return codes;
}

/// A server session on a memory store, driven by whole strings.
class server_harness
{
public:
    explicit server_harness(server_config config = {}) : session_(std::move(config), store_)
    {
        session_.start();
        greeting_ = session_.take_output();
    }

    /// Feeds octets; returns the codes of the replies they produced.
    std::vector<int> send(std::string_view bytes)
    {
        session_.feed(bytes);
        last_output_ = session_.take_output();
        return reply_codes(last_output_);
    }

    server_session& session() noexcept { return session_; }
    const memory_store& store() const noexcept { return store_; }
    const std::string& greeting() const noexcept { return greeting_; }
    const std::string& last_output() const noexcept { return last_output_; }

private:
    memory_store store_;
    server_session session_;
    std::string greeting_;
    std::string last_output_;
};

/// The EHLO line the server tests send.
inline constexpr std::string_view ehlo = "EHLO client.example.net\r\n";

/// Brings a session to an open transaction with one recipient.
inline void open_transaction(server_harness& h)
{
    h.send(ehlo);
    h.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n");
}

}  // namespace smtpspec::reference::testing

#endif  // SMTPSPEC_TESTS_REFERENCE_SESSION_HARNESS_HPP
