// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "grammar/reply.hpp"

#include <cassert>

namespace smtpspec::grammar
{

std::string format_reply(const reply& r)
{
    assert(!r.lines.empty());
    std::string out;
    const std::string code = std::to_string(r.code);
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
        const bool last = i + 1 == r.lines.size();
        out += code;
        if (!last) {
            out += '-';
            out += r.lines[i];
        } else if (!r.lines[i].empty()) {
            out += ' ';
            out += r.lines[i];
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace smtpspec::grammar
