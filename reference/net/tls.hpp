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
    /// When nothing is configured, generate the self-signed certificate in
    /// memory for this run only and write nothing (the default of a server
    /// that keeps no mail, `serve --discard`); @ref directory is then unused.
    bool in_memory = false;
};

/** A certificate and its private key as PEM text, held in memory. */
struct tls_pem
{
    std::string certificate;  ///< PEM certificate.
    std::string private_key;  ///< PEM private key.
};

/**
 * Generates a new EC P-256 key and a self-signed certificate with CN set
 * to @p hostname and a subjectAltName: a DNS name, or the IP address of an
 * address literal ("[192.0.2.1]", "[IPv6:::1]"); valid from a minute ago
 * for ten years, for server authentication only.
 * @param hostname the server's name.
 * @return the certificate and key as PEM.
 * @throws std::runtime_error when OpenSSL fails.
 */
tls_pem make_self_signed_certificate(std::string_view hostname);

/**
 * Makes sure a self-signed certificate for @p hostname exists in @p directory.
 *
 * When "cert.pem" and "key.pem" are both there they are used as they are;
 * otherwise those of make_self_signed_certificate() are written atomically
 * (a temporary name, then rename), the key first and with mode 0600.
 * @param directory the folder; created when missing.
 * @param hostname the server's name.
 * @return the two files.
 * @throws std::runtime_error when OpenSSL fails, or
 *         std::filesystem::filesystem_error when the files cannot be written.
 */
tls_files ensure_self_signed_certificate(const std::filesystem::path& directory,
                                         std::string_view hostname);


}  // namespace smtpspec::reference::net

#endif  // SMTPSPEC_REFERENCE_NET_TLS_HPP
