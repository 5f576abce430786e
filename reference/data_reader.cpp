// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/data_reader.hpp"

namespace smtpspec::reference::internal
{

void data_reader::emit(char c)
{
    if (message_.size() < max_size_) {
        message_ += c;
    } else {
        too_big_ = true;
    }
    ++line_length_;
}

void data_reader::end_line()
{
    emit('\r');
    emit('\n');
    if (line_length_ > longest_line_) {
        longest_line_ = line_length_;
    }
    line_length_ = 0;
    at_line_start_ = true;
}

std::size_t data_reader::consume(std::string_view bytes)
{
    std::size_t used = 0;
    while (used < bytes.size() && !done_) {
        const char c = bytes[used++];
        ++wire_octets_;
        if (cr_pending_) {
            cr_pending_ = false;
            if (c == '\n') {
                if (dot_pending_) {
                    // CRLF "." CRLF: the end of mail data (4.1.1.4).
                    done_ = true;
                    break;
                }
                end_line();
                continue;
            }
            // A CR not followed by LF is not a line ending (2.3.8).
            bare_cr_ = true;
            dot_pending_ = false;
            at_line_start_ = false;
            emit('\r');
        }
        if (c == '\r') {
            cr_pending_ = true;
            continue;
        }
        if (dot_pending_) {
            // 4.5.2: the first dot of a line that holds more was added by the
            // sender; it has already been dropped.
            dot_pending_ = false;
        } else if (at_line_start_ && c == '.') {
            dot_pending_ = true;
            at_line_start_ = false;
            continue;
        }
        at_line_start_ = false;
        if (c == '\n') {
            bare_lf_ = true;
        }
        emit(c);
    }
    return used;
}

}  // namespace smtpspec::reference::internal
