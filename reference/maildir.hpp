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
    /// written back and the disk is flushed once for the whole group (Linux;
    /// elsewhere, per_file). Fast when the Maildir has its file system to
    /// itself; a group waits for other programs' unwritten data when not.
    file_system,
    /// One fdatasync per file: one disk flush per message, whatever else is
    /// written to the same file system.
    per_file,
};

/** Where maildir_store::stage() writes a message before it is published. */
enum class staging
{
    /// An unnamed file in new/ (Linux O_TMPFILE), given its name by a link
    /// once flushed: tmp/ is never written, so a group costs one directory
    /// change per message instead of three (create and remove in tmp/, add
    /// in new/), and a crash leaves no half-written file behind (an unnamed
    /// file goes with the process; after a power failure the file system
    /// reclaims it, on mounting with a journal, else at its next check).
    /// Where the file system or /proc cannot do it (checked once, when the
    /// store is made), tmp_folder.
    unnamed,
    /// A file in tmp/, renamed into new/ once flushed (the Maildir protocol
    /// as first described; every file system).
    tmp_folder,
};

/**
 * The server's embedded default store: a Maildir (tmp/, new/, cur/).
 *
 * Each message is written to a file nobody reads yet (an unnamed file, or
 * one in tmp/: see staging), flushed to disk, given its name in new/ (a
 * link, or a rename), and new/ itself is fsync'ed, all before store()
 * returns; so the 250 that follows means the message survives a crash (6.1
 * R-6.1-1, WG #114).
 *
 * A stored file is the trace header (Return-Path, Received) followed by the
 * mail data exactly as received after dot-unstuffing, CRLF line endings kept.
 *
 * store() is the protocol for one message. A group commit (maildir_committer)
 * runs it for several messages in three steps, each paid once per group
 * where it can be: stage() each message (written, not flushed), flush() the
 * group (one disk flush for all of them with group_flush::file_system),
 * then publish() it (named in new/, one sync of new/). The order is the
 * durability promise: a name appears in new/ only for a file whose octets
 * are on disk, and the 250 waits for the name.
 */
class maildir_store final : public message_store
{
public:
    /**
     * Creates the folders if needed.
     * @param root the Maildir.
     * @param flush how flush() makes a group of several files durable.
     * @param where where stage() writes; staging::unnamed falls back to
     *        staging::tmp_folder where it cannot work (see staged_in()).
     * @throws std::filesystem::filesystem_error when they cannot be created.
     */
    explicit maildir_store(std::filesystem::path root, group_flush flush = group_flush::file_system,
                           staging where = staging::unnamed);

    store_result store(const envelope& env, std::string_view data,
                       std::string_view server_name) override;

    /** One message written and not yet named in new/; move-only. */
    struct staged
    {
        std::string name;     ///< Its file name in new/ once published (and in tmp/ before).
        store_result result;  ///< ok with the name as id, or why it failed.
        /// The open file: until flush() has flushed it when it is in tmp/,
        /// until publish() has linked it when it is unnamed; else -1.
        int fd = -1;
        bool unnamed = false;  ///< Made by staging::unnamed: the link names it.
        bool flushed = false;  ///< flush() has put its octets on disk.

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
     * Writes one message (see staging) and leaves the file open, not yet
     * flushed, for flush(). Safe to call from several threads at once.
     * @param env the transaction's envelope.
     * @param data the mail data after dot-unstuffing.
     * @param server_name the receiving host's name, for the trace lines.
     * @return the staged file, or the reason it failed (nothing left behind).
     */
    staged stage(const envelope& env, std::string_view data, std::string_view server_name);

    /**
     * Puts the octets and sizes (the metadata needed to read them back) of
     * every unflushed file of the group on disk: with
     * group_flush::file_system and more than one file, one syncfs of the
     * file system; else one fdatasync per file. A file in tmp/ is then
     * closed; an unnamed one stays open for its link. A file whose flush
     * failed is failed, closed and removed; when syncfs fails, every file of
     * the group fails (the error may be any file's on that file system).
     * @param group messages from stage(); their results are updated.
     */
    void flush(std::span<staged> group);

    /**
     * Names every message of the group that is ok in new/ (links an
     * unnamed file, renames one from tmp/), then syncs new/ once; flushes
     * first whatever flush() has not. A message is ok after this only when
     * its flush, its naming and that sync succeeded; when the sync fails,
     * every message of the group fails. A file that could not be named is
     * removed.
     * @param group messages from stage(); their results are updated.
     */
    void publish(std::span<staged> group);

    /** @return where stage() writes: staging::unnamed only where it works. */
    [[nodiscard]] staging staged_in() const noexcept { return staging_; }

    /** @return the Maildir's root folder. */
    [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::string unique_name(long long unix_time);
    /// Where s's octets are: its name in tmp/, or for an unnamed file the
    /// name it is to have in new/ (what errors report).
    [[nodiscard]] std::filesystem::path written_path(const staged& s) const;
    /// Fails s with why, closes and removes its file.
    void discard(staged& s, store_result why);

    std::filesystem::path root_;
    std::string host_;  // This host's name, cleaned for a file name.
    group_flush flush_;
    staging staging_;
    std::atomic<std::uint64_t> sequence_ = 0;
};

}  // namespace smtpspec::reference

#endif  // SMTPSPEC_REFERENCE_MAILDIR_HPP
