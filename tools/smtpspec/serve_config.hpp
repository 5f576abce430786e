// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_TOOLS_SMTPSPEC_SERVE_CONFIG_HPP
#define SMTPSPEC_TOOLS_SMTPSPEC_SERVE_CONFIG_HPP

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::tools
{

/** A configuration file that cannot be used; what() names the file, line and key. */
class config_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** One setting of the file, as the command-line option it stands for takes it. */
struct config_setting
{
    std::string option;  ///< The option of `smtpspec serve` ("--listen", "--no-tls").
    /// Its value: text, a number, a switch, or a list (repeatable options).
    std::variant<std::string, std::uint64_t, bool, std::vector<std::string>> value;
    std::size_t line = 0;  ///< Where the file sets it.
};

/** One key the file may hold, for the documentation and the checks. */
struct config_key
{
    std::string_view key;          ///< "section.name", or "name" at the top.
    std::string_view option;       ///< The command-line option it stands for.
    std::string_view type;         ///< "string", "integer", "boolean" or "array of strings".
    std::uint64_t min = 0;         ///< Integers: the smallest value taken.
    std::uint64_t max = 0;         ///< Integers: the largest value taken.
    bool inverted = false;         ///< A boolean that is true when the option is absent.
    std::string_view why_min{};    ///< Integers: where the smallest value comes from, if anywhere.
};

/** @return every key `smtpspec serve --config` takes, in the documented order. */
const std::vector<config_key>& serve_config_keys();

/**
 * Reads the configuration of `smtpspec serve`: a small strict subset of
 * TOML 1.0 (key = value lines, [sections], # comments; basic and literal
 * strings, decimal integers, booleans, arrays of strings). A UTF-8 byte
 * order mark at the start is skipped.
 * @param text the file's content.
 * @param file_name the file's name, for the errors.
 * @return the settings, in the file's order.
 * @throws config_error "FILE:LINE: ..." on a syntax error, an unknown
 *         section or key, a value of the wrong type or out of range, or a
 *         key set twice.
 */
std::vector<config_setting> parse_serve_config(std::string_view text,
                                               const std::string& file_name);

/**
 * @param file the configuration file.
 * @return its settings (parse_serve_config).
 * @throws config_error also when the file cannot be read.
 */
std::vector<config_setting> read_serve_config(const std::filesystem::path& file);

}  // namespace smtpspec::tools

#endif  // SMTPSPEC_TOOLS_SMTPSPEC_SERVE_CONFIG_HPP
