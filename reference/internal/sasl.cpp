// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/sasl.hpp"

#include "reference/internal/setting_lines.hpp"
#include "reference/trace.hpp"

#include <array>
#include <map>
#include <stdexcept>

namespace smtpspec::reference::internal
{

namespace
{
constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) noexcept
{
    const auto at = alphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}
}  // namespace

credentials load_credentials(const std::filesystem::path& file)
{
    credentials out;
    std::map<std::string, int, std::less<>> first_line;  // Where each user was listed.
    // A user name never starts with white space or '#': such lines are left out.
    for (const auto& [number, line] : read_setting_lines(file, "the credentials file")) {
        const std::string where = file.string() + ":" + std::to_string(number) + ": ";
        const auto colon = line.find(':');
        if (colon == std::string::npos || colon == 0) {
            throw std::runtime_error(where + "expected user:password");
        }
        std::string user = line.substr(0, colon);
        // The password is every octet after the first ':', white space included.
        std::string password = line.substr(colon + 1);
        if (password.empty()) {
            throw std::runtime_error(where + "user \"" + printable(user) +
                                     "\" has an empty password");
        }
        if (const auto [it, added] = first_line.emplace(user, number); !added) {
            throw std::runtime_error(where + "user \"" + printable(user) +
                                     "\" is already listed on line " + std::to_string(it->second));
        }
        out.emplace(std::move(user), std::move(password));
    }
    return out;
}

std::optional<std::string> decode_base64(std::string_view text)
{
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::array<int, 4> v{};
        int pad = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (c == '=' && i + 4 == text.size() && j >= 2) {
                ++pad;
                v[j] = 0;
                continue;
            }
            if (pad > 0 || (v[j] = sextet(c)) < 0) {
                return std::nullopt;
            }
        }
        const unsigned n = (static_cast<unsigned>(v[0]) << 18) |
                           (static_cast<unsigned>(v[1]) << 12) |
                           (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
        out += static_cast<char>((n >> 16) & 0xff);
        if (pad < 2) {
            out += static_cast<char>((n >> 8) & 0xff);
        }
        if (pad < 1) {
            out += static_cast<char>(n & 0xff);
        }
    }
    return out;
}

std::string encode_base64(std::string_view octets)
{
    std::string out;
    for (std::size_t i = 0; i < octets.size(); i += 3) {
        const std::size_t left = octets.size() - i;
        unsigned n = static_cast<unsigned char>(octets[i]) << 16;
        if (left > 1) {
            n |= static_cast<unsigned char>(octets[i + 1]) << 8;
        }
        if (left > 2) {
            n |= static_cast<unsigned char>(octets[i + 2]);
        }
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += left > 1 ? alphabet[(n >> 6) & 63] : '=';
        out += left > 2 ? alphabet[n & 63] : '=';
    }
    return out;
}

sasl_exchange::sasl_exchange(std::string mechanism, const credentials& users)
    : mechanism_(std::move(mechanism)), users_(users)
{}

sasl_exchange::status sasl_exchange::start(const std::optional<std::string>& initial_response)
{
    if (!initial_response) {
        // LOGIN asks for the user name first; PLAIN for everything at once.
        challenge_ = mechanism_ == "LOGIN" ? encode_base64("Username:") : std::string{};
        return status::challenge;
    }
    // RFC 4954 4: "=" is an initial response of zero octets.
    return *initial_response == "=" ? step("") : respond(*initial_response);
}

sasl_exchange::status sasl_exchange::respond(std::string_view line)
{
    if (line == "*") {
        return status::cancelled;
    }
    const auto decoded = decode_base64(line);
    if (!decoded) {
        return status::malformed;
    }
    return step(*decoded);
}

sasl_exchange::status sasl_exchange::step(std::string_view decoded)
{
    if (mechanism_ == "LOGIN") {
        if (round_++ == 0) {
            user_ = std::string{decoded};
            challenge_ = encode_base64("Password:");
            return status::challenge;
        }
        return check(user_, decoded);
    }
    // spec: rfc4616/2 implementation
    // PLAIN: [authzid] NUL authcid NUL passwd; an authzid other than the
    // authcid is not granted here.
    const auto first = decoded.find('\0');
    const auto second = first == std::string_view::npos ? first : decoded.find('\0', first + 1);
    if (second == std::string_view::npos) {
        return status::malformed;
    }
    const std::string_view authzid = decoded.substr(0, first);
    const std::string_view authcid = decoded.substr(first + 1, second - first - 1);
    if (!authzid.empty() && authzid != authcid) {
        return status::failure;
    }
    return check(authcid, decoded.substr(second + 1));
}

sasl_exchange::status sasl_exchange::check(std::string_view user, std::string_view password)
{
    const auto it = users_.find(user);
    if (it == users_.end() || it->second != password) {
        return status::failure;
    }
    user_ = std::string{user};
    return status::success;
}

}  // namespace smtpspec::reference::internal
