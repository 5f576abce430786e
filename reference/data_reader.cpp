// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/internal/data_reader.hpp"

#include <cstring>

namespace smtpspec::reference::internal
{

void data_reader::emit(char c)
{
    if (message_.size() < max_size_) {
        message_ += c;
    } else {
        too_big_ = too_big_ || !dropped_;
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

void data_reader::emit_run(std::string_view run)
{
    // The same as emit() for each octet, at once.
    const std::size_t room = message_.size() < max_size_ ? max_size_ - message_.size() : 0;
    message_.append(run.substr(0, room));
    if (run.size() > room) {
        too_big_ = too_big_ || !dropped_;
    }
    line_length_ += run.size();
}

std::size_t data_reader::consume(std::string_view bytes)
{
    std::size_t used = 0;
    while (used < bytes.size() && !done_) {
        if (!cr_pending_ && !dot_pending_ && !at_line_start_) {
            // Inside a line, every octet up to the next CR or LF is taken as
            // it is: find them with memchr instead of stepping through.
            const char* from = bytes.data() + used;
            std::size_t n = bytes.size() - used;
            if (const void* cr = std::memchr(from, '\r', n)) {
                n = static_cast<std::size_t>(static_cast<const char*>(cr) - from);
            }
            if (const void* lf = std::memchr(from, '\n', n)) {
                n = static_cast<std::size_t>(static_cast<const char*>(lf) - from);
            }
            if (n > 0) {
                emit_run(std::string_view{from, n});
                wire_octets_ += n;
                used += n;
                continue;
            }
        }
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
