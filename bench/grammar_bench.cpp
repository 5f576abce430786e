// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Throughput of the typed parsers of grammar/: command lines and replies per
// second. The target is 5 million command lines per second on one core
// (command_mix). scripts/bench-grammar builds and runs it.

#include "grammar/parse.hpp"
#include "grammar/reply_parser.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <string_view>
#include <variant>

namespace
{

using namespace std::string_view_literals;

// What a client sends in a session or two: EHLO, MAIL and RCPT with parameters,
// quoted local parts, source routes, address literals, then DATA and the rest.
constexpr std::array command_mix{
    "EHLO client.example.net\r\n"sv,
    "MAIL FROM:<alice@example.org> SIZE=12345 BODY=8BITMIME\r\n"sv,
    "RCPT TO:<bob@example.com>\r\n"sv,
    "RCPT TO:<\"john smith\"@example.com> NOTIFY=SUCCESS,FAILURE "
    "ORCPT=rfc822;john@example.com\r\n"sv,
    "RCPT TO:<carol.jones+list@mail.example.co.uk>\r\n"sv,
    "DATA\r\n"sv,
    "RSET\r\n"sv,
    "MAIL FROM:<@relay.example.net:dave@example.org>\r\n"sv,
    "RCPT TO:<postmaster@[192.0.2.17]>\r\n"sv,
    "RCPT TO:<erin@[IPv6:2001:db8::1]>\r\n"sv,
    "DATA\r\n"sv,
    "MAIL FROM:<> SIZE=2048\r\n"sv,
    "RCPT TO:<Postmaster>\r\n"sv,
    "NOOP\r\n"sv,
    "HELO legacy.example.net\r\n"sv,
    "QUIT\r\n"sv,
};

void command_mix_lines(benchmark::State& state)
{
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = smtpspec::grammar::parse_command(command_mix[i]);
        benchmark::DoNotOptimize(r);
        if (std::holds_alternative<smtpspec::grammar::syntax_error>(r)) {
            state.SkipWithError("a line of the mix did not parse");
            break;
        }
        i = i + 1 == command_mix.size() ? 0 : i + 1;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(command_mix_lines)->Name("command_mix");

void one_line(benchmark::State& state, std::string_view line)
{
    for (auto _ : state) {
        auto r = smtpspec::grammar::parse_command(line);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_CAPTURE(one_line, mail_with_params, command_mix[1]);
BENCHMARK_CAPTURE(one_line, rcpt_quoted_with_dsn, command_mix[3]);
BENCHMARK_CAPTURE(one_line, rcpt_ipv6_literal, command_mix[9]);
BENCHMARK_CAPTURE(one_line, data, command_mix[5]);
// A line that fails is parsed twice: once plainly, then with the failure
// tracker that names the rule and offset. This is what that costs.
BENCHMARK_CAPTURE(one_line, rcpt_syntax_error, "RCPT TO:<b@example..org>\r\n"sv);

void ehlo_reply(benchmark::State& state)
{
    constexpr std::string_view reply = "250-mx.example.org greets client.example.net\r\n"
                                       "250-SIZE 35882577\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
                                       "250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n"
                                       "250 SMTPUTF8\r\n";
    for (auto _ : state) {
        auto r = smtpspec::grammar::parse_reply(reply);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(ehlo_reply)->Name("reply_ehlo_7_lines");

}  // namespace

BENCHMARK_MAIN();
