// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_MAILDIR_HPP
#define SMTPSPEC_REFERENCE_MAILDIR_HPP

#include "reference/message_store.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <span>
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
 *
 * store() is the protocol for one message. A group commit (maildir_committer)
 * runs the same protocol in two steps: stage() each message of the group,
 * on as many threads as it likes, then publish() the group, which renames
 * them all and syncs new/ once.
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

    /** One message written to tmp/ and not yet moved into new/. */
    struct staged
    {
        std::string name;    ///< Its file name in tmp/ (and in new/ once published).
        store_result result; ///< ok with the name as id, or why it failed.
    };

    /**
     * Writes one message to tmp/ and flushes it with fdatasync: its octets
     * and size are on disk when this returns ok. Safe to call from several
     * threads at once.
     * @param env the transaction's envelope.
     * @param data the mail data after dot-unstuffing.
     * @param server_name the receiving host's name, for the trace lines.
     * @return the staged file, or the reason it failed (nothing left in tmp/).
     */
    staged stage(const envelope& env, std::string_view data, std::string_view server_name);

    /**
     * Moves every staged message that is ok into new/, then syncs new/ once.
     * A message is ok after this only when its rename and that sync
     * succeeded; when the sync fails, every message of the group fails.
     * @param group messages from stage(); their results are updated.
     */
    void publish(std::span<staged> group);

    /** @return the Maildir's root folder. */
    [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::string unique_name(long long unix_time);

    std::filesystem::path root_;
    std::string host_;                    // This host's name, cleaned for a file name.
    std::atomic<std::uint64_t> sequence_ = 0;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_HPP
