// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_REFERENCE_NET_TLS_HPP
#define SMTPSPEC_REFERENCE_NET_TLS_HPP

#include <filesystem>
#include <string>
#include <string_view>

namespace smtpspec::reference::net
{

/** Where the server's TLS certificate and private key are, as PEM files. */
struct tls_files
{
    std::filesystem::path certificate;  ///< PEM certificate (chain).
    std::filesystem::path private_key;  ///< PEM private key, readable by the owner only.
};

/** How the server gets its certificate for STARTTLS (RFC 3207). */
struct tls_options
{
    bool enabled = true;  ///< Offer STARTTLS at all.
    /// A configured certificate; when empty, a self-signed one is used from
    /// (or generated into) @ref directory.
    tls_files configured;
    /// Folder for the generated certificate ("cert.pem", "key.pem").
    std::filesystem::path directory;
};

/**
 * Makes sure a self-signed certificate for @p hostname exists in @p directory.
 *
 * When "cert.pem" and "key.pem" are both there they are used as they are;
 * otherwise a new EC P-256 key and a certificate with CN and subjectAltName
 * set to @p hostname (valid for ten years) are generated with OpenSSL and
 * written atomically (a temporary name, then rename), the key with mode 0600.
 * @param directory the folder; created when missing.
 * @param hostname the server's name.
 * @return the two files.
 * @throws std::runtime_error when OpenSSL fails, or
 *         std::filesystem::filesystem_error when the files cannot be written.
 */
tls_files ensure_self_signed_certificate(const std::filesystem::path& directory,
                                         std::string_view hostname);

/**
 * Resolves @p options into the files to load: the configured pair, or the
 * self-signed one of ensure_self_signed_certificate().
 * @param options the TLS configuration.
 * @param hostname the server's name, for a generated certificate.
 * @return the files.
 * @throws std::runtime_error when only one of the configured files is given
 *         or a file is missing, and what ensure_self_signed_certificate() throws.
 */
tls_files resolve_tls_files(const tls_options& options, std::string_view hostname);

}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_TLS_HPP
