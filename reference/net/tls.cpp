// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "reference/net/tls.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

namespace smtpspec::reference::net
{

namespace
{
template <typename T, void (*Free)(T*)>
struct openssl_deleter
{
    void operator()(T* p) const noexcept { Free(p); }
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;
using bn_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, BN_free>>;
using ext_ptr
    = std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] void openssl_failure(const char* what)
{
    std::string text = std::string{"TLS certificate: "} + what;
    const unsigned long code = ERR_get_error();
    if (code != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        text += ": ";
        text += buf;
    }
    ERR_clear_error();
    throw std::runtime_error(text);
}

/// A name that can go into a subjectAltName DNS entry without quoting.
bool plain_dns_name(std::string_view name)
{
    return !name.empty() && name.size() <= 253 && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.';
    });
}

/// The IP address inside an address literal ("[192.0.2.1]",
/// "[IPv6:2001:db8::1]", 4.1.3), or "" for anything else.
std::string literal_address(std::string_view name)
{
    if (name.size() < 3 || name.front() != '[' || name.back() != ']') {
        return {};
    }
    std::string inner{name.substr(1, name.size() - 2)};
    const bool v6 = inner.size() > 5 && (inner.compare(0, 5, "IPv6:") == 0
                                         || inner.compare(0, 5, "ipv6:") == 0);
    if (v6) {
        inner.erase(0, 5);
    }
    unsigned char raw[16];
    return ::inet_pton(v6 ? AF_INET6 : AF_INET, inner.c_str(), raw) == 1 ? inner : std::string{};
}

void add_extension(X509* cert, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    const ext_ptr ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())};
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
        openssl_failure("cannot add an extension");
    }
}

std::string pem_of(const std::function<int(BIO*)>& write)
{
    const bio_ptr bio{BIO_new(BIO_s_mem())};
    if (!bio || write(bio.get()) != 1) {
        openssl_failure("cannot encode PEM");
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

/// Writes a file under a temporary name with @p mode, syncs it, renames it.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes,
                           mode_t mode)
{
    const auto tmp = std::filesystem::path{path.string() + ".tmp"};
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        throw std::filesystem::filesystem_error("cannot create", tmp,
                                                std::error_code{errno, std::generic_category()});
    }
    std::string_view rest{bytes};
    bool ok = true;
    while (ok && !rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        if (ok) {
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    const int saved = errno;
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        throw std::filesystem::filesystem_error("cannot write", tmp,
                                                std::error_code{saved, std::generic_category()});
    }
    std::filesystem::rename(tmp, path);
}

}  // namespace

tls_pem make_self_signed_certificate(std::string_view hostname)
{
    const pkey_ptr key{EVP_EC_gen("P-256")};
    if (!key) {
        openssl_failure("cannot generate an EC P-256 key");
    }
    const x509_ptr cert{X509_new()};
    if (!cert || X509_set_version(cert.get(), 2) != 1) {
        openssl_failure("cannot make a certificate");
    }
    // A random positive 63-bit serial number.
    unsigned char raw[8];
    if (RAND_bytes(raw, sizeof raw) != 1) {
        openssl_failure("no random bytes for the serial number");
    }
    raw[0] &= 0x7f;
    const bn_ptr serial{BN_bin2bn(raw, sizeof raw, nullptr)};
    if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        openssl_failure("cannot set the serial number");
    }
    constexpr long ten_years = 10L * 365 * 24 * 60 * 60;
    if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) == nullptr
        || X509_gmtime_adj(X509_getm_notAfter(cert.get()), ten_years) == nullptr) {
        openssl_failure("cannot set the validity period");
    }
    const std::string cn{hostname.substr(0, 64)};  // X.520 ub-common-name is 64.
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                   0) != 1
        || X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
        openssl_failure("cannot set the names");
    }
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
    if (plain_dns_name(hostname)) {
        add_extension(cert.get(), NID_subject_alt_name, "DNS:" + std::string{hostname});
    } else if (const std::string ip = literal_address(hostname); !ip.empty()) {
        // A server named by an address literal: clients check the IP entry.
        add_extension(cert.get(), NID_subject_alt_name, "IP:" + ip);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        openssl_failure("cannot sign the certificate");
    }

    tls_pem pem;
    pem.private_key = pem_of([&](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    pem.certificate = pem_of([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
    return pem;
}

tls_files ensure_self_signed_certificate(const std::filesystem::path& directory,
                                         std::string_view hostname)
{
    std::filesystem::create_directories(directory);
    const tls_files files{directory / "cert.pem", directory / "key.pem"};
    if (std::filesystem::exists(files.certificate) && std::filesystem::exists(files.private_key)) {
        return files;
    }
    const tls_pem pem = make_self_signed_certificate(hostname);
    // The key first: a certificate on disk always has its key.
    write_file_atomically(files.private_key, pem.private_key, 0600);
    write_file_atomically(files.certificate, pem.certificate, 0644);
    return files;
}

}  // namespace smtpspec::reference::net
