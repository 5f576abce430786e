// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_MAILDIR_HPP
#define SMTPSPEC_REFERENCE_MAILDIR_HPP

#include "reference/message_store.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace smtpspec::reference
{

/**
 * The server's embedded default store: a Maildir (tmp/, new/, cur/).
 *
 * Each message is written to tmp/, flushed to disk with fsync, renamed into
 * new/, and new/ itself is fsync'ed, all before store() returns; so the 250
 * that follows means the message survives a crash (6.1 R-6.1-1, WG #114).
 *
 * A stored file is the trace header (Return-Path, Received) followed by the
 * mail data exactly as received after dot-unstuffing, CRLF line endings kept.
 */
class maildir_store final : public message_store
{
public:
    /**
     * Creates the folders if needed.
     * @param root the Maildir.
     * @throws std::filesystem::filesystem_error when they cannot be created.
     */
    explicit maildir_store(std::filesystem::path root);

    store_result store(const envelope& env, std::string_view data,
                       std::string_view server_name) override;

    /** @return the Maildir's root folder. */
    [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::string unique_name(long long unix_time);

    std::filesystem::path root_;
    std::uint64_t sequence_ = 0;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_HPP
