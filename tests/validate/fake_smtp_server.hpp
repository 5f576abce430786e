// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TESTS_VALIDATE_FAKE_SMTP_SERVER_HPP
#define SMTPSPEC_TESTS_VALIDATE_FAKE_SMTP_SERVER_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace smtpspec::validate::test
{

/** What a scripted session remembers between lines. */
struct fake_session
{
    bool greeted = false;  ///< EHLO or HELO accepted.
    bool mail = false;     ///< A transaction is open.
    int recipients = 0;    ///< Recipients accepted.
    bool in_data = false;  ///< Between 354 and the final ".".
    bool close = false;    ///< Set by a script: close after sending the reply.
};

/**
 * A script: gets each line the client sent (with its line ending) and
 * returns the octets to send back; an empty string sends nothing.
 */
using fake_script = std::function<std::string(std::string_view line, fake_session& s)>;

/**
 * A small, correct SMTP server script: the behaviour every probe case
 * passes against. Scripts for faulty servers wrap it.
 * @param line the client's line.
 * @param s the session.
 * @return the reply.
 */
std::string conforming_script(std::string_view line, fake_session& s);

/**
 * A scripted SMTP server on 127.0.0.1 (or ::1) and a port chosen by the system,
 * serving connections one at a time on its own thread until destroyed.
 * Every connection gets a fresh fake_session.
 */
class fake_smtp_server
{
public:
    /**
     * Starts listening.
     * @param script what to answer.
     * @param greeting octets sent on connect ("" sends nothing).
     * @param address the loopback address to listen on: "127.0.0.1" or "::1".
     * @param line_end what ends a line the script gets: CRLF as 2.3.8 says,
     *        or "\n" to play a server that takes a bare LF as a line end.
     * @param close_at_once close every connection as soon as it is accepted,
     *        sending nothing.
     * @throws std::system_error when the address cannot be bound.
     */
    explicit fake_smtp_server(fake_script script,
                              std::string greeting = "220 fake.example.org ESMTP\r\n",
                              const std::string& address = "127.0.0.1",
                              std::string line_end = "\r\n", bool close_at_once = false);
    ~fake_smtp_server();
    fake_smtp_server(const fake_smtp_server&) = delete;
    fake_smtp_server& operator=(const fake_smtp_server&) = delete;

    /** @return the port listened on. */
    [[nodiscard]] std::uint16_t port() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace smtpspec::validate::test

#endif  // SMTPSPEC_TESTS_VALIDATE_FAKE_SMTP_SERVER_HPP
