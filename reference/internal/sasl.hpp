// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_INTERNAL_SASL_HPP
#define SMTPSPEC_REFERENCE_INTERNAL_SASL_HPP

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::reference::internal
{

/** User names and their passwords, for AUTH PLAIN and LOGIN (RFC 4954). */
using credentials = std::map<std::string, std::string, std::less<>>;

/**
 * Reads a credentials file: one "user:password" a line; empty lines and
 * lines starting with "#" are skipped. The user is what comes before the
 * first ":", the password everything after it up to the line end (a final
 * CR dropped): white space is kept, so "u: p " has the password " p ".
 * @param file the file.
 * @return the credentials.
 * @throws std::runtime_error naming the file and line when a line has no ":"
 *         or no password, when a user is listed twice (both lines named), or
 *         when the file cannot be read.
 */
credentials load_credentials(const std::filesystem::path& file);

/**
 * Decodes base64 (RFC 4648 4, as RFC 4954 4 uses it).
 * @param text the encoded text.
 * @return the octets, or nothing when @p text is not base64.
 */
std::optional<std::string> decode_base64(std::string_view text);

/** @return @p octets in base64 (RFC 4648 4). */
std::string encode_base64(std::string_view octets);

/**
 * One server-side SASL exchange of mechanism PLAIN (RFC 4616) or LOGIN,
 * without I/O: it is given the client's responses and says what to answer.
 */
class sasl_exchange
{
public:
    /** Where the exchange stands after a response. */
    enum class status
    {
        challenge,  ///< Send 334 with challenge() and wait for a response.
        success,    ///< Send 235: the user is authenticated.
        failure,    ///< Send 535: wrong user or password.
        malformed,  ///< Send 501: the response is not base64 or breaks the mechanism.
        cancelled,  ///< Send 501: the client sent "*" (RFC 4954 4).
    };

    /**
     * @param mechanism "PLAIN" or "LOGIN" (upper case).
     * @param users the accepted credentials; must outlive the exchange.
     */
    sasl_exchange(std::string mechanism, const credentials& users);

    /**
     * Starts the exchange.
     * @param initial_response the initial response of the AUTH line, if any
     *        ("=" for an empty one, RFC 4954 4).
     * @return the status.
     */
    status start(const std::optional<std::string>& initial_response);

    /**
     * @param line one response line without its CRLF.
     * @return the status.
     */
    status respond(std::string_view line);

    /** @return the base64 text to send after 334 (may be empty). */
    [[nodiscard]] const std::string& challenge() const noexcept { return challenge_; }

    /** @return the authenticated user once status::success was returned. */
    [[nodiscard]] const std::string& user() const noexcept { return user_; }

private:
    status check(std::string_view user, std::string_view password);
    status step(std::string_view decoded);

    std::string mechanism_;
    const credentials& users_;
    std::string challenge_;
    std::string user_;
    int round_ = 0;
};

}  // namespace smtpspec::reference::internal

#endif  // SMTPSPEC_REFERENCE_INTERNAL_SASL_HPP
