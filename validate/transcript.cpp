// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/transcript.hpp"

namespace smtpspec::validate
{

void transcript::add(direction from, std::string_view octets)
{
    if (truncated_) {
        return;
    }
    if (size_ + octets.size() > limit_) {
        truncated_ = true;
        entries_.push_back({direction::note, "transcript truncated: size limit reached"});
        return;
    }
    size_ += octets.size();
    entries_.push_back({from, std::string{octets}});
}

std::string transcript::to_text() const
{
    std::string out;
    for (const auto& e : entries_) {
        switch (e.from) {
        case direction::client:
            out += "C: ";
            break;
        case direction::server:
            out += "S: ";
            break;
        case direction::note:
            out += "# ";
            break;
        }
        out += escape_octets(e.octets);
        out += '\n';
    }
    return out;
}

std::string escape_octets(std::string_view octets)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(octets.size());
    for (const char ch : octets) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 32 || c > 126 || c == '\\') {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace smtpspec::validate
