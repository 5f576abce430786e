// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/session.hpp"

#include "corpus/oracle.hpp"
#include "model/profile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace smtpspec::corpus
{
namespace
{

constexpr std::array<session_kind, 4> kinds{session_kind::valid, session_kind::invalid,
                                            session_kind::pipelined, session_kind::data_trap};

// Each dialogue, played against the reference server, gets only replies the
// model permits, and the model's own first choices where the server has no
// policy to apply (no parameters are sent).
// spec: 4.1.4 test
TEST(corpus_session, dialogues_pass_the_model_oracle)
{
    session_generator gen(model::rfc5321(), 2026);
    for (int i = 0; i < 200; ++i) {
        const session_kind kind = kinds[static_cast<std::size_t>(i) % kinds.size()];
        const session_sample s = gen.next(kind);
        const oracle_report r = check_server_session(s.bytes, model::rfc5321());
        ASSERT_FALSE(r.failure.has_value()) << to_string(kind) << ": " << *r.failure;
        ASSERT_FALSE(r.codes.empty());
        const std::vector<int> after_greeting(r.codes.begin() + 1, r.codes.end());
        EXPECT_EQ(after_greeting, s.expected) << to_string(kind) << ": " << s.summary;
    }
}

// spec: 4.1.1.4 R-4.1.1.4-6 test
TEST(corpus_session, traps_hold_a_false_end_of_data_and_get_554)
{
    session_generator gen(model::rfc5321(), 4);
    for (int i = 0; i < 20; ++i) {
        const session_sample s = gen.next(session_kind::data_trap);
        EXPECT_NE(s.bytes.find("smuggled@example.com"), std::string::npos);
        EXPECT_NE(std::ranges::find(s.expected, 554), s.expected.end()) << s.summary;
    }
}

TEST(corpus_session, same_seed_same_dialogues)
{
    session_generator a(model::rfc5321(), 77);
    session_generator b(model::rfc5321(), 77);
    for (const session_kind k : kinds) {
        EXPECT_EQ(a.next(k).bytes, b.next(k).bytes);
    }
}

TEST(corpus_oracle, catches_a_reply_the_model_forbids)
{
    // A server that answered DATA before RCPT with 354 would be caught; the
    // reference server does not, so check the oracle on a good and a smuggling case.
    const auto ok = check_server_session("EHLO a.example\r\nDATA\r\nQUIT\r\n", model::rfc5321());
    EXPECT_FALSE(ok.failure.has_value());
    EXPECT_EQ(ok.codes, (std::vector<int>{220, 250, 503, 221}));
    const auto smuggle = check_server_session(
        "EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\n.\r\nQUIT\r\n.\r\n",
        model::rfc5321());
    EXPECT_FALSE(smuggle.failure.has_value()) << *smuggle.failure;
    EXPECT_EQ(smuggle.codes, (std::vector<int>{220, 250, 250, 250, 354, 554}));
}

}  // namespace
}  // namespace smtpspec::corpus
