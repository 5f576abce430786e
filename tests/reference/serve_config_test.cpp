// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// The configuration file of `smtpspec serve` (tools/smtpspec/serve_config).

#include "tools/smtpspec/serve_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace smtpspec::tools
{
namespace
{

std::string error_of(std::string_view text)
{
    try {
        parse_serve_config(text, "serve.toml");
    } catch (const config_error& e) {
        return e.what();
    }
    return "no error";
}

TEST(serve_config, every_kind_of_value_and_its_option)
{
    const auto settings = parse_serve_config(
        "# a comment\n"
        "listen = \"127.0.0.1:2526\"  # trailing comment\n"
        "hostname = 'mx.example'\n"
        "local_domains = [\"example.org\",\n"
        "   'example.net', # inside the array\n"
        "]\n"
        "\n"
        "[limits]\n"
        "max_connections = 1_000\n"
        "[tls]\r\n"
        "enabled = false\r\n"
        "[store]\n"
        "discard = true\n",
        "serve.toml");
    ASSERT_EQ(settings.size(), 6U);
    EXPECT_EQ(settings[0].option, "--listen");
    EXPECT_EQ(std::get<std::string>(settings[0].value), "127.0.0.1:2526");
    EXPECT_EQ(settings[0].line, 2U);
    EXPECT_EQ(std::get<std::string>(settings[1].value), "mx.example");
    EXPECT_EQ(settings[2].option, "--local-domain");
    EXPECT_EQ(std::get<std::vector<std::string>>(settings[2].value),
              (std::vector<std::string>{"example.org", "example.net"}));
    EXPECT_EQ(settings[3].option, "--max-connections");
    EXPECT_EQ(std::get<std::uint64_t>(settings[3].value), 1000U);
    EXPECT_EQ(settings[3].line, 9U);
    // tls.enabled = false is --no-tls given.
    EXPECT_EQ(settings[4].option, "--no-tls");
    EXPECT_TRUE(std::get<bool>(settings[4].value));
    EXPECT_EQ(settings[5].option, "--discard");
    EXPECT_TRUE(std::get<bool>(settings[5].value));
}

TEST(serve_config, string_escapes)
{
    const auto settings = parse_serve_config(R"(hostname = "a\tb\"c\\d\u00e9")", "f");
    EXPECT_EQ(std::get<std::string>(settings.at(0).value), "a\tb\"c\\d\xc3\xa9");
}

TEST(serve_config, empty_file_sets_nothing)
{
    EXPECT_TRUE(parse_serve_config("", "f").empty());
    EXPECT_TRUE(parse_serve_config("\n# only a comment\n\n", "f").empty());
}

// Editors on some systems start a UTF-8 file with a byte order mark.
TEST(serve_config, leading_byte_order_mark_is_skipped)
{
    const auto settings = parse_serve_config("\xEF\xBB\xBFhostname = \"a.test\"\n", "f");
    ASSERT_EQ(settings.size(), 1U);
    EXPECT_EQ(settings[0].option, "--hostname");
    EXPECT_EQ(settings[0].line, 1U);
    // Only at the start: elsewhere it is no key.
    EXPECT_EQ(error_of("hostname = \"a.test\"\n\xEF\xBB\xBFlisten = \"x\"\n"),
              "serve.toml:2: expected a key (letters, digits, '_' and '-')");
}

TEST(serve_config, unknown_key_names_file_line_key_and_the_known_ones)
{
    EXPECT_EQ(error_of("\n[tls]\nenabld = true\n"),
              "serve.toml:3: key \"tls.enabld\": unknown key (known in [tls]: enabled, dir, "
              "cert, key)");
    EXPECT_EQ(error_of("maildir = \"x\"\n"),
              "serve.toml:1: key \"maildir\": unknown key (known at the top: listen, hostname, "
              "profile, ready_file, smtputf8, local_domains, mailboxes)");
}

TEST(serve_config, unknown_or_repeated_section)
{
    EXPECT_EQ(error_of("[storage]\n"),
              "serve.toml:1: unknown section [storage] (sections: [store], [limits], [trace], "
              "[tls], [auth], [client_testing])");
    EXPECT_EQ(error_of("[tls]\n[store]\n[tls]\n"),
              "serve.toml:3: section [tls] is already defined on line 1");
}

TEST(serve_config, bad_values_name_the_key)
{
    EXPECT_EQ(error_of("[limits]\nmax_connections = \"ten\"\n"),
              "serve.toml:2: key \"limits.max_connections\": expected integer, got string");
    EXPECT_EQ(error_of("[limits]\nmax_connections = 0\n"),
              "serve.toml:2: key \"limits.max_connections\": 0 is out of range 1 to 100000");
    EXPECT_EQ(error_of("[limits]\nmax_recipients = 99\n"),
              "serve.toml:2: key \"limits.max_recipients\": 99 is out of range 100 to 1000000 "
              "(RFC 5321 4.5.3.1.8: at least 100)");
    EXPECT_EQ(error_of("[limits]\nidle_timeout = 3.5\n"),
              "serve.toml:2: key \"limits.idle_timeout\": \"3.5\" is not a decimal integer");
    EXPECT_EQ(error_of("[limits]\nidle_timeout = 0300\n"),
              "serve.toml:2: key \"limits.idle_timeout\": \"0300\" is not a decimal integer");
    EXPECT_EQ(error_of("[limits]\nidle_timeout = -1\n"),
              "serve.toml:2: key \"limits.idle_timeout\": a negative number; no setting takes "
              "one");
    EXPECT_EQ(error_of("[tls]\nenabled = yes\n"),
              "serve.toml:2: key \"tls.enabled\": expected a string, an integer, a boolean or "
              "an array of strings");
    EXPECT_EQ(error_of("[tls]\nenabled = \"false\"\n"),
              "serve.toml:2: key \"tls.enabled\": expected boolean, got string");
    EXPECT_EQ(error_of("local_domains = \"example.org\"\n"),
              "serve.toml:1: key \"local_domains\": expected array of strings, got string");
    EXPECT_EQ(error_of("local_domains = [\"a\", 1]\n"),
              "serve.toml:1: key \"local_domains\": an array here holds strings only");
}

TEST(serve_config, syntax_errors_name_the_line)
{
    EXPECT_EQ(error_of("listen\n"), "serve.toml:1: key \"listen\": expected '=' after the key");
    EXPECT_EQ(error_of("listen = \"127.0.0.1:25\n"),
              "serve.toml:1: key \"listen\": string not closed on its line");
    EXPECT_EQ(error_of("listen = \"a\" \"b\"\n"),
              "serve.toml:1: key \"listen\": unexpected text after the value");
    EXPECT_EQ(error_of("\n\nlisten = \"a\"\nlisten = \"b\"\n"),
              "serve.toml:4: key \"listen\" is already set on line 3");
    EXPECT_EQ(error_of("tls.enabled = true\n"),
              "serve.toml:1: key \"tls\": dotted keys are not used here; write a [section]");
    EXPECT_EQ(error_of("hostname = \"a\\qb\"\n"),
              "serve.toml:1: key \"hostname\": unknown escape \\q in a string");
    EXPECT_EQ(error_of("[tls] x\n"), "serve.toml:1: unexpected text after the section header");
    EXPECT_EQ(error_of("= 3\n"), "serve.toml:1: expected a key (letters, digits, '_' and '-')");
}

TEST(serve_config, every_key_is_documented_once)
{
    std::vector<std::string_view> seen;
    for (const auto& k : serve_config_keys()) {
        EXPECT_EQ(std::ranges::count(seen, k.key), 0) << k.key;
        seen.push_back(k.key);
        EXPECT_TRUE(k.option.starts_with("--")) << k.key;
    }
    EXPECT_EQ(seen.size(), 27U);
}

}  // namespace
}  // namespace smtpspec::tools
