// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// Probe cases for mail data (4.1.1.4, 4.5.2, 4.5.3.1.6, 4.5.3.1.7): the
// end-of-data sequence and every CR/LF/dot variant of it (the SMTP
// smuggling family, known faults B01-B05), dot-stuffing, line and message
// sizes, and the commands around DATA. Only the cases tagged "delivery"
// complete a message, always to the configured recipient; the others close
// the connection before the end of the data.

#include "validate/internal/case_bodies.hpp"
#include "validate/internal/case_kit.hpp"

#include <array>

namespace smtpspec::validate::internal
{

namespace
{
using spec::ref;

/** The header of a probe message, ending with the empty line. */
std::string head(const probe_config& c, std::string_view subject)
{
    return "From: <" + c.from + ">\r\nTo: <" + c.to +
           ">\r\nSubject: smtpspec probe: " + std::string{subject} +
           "\r\nDate: Fri, 04 Dec 2026 12:00:00 +0000\r\nMessage-ID: <probe@" + c.client_domain +
           ">\r\n\r\n";
}

/** The smuggled commands placed after a false end of data (B01). */
std::string smuggled(const probe_config& c)
{
    return "MAIL FROM:<" + c.from + ">\r\nRCPT TO:<" + c.to + ">\r\nDATA\r\n";
}

/** A variant of the end-of-data sequence that must not end the data. */
struct false_end
{
    std::string_view name;   ///< As known-faults.md writes it.
    std::string_view bytes;  ///< The octets.
};

/** How the octets of a false end of data are cut into writes. */
enum class cut
{
    one_write,   ///< Everything in one write.
    per_octet,   ///< One octet per write (B05: the verdict must not depend on reads).
    after_end,   ///< The variant ends a write; the smuggled commands come after a wait.
};

/**
 * "hello", the variant, then the smuggled commands: the data must not end
 * (4.1.1.4 R-4.1.1.4-5, 2.3.8 R-2.3.8-1).
 */
finding false_end_of_data(probe_session& s, false_end v, cut how)
{
    const std::string upto = head(s.config(), "end of data") + "hello" + std::string{v.bytes};
    const std::string all = upto + smuggled(s.config());
    std::vector<std::string> writes;
    switch (how) {
    case cut::one_write: writes.push_back(all); break;
    case cut::per_octet:
        for (const char c : all) {
            writes.emplace_back(1, c);
        }
        break;
    case cut::after_end: writes = {upto, smuggled(s.config())}; break;
    }
    return data_must_not_end(s, writes, v.name, how == cut::after_end);
}

auto smuggling(false_end v, cut how = cut::one_write)
{
    return [=](probe_session& s) { return false_end_of_data(s, v, how); };
}

// rfc5321/4.5.3.1.6/2: a 1200-octet text line, longer than the minimum of
// 4.5.3.1.6, may be refused after the end of data but never answered in the
// middle of the data (the server stays in step). Known fault B46.
// spec: 4.5.3.1.6 check
// spec: 4.2 R-4.2-1 check
finding long_text_line_in_step(probe_session& s)
{
    return data_must_not_end(s, {head(s.config(), "long line") + std::string(1200, 'c') + "\r\n"},
                             "a 1202-octet text line");
}

// A command that must not start mail data: a 354 is a violation (the data
// is then abandoned), the wanted codes pass, other refusals are information.
finding not_data(probe_session& s, stage at, std::string_view line,
                 std::initializer_list<int> wanted, std::string_view rule)
{
    if (!reach(s, at)) {
        return s.aborted();
    }
    const auto r = s.command(line);
    if (!r) {
        return s.aborted();
    }
    if (r->code() == 354) {
        s.abandon_data();
        return {verdict::violated, got(line, *r) + ": " + std::string{rule}};
    }
    return {code_in(*r, wanted) ? verdict::conforming : verdict::informational, got(line, *r)};
}

// rfc5321/4.1.1.5/4: RSET after RCPT ends the transaction, so DATA is out
// of sequence (R-4.1.1.5-1).
// spec: 4.1.1.5 R-4.1.1.5-1 check
finding rset_clears_recipients(probe_session& s)
{
    if (!reach(s, stage::rcpt)) {
        return s.aborted();
    }
    const auto rset = s.command("RSET");
    if (!rset) {
        return s.aborted();
    }
    if (rset->code() != 250) {
        return {verdict::violated, got("RSET", *rset) + "; 250 required (R-4.1.1.5-2)"};
    }
    return not_data(s, stage::here, "DATA", {503, 554},
                    "RSET did not discard the recipients (4.1.1.5 R-4.1.1.5-1)");
}

// rfc5321/4.1.1.10/3: QUIT inside a transaction gets 221 and a close; the
// open transaction is dropped (R-4.1.1.10-1, R-4.1.1.10-5).
// spec: 4.1.1.10 R-4.1.1.10-1 R-4.1.1.10-5 check
finding quit_in_transaction(probe_session& s)
{
    if (!reach(s, stage::rcpt)) {
        return s.aborted();
    }
    const auto r = s.command("QUIT");
    if (!r) {
        return s.aborted();
    }
    if (r->code() != 221) {
        return {verdict::violated, got("QUIT in a transaction", *r) + "; 221 required"};
    }
    std::error_code ec;
    if (!s.connection().wait_for_close(ec)) {
        return {verdict::violated, "QUIT got 221 but the connection stayed open (R-4.1.1.10-1)"};
    }
    return {verdict::conforming, got("QUIT in a transaction", *r) + ", then the server closed"};
}
}  // namespace

void add_data_cases(std::vector<probe_case>& out)
{
    static constexpr std::array<false_end, 8> variants{{
        {"<LF>.<LF>", "\n.\n"},
        {"<LF>.<CR>", "\n.\r"},
        {"<LF>.<CR><LF>", "\n.\r\n"},
        {"<CR>.<CR>", "\r.\r"},
        {"<CR>.<LF>", "\r.\n"},
        {"<CR>.<CR><LF>", "\r.\r\n"},
        {"<CR><LF>.<LF>", "\r\n.\n"},
        {"<CR><LF>.<CR>", "\r\n.\r"},
    }};
    static constexpr std::array<std::string_view, 8> ids{
        "rfc5321/4.1.1.4/2", "rfc5321/4.1.1.4/3", "rfc5321/4.1.1.4/4", "rfc5321/4.1.1.4/5",
        "rfc5321/4.1.1.4/6", "rfc5321/4.1.1.4/7", "rfc5321/4.1.1.4/8", "rfc5321/4.1.1.4/9"};
    static constexpr std::array<std::string_view, 8> titles{
        "<LF>.<LF> in mail data does not end it",     "<LF>.<CR> in mail data does not end it",
        "<LF>.<CR><LF> in mail data does not end it", "<CR>.<CR> in mail data does not end it",
        "<CR>.<LF> in mail data does not end it",     "<CR>.<CR><LF> in mail data does not end it",
        "<CR><LF>.<LF> in mail data does not end it", "<CR><LF>.<CR> in mail data does not end it"};
    static constexpr std::array<std::string_view, 8> faults{"B02", "B05", "B01", "B05",
                                                            "B05", "B05", "B03", "B05"};
    // clang-format off
    for (std::size_t i = 0; i < variants.size(); ++i) {
        out.push_back({ids[i], titles[i], level::must,
                       {ref{"4.1.1.4", {"R-4.1.1.4-4", "R-4.1.1.4-5"}},
                        ref{"2.3.8", {"R-2.3.8-1"}}},
                       smuggling(variants[i]),
                       faults[i] == "B05" ? std::vector<std::string_view>{"B05"}
                                          : std::vector<std::string_view>{faults[i], "B05"},
                       {}, {"smuggling", "data"}});
    }
    const std::vector<probe_case> rows{
        {"rfc5321/4.1.1.4/10", "<LF>.<CR><LF> sent one octet per write does not end the data",
         level::must, {ref{"4.1.1.4", {"R-4.1.1.4-5"}}, ref{"2.3.8", {"R-2.3.8-1"}}},
         smuggling(variants[2], cut::per_octet), {"B01", "B05"}, {}, {"smuggling", "data"}},
        {"rfc5321/4.1.1.4/13",
         "<LF>.<CR><LF> at the end of a write, the commands after a pause, does not end the data",
         level::must, {ref{"4.1.1.4", {"R-4.1.1.4-5"}}, ref{"2.3.8", {"R-2.3.8-1"}}},
         smuggling(variants[2], cut::after_end), {"B01", "B05"}, {}, {"smuggling", "data"}},
        {"rfc5321/4.1.1.4/11", "<CRLF>.<CRLF> split as <CR> | <LF>.<CR> | <LF> ends the data once",
         level::must, {ref{"4.1.1.4", {"R-4.1.1.4-6"}}, ref{"4.2", {"R-4.2-1"}}},
         [](probe_session& s) {
             return data_delivered(s, {head(s.config(), "split end") + "hello\r", "\n.\r", "\n"},
                                   "the split end of data");
         },
         {"B05"}, {}, {"delivery", "data"}},
        {"rfc5321/4.1.1.4/12", "<CRLF>.<CRLF> split as <CRLF>. | <CRLF> ends the data once",
         level::must, {ref{"4.1.1.4", {"R-4.1.1.4-6"}}, ref{"4.2", {"R-4.2-1"}}},
         [](probe_session& s) {
             return data_delivered(s, {head(s.config(), "split end") + "hello\r\n.", "\r\n"},
                                   "the split end of data");
         },
         {"B05"}, {}, {"delivery", "data"}},
        {"rfc5321/4.5.2/1", "dot-stuffed lines (\"..\", \"..test\", \"...x\") do not end the data",
         level::must, {ref{"4.5.2"}, ref{"4.1.1.4", {"R-4.1.1.4-6"}}},
         [](probe_session& s) {
             return data_delivered(
                 s, {head(s.config(), "dot-stuffing") + "hello\r\n..\r\n..test\r\n...x\r\n.\r\n"},
                 "dot-stuffed data");
         },
         {"B39"}, {}, {"delivery", "data"}},
        {"rfc5321/4.5.3.1.6/1", "text lines of 1000 octets (stuffing dot not counted) are accepted",
         level::must, {ref{"4.5.3.1.6"}, ref{"4.5.3.1", {"R-4.5.3.1-1"}}},
         [](probe_session& s) {
             return data_delivered(s, {head(s.config(), "1000-octet lines")
                                       + std::string(998, 'a') + "\r\n.." + std::string(997, 'b')
                                       + "\r\n.\r\n"},
                                   "two 1000-octet lines");
         },
         {"B46"}, {}, {"delivery", "data", "limits"}},
        {"rfc5321/4.5.3.1.6/2", "a 1202-octet text line gets no reply before the end of data",
         level::must, {ref{"4.5.3.1.6"}, ref{"4.2", {"R-4.2-1"}}},
         long_text_line_in_step, {"B46"}, {"long-text-line"}, {"data", "limits"}},
        {"rfc5321/4.5.3.1.7/1", "a message of 64 KiB is accepted", level::must,
         {ref{"4.5.3.1.7", {"R-4.5.3.1.7-1"}}},
         [](probe_session& s) {
             std::string body = head(s.config(), "64 KiB");
             while (body.size() < 64U * 1024U) {
                 body += std::string(76, 'x') + "\r\n";
             }
             return data_delivered(s, {body + ".\r\n"}, "a 64 KiB message");
         },
         {}, {}, {"delivery", "data", "limits"}},
        {"rfc5321/4.3.2/2", "DATA with an argument gets 501, not 354", level::should,
         {ref{"4.3.2", {"R-4.3.2-5"}}, ref{"4.1.1", {"R-4.1.1-4"}}},
         [](probe_session& s) {
             return not_data(s, stage::rcpt, "DATA now", {501},
                             "DATA takes no argument (4.3.2 R-4.3.2-5)");
         },
         {}, {}, {"syntax", "data"}},
        {"rfc5321/4.1.4/7", "DATA before MAIL gets 503 (or 554), not 354", level::must,
         {ref{"4.1.4", {"R-4.1.4-16"}}, ref{"3.3", {"R-3.3-11"}}},
         [](probe_session& s) {
             return not_data(s, stage::session, "DATA", {503, 554},
                             "DATA out of sequence (4.1.4 R-4.1.4-16)");
         },
         {}, {}, {"sequence", "data"}},
        {"rfc5321/4.1.1.5/4", "RSET after RCPT discards the recipients: DATA gets 503",
         level::must, {ref{"4.1.1.5", {"R-4.1.1.5-1"}}},
         rset_clears_recipients, {}, {}, {"sequence"}},
        {"rfc5321/4.1.1.10/3", "QUIT inside a transaction gets 221 and a close", level::must,
         {ref{"4.1.1.10", {"R-4.1.1.10-1", "R-4.1.1.10-5"}}},
         quit_in_transaction, {}, {}, {"session"}},
    };
    // clang-format on
    out.insert(out.end(), rows.begin(), rows.end());
}

}  // namespace smtpspec::validate::internal
