// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT
// The self-signed certificate the server makes when none is configured:
// its subjectAltName names the server as clients will check it.

#include "reference/net/tls.hpp"

#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace smtpspec::reference::net
{
namespace
{

/// The subjectAltName of a PEM certificate as OpenSSL prints it.
std::string subject_alt_name(const std::string& pem)
{
    const std::unique_ptr<BIO, decltype(&BIO_free)> in{
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free};
    const std::unique_ptr<X509, decltype(&X509_free)> cert{
        PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr), X509_free};
    if (!cert) {
        return "unreadable";
    }
    const int at = X509_get_ext_by_NID(cert.get(), NID_subject_alt_name, -1);
    if (at < 0) {
        return "none";
    }
    const std::unique_ptr<BIO, decltype(&BIO_free)> out{BIO_new(BIO_s_mem()), BIO_free};
    X509V3_EXT_print(out.get(), X509_get_ext(cert.get(), at), 0, 0);
    char* text = nullptr;
    const long n = BIO_get_mem_data(out.get(), &text);
    return std::string(text, static_cast<std::size_t>(n));
}

// spec: rfc3207/4 test
TEST(tls_certificate, subject_alt_name_names_the_server)
{
    EXPECT_EQ(subject_alt_name(make_self_signed_certificate("mx.example.org").certificate),
              "DNS:mx.example.org");
    EXPECT_EQ(subject_alt_name(make_self_signed_certificate("[127.0.0.1]").certificate),
              "IP Address:127.0.0.1");
    EXPECT_EQ(subject_alt_name(make_self_signed_certificate("[IPv6:::1]").certificate),
              "IP Address:0:0:0:0:0:0:0:1");
    // Neither a DNS name nor an address: no entry rather than a wrong one.
    EXPECT_EQ(subject_alt_name(make_self_signed_certificate("[IPv6:nonsense]").certificate),
              "none");
}

}  // namespace
}  // namespace smtpspec::reference::net
