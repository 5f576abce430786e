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
#include <utility>

namespace smtpspec::reference
{

/** How maildir_store::flush() makes a group of several files durable. */
enum class group_flush
{
    /// One syncfs of the Maildir's file system: every dirty file on it is
    /// written back and the disk is flushed for the whole group (Linux;
    /// elsewhere, per_file). Fast when the Maildir has its file system to
    /// itself; a group waits for other programs' unwritten data when not.
    file_system,
    /// One fdatasync per file: one disk flush per message, whatever else is
    /// written to the same file system.
    per_file,
};

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
 * runs it for several messages in three steps, each paid once per group
 * where it can be: stage() each message (written to tmp/, not flushed),
 * flush() the group (one syncfs and one more disk flush for all of them
 * with group_flush::file_system), then publish() it (renamed into new/, one sync
 * of new/). The order is the durability promise: a name appears in new/ only
 * for a file whose octets are on disk, and the 250 waits for the name.
 */
class maildir_store final : public message_store
{
public:
    /**
     * Creates the folders if needed.
     * @param root the Maildir.
     * @param flush how flush() makes a group of several files durable.
     * @throws std::filesystem::filesystem_error when they cannot be created.
     */
    explicit maildir_store(std::filesystem::path root,
                           group_flush flush = group_flush::file_system);

    store_result store(const envelope& env, std::string_view data,
                       std::string_view server_name) override;

    /** One message written to tmp/ and not yet moved into new/; move-only. */
    struct staged
    {
        std::string name;    ///< Its file name in tmp/ (and in new/ once published).
        store_result result; ///< ok with the name as id, or why it failed.
        int fd = -1;         ///< The open file until flush() has flushed it, else -1.

        /** @param n the file name. @param r the result so far (no file open yet). */
        staged(std::string n, store_result r) : name(std::move(n)), result(std::move(r)) {}
        staged(const staged&) = delete;
        staged& operator=(const staged&) = delete;
        /** Takes the other's file; the other is left without one. */
        staged(staged&& other) noexcept;
        /** Closes this file (unflushed: a crash may lose it), takes the other's. */
        staged& operator=(staged&& other) noexcept;
        /** Closes the file if flush() has not (unflushed: the message is not stored). */
        ~staged();
    };

    /**
     * Writes one message to tmp/ and leaves the file open, not yet flushed,
     * for flush(). Safe to call from several threads at once.
     * @param env the transaction's envelope.
     * @param data the mail data after dot-unstuffing.
     * @param server_name the receiving host's name, for the trace lines.
     * @return the staged file, or the reason it failed (nothing left in tmp/).
     */
    staged stage(const envelope& env, std::string_view data, std::string_view server_name);

    /**
     * Puts the octets and sizes (the metadata needed to read them back) of
     * every open file of the group on disk and closes it: with
     * group_flush::file_system and more than one file, one syncfs of the
     * file system followed by one more disk flush (syncfs may write inode
     * blocks after its own flush); else one fdatasync per file. Every
     * write this makes is on disk, past the disk's cache, when it returns,
     * so nothing written later (the renames of publish()) can reach the
     * disk before it. A file whose flush failed
     * is failed and removed from tmp/; when syncfs fails, every file of the
     * group fails (the error may be any file's on that file system).
     * @param group messages from stage(); their results are updated.
     */
    void flush(std::span<staged> group);

    /**
     * Moves every message of the group that is ok into new/, then syncs new/
     * once; flushes first whatever flush() has not. A message is ok after
     * this only when its flush, its rename and that sync succeeded; when the
     * sync fails, every message of the group fails. A file whose rename
     * failed is removed from tmp/.
     * @param group messages from stage(); their results are updated.
     */
    void publish(std::span<staged> group);

    /** @return the Maildir's root folder. */
    [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::string unique_name(long long unix_time);

    std::filesystem::path root_;
    std::string host_;                    // This host's name, cleaned for a file name.
    group_flush flush_;
    std::atomic<std::uint64_t> sequence_ = 0;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_HPP
