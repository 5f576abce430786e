// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "tools/smtpspec/serve_config.hpp"

#include "reference/internal/setting_lines.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace smtpspec::tools
{

namespace
{
constexpr std::uint64_t no_limit = std::numeric_limits<std::uint64_t>::max();
}  // namespace

const std::vector<config_key>& serve_config_keys()
{
    static const std::vector<config_key> keys{
        {"listen", "--listen", "string"},
        {"hostname", "--hostname", "string"},
        {"profile", "--profile", "string"},
        {"ready_file", "--ready-file", "string"},
        {"smtputf8", "--no-smtputf8", "boolean", 0, 0, true},
        {"local_domains", "--local-domain", "array of strings"},
        {"mailboxes", "--mailbox", "array of strings"},
        {"store.maildir", "--maildir", "string"},
        {"store.discard", "--discard", "boolean"},
        {"store.group_flush", "--group-flush", "string"},
        {"limits.max_size", "--max-size", "integer", 0, no_limit / 2},
        {"limits.max_buffered", "--max-buffered", "integer", 0, no_limit / 2},
        {"limits.max_connections", "--max-connections", "integer", 1, 100000},
        {"limits.max_recipients", "--max-recipients", "integer", 100, 1000000, false,
         "RFC 5321 4.5.3.1.8: at least 100"},
        {"limits.idle_timeout", "--idle-timeout", "integer", 1, 86400},
        {"trace.format", "--trace", "string"},
        {"trace.file", "--trace-file", "string"},
        {"tls.enabled", "--no-tls", "boolean", 0, 0, true},
        {"tls.dir", "--tls-dir", "string"},
        {"tls.cert", "--tls-cert", "string"},
        {"tls.key", "--tls-key", "string"},
        {"auth.file", "--auth-file", "string"},
        {"auth.without_tls", "--auth-without-tls", "boolean"},
        {"auth.required", "--auth-required", "boolean"},
        {"client_testing.strict", "--strict-client", "boolean"},
        {"client_testing.script", "--script", "string"},
        {"client_testing.script_rules", "--script-rule", "array of strings"},
    };
    return keys;
}

namespace
{
/// A value as written, before the key's type is checked.
using raw_value = std::variant<std::string, std::uint64_t, bool, std::vector<std::string>>;

const char* type_of(const raw_value& v)
{
    switch (v.index()) {
    case 0: return "string";
    case 1: return "integer";
    case 2: return "boolean";
    default: return "array of strings";
    }
}

bool bare_key_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
        || c == '-';
}

/// Reads the file one value at a time; errors carry the file and line.
class reader
{
public:
    reader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

    [[noreturn]] void fail(std::size_t line, const std::string& what) const
    {
        throw config_error(file_ + ":" + std::to_string(line) + ": " + what);
    }
    [[noreturn]] void fail(const std::string& what) const { fail(line_, what); }

    [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
    [[nodiscard]] std::size_t line() const { return line_; }
    [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }

    void skip_blanks()
    {
        while (!at_end() && (peek() == ' ' || peek() == '\t')) {
            ++pos_;
        }
    }

    /// Blanks, a comment, then the end of the line (or of the file).
    /// The rest of the line must be blank or a comment; else fail with what.
    void end_of_line(const std::string& what)
    {
        skip_blanks();
        if (peek() == '#') {
            skip_comment();
        }
        if (at_end()) {
            return;
        }
        if (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
            ++pos_;
        }
        if (peek() != '\n') {
            fail(what);
        }
        ++pos_;
        ++line_;
    }

    /// Blank lines, comments and line ends, also inside an array.
    void skip_space_and_lines()
    {
        while (!at_end()) {
            skip_blanks();
            if (peek() == '#') {
                skip_comment();
            } else if (peek() == '\n') {
                ++pos_;
                ++line_;
            } else if (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
                pos_ += 2;
                ++line_;
            } else {
                return;
            }
        }
    }

    std::string bare_key(const char* what)
    {
        const std::size_t start = pos_;
        while (!at_end() && bare_key_char(peek())) {
            ++pos_;
        }
        if (start == pos_) {
            fail(std::string{"expected "} + what + " (letters, digits, '_' and '-')");
        }
        return std::string{text_.substr(start, pos_ - start)};
    }

    void expect(char c, const std::string& what)
    {
        if (peek() != c) {
            fail(what);
        }
        ++pos_;
    }

    raw_value value(const std::string& key)
    {
        const char c = peek();
        if (c == '"') {
            return basic_string(key);
        }
        if (c == '\'') {
            return literal_string(key);
        }
        if (c == '[') {
            return array(key);
        }
        if (c == '+' || (c >= '0' && c <= '9')) {
            return integer(key);
        }
        const std::size_t start = pos_;
        while (!at_end() && bare_key_char(peek())) {
            ++pos_;
        }
        const std::string_view word = text_.substr(start, pos_ - start);
        if (word == "true" || word == "false") {
            return word == "true";
        }
        if (c == '-') {
            fail("key \"" + key + "\": a negative number; no setting takes one");
        }
        fail("key \"" + key + "\": expected a string, an integer, a boolean or an array of "
             "strings");
    }

private:
    void skip_comment()
    {
        while (!at_end() && peek() != '\n') {
            const auto u = static_cast<unsigned char>(peek());
            if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7f) {
                fail("control character in a comment");
            }
            ++pos_;
        }
    }

    std::string basic_string(const std::string& key)
    {
        ++pos_;
        std::string out;
        while (true) {
            if (at_end() || peek() == '\n' || peek() == '\r') {
                fail("key \"" + key + "\": string not closed on its line");
            }
            const char c = text_[pos_++];
            if (c == '"') {
                return out;
            }
            if (c != '\\') {
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
                    fail("key \"" + key + "\": control character in a string");
                }
                out += c;
                continue;
            }
            const char e = at_end() ? '\0' : text_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case 'b': out += '\b'; break;
            case 't': out += '\t'; break;
            case 'n': out += '\n'; break;
            case 'f': out += '\f'; break;
            case 'r': out += '\r'; break;
            case 'u': append_utf8(out, hex(key, 4)); break;
            case 'U': append_utf8(out, hex(key, 8)); break;
            default:
                fail("key \"" + key + "\": unknown escape \\" + std::string(1, e)
                     + " in a string");
            }
        }
    }

    std::uint32_t hex(const std::string& key, std::size_t digits)
    {
        std::uint32_t v = 0;
        if (pos_ + digits > text_.size()
            || std::from_chars(text_.data() + pos_, text_.data() + pos_ + digits, v, 16).ptr
                != text_.data() + pos_ + digits
            || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            fail("key \"" + key + "\": bad \\u or \\U escape in a string");
        }
        pos_ += digits;
        return v;
    }

    static void append_utf8(std::string& out, std::uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string literal_string(const std::string& key)
    {
        ++pos_;
        const std::size_t start = pos_;
        while (!at_end() && peek() != '\'' && peek() != '\n' && peek() != '\r') {
            ++pos_;
        }
        if (peek() != '\'') {
            fail("key \"" + key + "\": string not closed on its line");
        }
        return std::string{text_.substr(start, pos_++ - start)};
    }

    std::uint64_t integer(const std::string& key)
    {
        // TOML 1.0 dec-int: an optional '+', no leading zero, '_' between digits.
        if (peek() == '+') {
            ++pos_;
        }
        std::string digits;
        const std::size_t start = pos_;
        while (!at_end() && ((peek() >= '0' && peek() <= '9') || peek() == '_')) {
            if (peek() == '_'
                && (digits.empty() || pos_ + 1 >= text_.size() || text_[pos_ + 1] < '0'
                    || text_[pos_ + 1] > '9')) {
                fail("key \"" + key + "\": '_' in an integer must stand between digits");
            }
            if (peek() != '_') {
                digits += peek();
            }
            ++pos_;
        }
        if (digits.empty() || (digits.size() > 1 && digits[0] == '0')
            || (!at_end() && bare_key_char(peek())) || peek() == '.') {
            while (!at_end() && (bare_key_char(peek()) || peek() == '.')) {
                ++pos_;
            }
            fail("key \"" + key + "\": \"" + std::string{text_.substr(start, pos_ - start)}
                 + "\" is not a decimal integer");
        }
        std::uint64_t v = 0;
        if (std::from_chars(digits.data(), digits.data() + digits.size(), v).ec != std::errc{}) {
            fail("key \"" + key + "\": integer too large");
        }
        return v;
    }

    std::vector<std::string> array(const std::string& key)
    {
        ++pos_;
        std::vector<std::string> out;
        while (true) {
            skip_space_and_lines();
            if (peek() == ']') {
                ++pos_;
                return out;
            }
            if (peek() != '"' && peek() != '\'') {
                fail("key \"" + key + "\": an array here holds strings only");
            }
            out.push_back(std::get<std::string>(peek() == '"' ? raw_value{basic_string(key)}
                                                               : raw_value{literal_string(key)}));
            skip_space_and_lines();
            if (peek() == ',') {
                ++pos_;
            } else if (peek() != ']') {
                fail("key \"" + key + "\": expected ',' or ']' in the array");
            }
        }
    }

    std::string_view text_;
    const std::string& file_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

std::string known_sections()
{
    std::string out;
    for (const auto& k : serve_config_keys()) {
        const auto dot = k.key.find('.');
        if (dot == std::string_view::npos) {
            continue;
        }
        const std::string name = "[" + std::string{k.key.substr(0, dot)} + "]";
        if (out.find(name) == std::string::npos) {
            out += (out.empty() ? "" : ", ") + name;
        }
    }
    return out;
}

/// The keys of one section ("" for the top), for an unknown key's error.
std::string keys_of(const std::string& section)
{
    std::string out;
    for (const auto& k : serve_config_keys()) {
        const auto dot = k.key.find('.');
        const std::string_view sec = dot == std::string_view::npos ? "" : k.key.substr(0, dot);
        if (sec == section) {
            out += (out.empty() ? "" : ", ")
                + std::string{dot == std::string_view::npos ? k.key : k.key.substr(dot + 1)};
        }
    }
    return out;
}

config_setting check(const reader& in, std::size_t line, const std::string& key,
                     raw_value value)
{
    const auto& keys = serve_config_keys();
    const auto it = std::ranges::find(keys, std::string_view{key}, &config_key::key);
    if (it == keys.end()) {
        const auto dot = key.find('.');
        const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
        in.fail(line, "key \"" + key + "\": unknown key (known "
                          + (section.empty() ? std::string{"at the top"} : "in [" + section + "]")
                          + ": " + keys_of(section) + ")");
    }
    if (it->type != type_of(value)) {
        in.fail(line, "key \"" + key + "\": expected " + std::string{it->type} + ", got "
                          + type_of(value));
    }
    if (const auto* n = std::get_if<std::uint64_t>(&value); n && (*n < it->min || *n > it->max)) {
        in.fail(line, "key \"" + key + "\": " + std::to_string(*n) + " is out of range "
                          + std::to_string(it->min) + " to " + std::to_string(it->max)
                          + (it->why_min.empty() ? "" : " (" + std::string{it->why_min} + ")"));
    }
    if (const auto* b = std::get_if<bool>(&value); b && it->inverted) {
        value = !*b;
    }
    return {std::string{it->option}, std::move(value), line};
}
}  // namespace

