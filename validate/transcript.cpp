// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "validate/transcript.hpp"

#include "reference/trace.hpp"

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
        out += reference::printable(e.octets);
        out += '\n';
    }
    return out;
}

}  // namespace smtpspec::validate
