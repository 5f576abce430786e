// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/data_reader.hpp"

#include "reference/client_session.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace smtpspec::reference::internal
{
namespace
{

struct read_result
{
    bool done;
    std::size_t used;
    std::string message;
    bool bare_lf;
    bool bare_cr;
    std::size_t longest_line;
    std::size_t wire_octets;
};

read_result read_in_pieces(const std::vector<std::string>& pieces)
{
    data_reader r{1 << 20};
    std::size_t used = 0;
    for (const auto& p : pieces) {
        const std::size_t n = r.consume(p);
        used += n;
        if (r.done()) {
            break;
        }
    }
    return {r.done(), used, r.message(), r.bare_lf(), r.bare_cr(), r.longest_line(),
            r.wire_octets()};
}

read_result read_whole(const std::string& bytes) { return read_in_pieces({bytes}); }

// spec: 4.1.1.4 R-4.1.1.4-5 test
TEST(data_reader, crlf_dot_crlf_ends_data)
{
    const auto r = read_whole("hello\r\n.\r\nQUIT\r\n");
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.used, 10U);
    EXPECT_EQ(r.message, "hello\r\n");
}

// RFC 1870 SIZE: the declared size sizes the buffer, within the limits.
TEST(data_reader, declared_size_makes_room_once_within_the_limits)
{
    const data_reader declared{1 << 20, 100000};
    EXPECT_GE(declared.message().capacity(), 100000U);
    // Never more than the limit the server enforces, whatever the client says.
    const data_reader over_limit{4096, 1 << 20};
    EXPECT_LT(over_limit.message().capacity(), 8192U);
    const data_reader unlimited{std::string{}.max_size(), std::size_t{1} << 40};
    EXPECT_GE(unlimited.message().capacity(), data_reader::max_reserve);
    EXPECT_LT(unlimited.message().capacity(), 2 * data_reader::max_reserve);
    data_reader r{1 << 20, 100000};
    const std::string body(99000, 'x');
    r.consume(body + "\r\n.\r\n");
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.message().size(), 99002U);
}

TEST(data_reader, empty_message)
{
    const auto r = read_whole(".\r\n");
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.message, "");
}

// Known fault B01: <LF>.<CR><LF> is not an end of data.
TEST(data_reader, lf_dot_crlf_is_not_end_B01)
{
    const std::string smuggle = "Subject: a\r\n\r\nhello\n.\r\nMAIL FROM:<boss@example.com>\r\n"
                                "RCPT TO:<victim@example.org>\r\nDATA\r\nFrom: boss@example.com\r\n"
                                "\r\nfake\r\n.\r\n";
    const auto r = read_whole(smuggle);
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.used, smuggle.size());  // One end of data: the real one.
    EXPECT_TRUE(r.bare_lf);
}

// Known fault B02: <LF>.<LF> is not an end of data.
TEST(data_reader, lf_dot_lf_is_not_end_B02)
{
    const std::string bytes = "hello\n.\nMAIL FROM:<boss@example.com>\r\n.\r\n";
    const auto r = read_whole(bytes);
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.used, bytes.size());
    EXPECT_TRUE(r.bare_lf);
}

// Known fault B03: <CRLF>.<LF> and <LF>.<CRLF> are not ends of data.
TEST(data_reader, crlf_dot_lf_is_not_end_B03)
{
    const auto r = read_whole("hello\r\n.\nQUIT\r\n");
    EXPECT_FALSE(r.done);
    EXPECT_TRUE(r.bare_lf);
    const auto later = read_whole("hello\r\n.\nQUIT\r\n.\r\n");
    EXPECT_TRUE(later.done);
}

TEST(data_reader, bare_cr_is_flagged_and_kept)
{
    const auto r = read_whole("a\rb\r\n.\r\n");
    EXPECT_TRUE(r.done);
    EXPECT_TRUE(r.bare_cr);
    EXPECT_EQ(r.message, "a\rb\r\n");
}