std::vector<config_setting> parse_serve_config(std::string_view text, const std::string& file_name)
{
    // A UTF-8 byte order mark, as some editors write one, is no part of the
    // content (TOML 1.0 files are UTF-8; the mark is not a key).
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    reader in{text, file_name};
    std::vector<config_setting> out;
    std::map<std::string, std::size_t> seen;  // Keys and sections set, and where.
    std::string section;
    const std::string sections = known_sections();
    while (true) {
        in.skip_space_and_lines();
        if (in.at_end()) {
            return out;
        }
        const std::size_t line = in.line();
        if (in.peek() == '[') {
            in.expect('[', "");
            in.skip_blanks();
            if (in.peek() == '[') {
                in.fail("arrays of tables ([[...]]) are not used here");
            }
            const std::string name = in.bare_key("a section name");
            in.skip_blanks();
            if (in.peek() == '.') {
                in.fail("unknown section [" + name + ".*] (sections: " + sections + ")");
            }
            in.expect(']', "expected ']' after the section name");
            if (sections.find("[" + name + "]") == std::string::npos) {
                in.fail(line, "unknown section [" + name + "] (sections: " + sections + ")");
            }
            if (const auto [it, added] = seen.emplace("[" + name + "]", line); !added) {
                in.fail(line, "section [" + name + "] is already defined on line "
                                  + std::to_string(it->second));
            }
            section = name;
            in.end_of_line("unexpected text after the section header");
            continue;
        }
        if (in.peek() == '"' || in.peek() == '\'') {
            in.fail("quoted keys are not used here");
        }
        const std::string name = in.bare_key("a key");
        const std::string key = section.empty() ? name : section + "." + name;
        in.skip_blanks();
        if (in.peek() == '.') {
            in.fail("key \"" + key + "\": dotted keys are not used here; write a [section]");
        }
        in.expect('=', "key \"" + key + "\": expected '=' after the key");
        in.skip_blanks();
        raw_value value = in.value(key);
        const std::string after_value = "key \"" + key + "\": unexpected text after the value";
        in.end_of_line(after_value);
        if (const auto [it, added] = seen.emplace(key, line); !added) {
            in.fail(line, "key \"" + key + "\" is already set on line "
                              + std::to_string(it->second));
        }
        out.push_back(check(in, line, key, std::move(value)));
    }
}

std::vector<config_setting> read_serve_config(const std::filesystem::path& file)
{
    std::string text;
    try {
        text = reference::internal::read_settings_file(file, "the configuration file");
    } catch (const std::runtime_error& e) {
        throw config_error(e.what());
    }
    return parse_serve_config(text, file.string());
}

}  // namespace smtpspec::tools