// Known fault B05: the legal end split over reads is found exactly once.
TEST(data_reader, split_end_of_data_B05)
{
    auto r = read_in_pieces({"hello\r", "\n.\r", "\n"});
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.message, "hello\r\n");
    r = read_in_pieces({"hello\r\n.", "\r\n"});
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.message, "hello\r\n");
}

// Known fault B39: the stuffing dot is removed, nothing else.
// spec: 4.5.2 test
TEST(data_reader, dot_unstuffing_B39)
{
    const auto r = read_whole("hello\r\n..\r\n..test\r\n...x\r\n.\r\n");
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.message, "hello\r\n.\r\n.test\r\n..x\r\n");
}

// A run of ordinary octets that crosses the size limit keeps what fits.
TEST(data_reader, size_limit_inside_a_run)
{
    data_reader r{6};
    EXPECT_EQ(r.consume("ab\r\ncdefgh\r\n.\r\n"), 15U);
    EXPECT_TRUE(r.too_big());
    EXPECT_EQ(r.message(), "ab\r\ncd");
    EXPECT_EQ(r.longest_line(), 8U);
    EXPECT_EQ(r.wire_octets(), 15U);
}

TEST(data_reader, size_limit_keeps_reading_to_the_end)
{
    data_reader r{4};
    const std::string bytes = "0123456789\r\n.\r\n";
    EXPECT_EQ(r.consume(bytes), bytes.size());
    EXPECT_TRUE(r.done());
    EXPECT_TRUE(r.too_big());
    EXPECT_EQ(r.message().size(), 4U);
}

// Known fault B46: the stuffing dot does not count toward the line length.
TEST(data_reader, line_length_excludes_stuffing_dot_B46)
{
    data_reader r{1 << 20};
    const std::string line1(998, 'a');
    const std::string line2 = ".." + std::string(997, 'b');
    r.consume(line1 + "\r\n" + line2 + "\r\n.\r\n");
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.longest_line(), 1000U);
}

// The verdict never depends on how the octets are split (B05).
RC_GTEST_PROP(data_reader, split_invariance_B05, (const std::vector<char>& alphabet_picks,
                                                  const std::vector<std::size_t>& cuts))
{
    // "abcdefgh": runs of ordinary octets, which the reader copies at once.
    static const std::string alphabet[] = {"\r\n", "\r", "\n", ".", "a", "..", "\r\n.\r\n",
                                           "abcdefgh"};
    std::string bytes;
    for (const char pick : alphabet_picks) {
        bytes += alphabet[static_cast<unsigned char>(pick) % 8];
    }
    std::vector<std::string> pieces;
    std::size_t at = 0;
    for (const std::size_t cut : cuts) {
        if (bytes.empty()) {
            break;
        }
        const std::size_t len = cut % (bytes.size() - at + 1);
        pieces.push_back(bytes.substr(at, len));
        at += len;
    }
    pieces.push_back(bytes.substr(at));
    const auto whole = read_whole(bytes);
    const auto split = read_in_pieces(pieces);
    RC_ASSERT(whole.done == split.done);
    RC_ASSERT(whole.used == split.used);
    RC_ASSERT(whole.message == split.message);
    RC_ASSERT(whole.bare_lf == split.bare_lf);
    RC_ASSERT(whole.bare_cr == split.bare_cr);
    RC_ASSERT(whole.longest_line == split.longest_line);
    RC_ASSERT(whole.wire_octets == split.wire_octets);
}

// What the client stuffs, the server unstuffs: any message without lone CR or
// LF arrives as it was, with a final CRLF (4.5.2, known fault B39).
RC_GTEST_PROP(data_reader, client_stuffing_round_trip_B39, (const std::vector<std::string>& lines))
{
    std::string message;
    for (auto line : lines) {
        std::erase(line, '\r');
        std::erase(line, '\n');
        message += line + "\r\n";
    }
    std::size_t longest = 0;
    const std::string wire = prepare_data(message, longest);
    data_reader r{1 << 24};
    RC_ASSERT(r.consume(wire) == wire.size());
    RC_ASSERT(r.done());
    RC_ASSERT(r.message() == message);
    RC_ASSERT(!r.bare_lf() && !r.bare_cr());
}

}  // namespace
}  // namespace smtpspec::reference::internal
