// The certificate credential (oauth/client_assertion.h): the assertion's header, claims and PS256
// signature as Microsoft's "certificate credentials" reference describes them, checked here with
// OpenSSL's verifier; and every way a certificate credential can be wrong, named before anything
// is sent. Certificates are made in memory by OpenSSL for each case.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "oauth/client_assertion.h"
#include "oauth/pkce.h"
#include "util/failure.h"
#include "util/sha256.h"

using namespace email;

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;

Key rsa_key() { return Key(EVP_RSA_gen(2048), EVP_PKEY_free); }
Key ec_key() { return Key(EVP_EC_gen("P-256"), EVP_PKEY_free); }

// A self-signed certificate for `key`, valid from now for `days`.
Certificate self_signed(EVP_PKEY *key, long days = 2) {
   Certificate certificate(X509_new(), X509_free);
   X509_set_version(certificate.get(), 2);
   ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 7);
   X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
   X509_gmtime_adj(X509_getm_notAfter(certificate.get()), days * 24 * 3600);
   X509_set_pubkey(certificate.get(), key);
   X509_NAME *name = X509_get_subject_name(certificate.get());
   X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("Mail robot"),
                              -1, -1, 0);
   X509_set_issuer_name(certificate.get(), name);
   REQUIRE(X509_sign(certificate.get(), key, EVP_sha256()) > 0);
   return certificate;
}

std::string pem_of(X509 *certificate) {
   BIO *bio = BIO_new(BIO_s_mem());
   PEM_write_bio_X509(bio, certificate);
   char *data = nullptr;
   const long size = BIO_get_mem_data(bio, &data);
   std::string text(data, static_cast<std::size_t>(size));
   BIO_free(bio);
   return text;
}

std::string pem_of(EVP_PKEY *key, const char *passphrase = nullptr) {
   BIO *bio = BIO_new(BIO_s_mem());
   if (passphrase)
      PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                    const_cast<char *>(passphrase));
   else
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
   char *data = nullptr;
   const long size = BIO_get_mem_data(bio, &data);
   std::string text(data, static_cast<std::size_t>(size));
   BIO_free(bio);
   return text;
}

std::string base64url_decode(std::string text) {
   for (char &c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
   while (text.size() % 4) text += '=';
   std::optional<SecretString> bytes = base64_decode(text);
   REQUIRE(bytes);
   return std::string(bytes->view());
}

Failure failure_of(const std::string &pem,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
   try {
      ClientCertificate certificate(pem, "client_certificate", now);
   } catch (const Failure &failure) {
      return failure;
   }
   FAIL("the certificate credential was accepted");
   return Failure(RPA_OK, "");
}

bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}

}  // namespace

TEST_SUITE("oauth") {

TEST_CASE(
    "the client assertion has Microsoft's header and claims and a PS256 signature the certificate verifies") {
   Key key = rsa_key();
   Certificate certificate = self_signed(key.get());
   // Key first, then the certificate, then a chain certificate: the order does not matter.
   const std::string pem = pem_of(key.get()) + pem_of(certificate.get()) + pem_of(certificate.get());
   const ClientCertificate credential(pem, "client_certificate");
   const std::string audience = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
   const auto now = std::chrono::system_clock::now();
   const SecretString assertion = credential.assertion("client-1", audience, now);

   const std::string text(assertion.view());
   const std::size_t first = text.find('.'), second = text.find('.', first + 1);
   REQUIRE(second != std::string::npos);
   rapidjson::Document header, claims;
   header.Parse(base64url_decode(text.substr(0, first)).c_str());
   claims.Parse(base64url_decode(text.substr(first + 1, second - first - 1)).c_str());
   REQUIRE(header.IsObject());
   REQUIRE(claims.IsObject());
   CHECK(std::string(header["alg"].GetString()) == "PS256");
   CHECK(std::string(header["typ"].GetString()) == "JWT");
   unsigned char *der = nullptr;
   const int der_size = i2d_X509(certificate.get(), &der);
   const std::string expected_thumbprint = base64url(
       sha256({std::string_view(reinterpret_cast<char *>(der), static_cast<std::size_t>(der_size))}));
   OPENSSL_free(der);
   CHECK(std::string(header["x5t#S256"].GetString()) == expected_thumbprint);
   CHECK(credential.thumbprint() == expected_thumbprint);
   CHECK(credential.subject() == "CN=Mail robot");

   CHECK(std::string(claims["aud"].GetString()) == audience);
   CHECK(std::string(claims["iss"].GetString()) == "client-1");
   CHECK(std::string(claims["sub"].GetString()) == "client-1");
   CHECK(std::string(claims["jti"].GetString()).size() == 36);
   const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
   CHECK(claims["nbf"].GetInt64() == seconds);
   CHECK(claims["iat"].GetInt64() == seconds);
   CHECK(claims["exp"].GetInt64() == seconds + 600);

   const std::string signing_input = text.substr(0, second);
   const std::string signature = base64url_decode(text.substr(second + 1));
   std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> verify(EVP_MD_CTX_new(), EVP_MD_CTX_free);
   EVP_PKEY_CTX *key_context = nullptr;
   REQUIRE(EVP_DigestVerifyInit(verify.get(), &key_context, EVP_sha256(), nullptr,
                                X509_get0_pubkey(certificate.get())) == 1);
   REQUIRE(EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1);
   REQUIRE(EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1);
   CHECK(EVP_DigestVerify(verify.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char *>(signing_input.data()),
                          signing_input.size()) == 1);

   // Every assertion is new: another jti.
   const std::string again(credential.assertion("client-1", audience, now).view());
   CHECK(again != text);
}

TEST_CASE("a certificate credential that cannot work is named before anything is sent") {
   Key key = rsa_key();
   Certificate certificate = self_signed(key.get());
   const std::string certificate_pem = pem_of(certificate.get());

   Failure no_key = failure_of(certificate_pem);
   CHECK(no_key.status() == RPA_INVALID_PROPERTIES);
   CHECK(has(no_key.what(), "client_certificate: holds no PEM private key"));

   Failure no_certificate = failure_of(pem_of(key.get()));
   CHECK(has(no_certificate.what(), "client_certificate: holds no PEM certificate"));
   CHECK(has(failure_of("not PEM at all").what(), "holds no PEM certificate"));

   Failure encrypted = failure_of(certificate_pem + pem_of(key.get(), "passphrase"));
   CHECK(has(encrypted.what(), "the private key is encrypted with a passphrase"));

   Key other = rsa_key();
   Failure mismatch = failure_of(certificate_pem + pem_of(other.get()));
   CHECK(has(mismatch.what(), "the private key does not belong to certificate \"CN=Mail robot\""));

   Key ec = ec_key();
   Certificate ec_certificate = self_signed(ec.get());
   Failure not_rsa = failure_of(pem_of(ec_certificate.get()) + pem_of(ec.get()));
   CHECK(has(not_rsa.what(), "is not RSA; Microsoft Entra ID signs in apps with RSA certificates only"));

   const std::string good = certificate_pem + pem_of(key.get());
   Failure expired = failure_of(good, std::chrono::system_clock::now() + std::chrono::hours(24 * 3));
   CHECK(expired.status() == RPA_AUTHENTICATION_FAILED);
   CHECK(has(expired.what(), "certificate \"CN=Mail robot\" expired on "));
   Failure early = failure_of(good, std::chrono::system_clock::now() - std::chrono::hours(24));
   CHECK(has(early.what(), "is not valid before"));

   for (const Failure *failure : {&no_key, &encrypted, &mismatch, &not_rsa, &expired})
      CHECK_MESSAGE(!has(failure->what(), "MII"), failure->what());  // never the PEM text (base64 DER)
}

TEST_CASE("client_certificate takes the PEM text itself or a file's path") {
   CHECK(std::string(
             client_certificate_pem(SecretString("-----BEGIN CERTIFICATE-----\nAA\n"), "client_certificate")
                 .view())
             .find("BEGIN") == 5);
   try {
      client_certificate_pem(SecretString("/nonexistent/app.pem"), "client_certificate");
      FAIL("a missing file was accepted");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_INVALID_PROPERTIES);
      CHECK(has(failure.what(),
                "client_certificate: cannot open the certificate file \"/nonexistent/app.pem\""));
   }
}

}  // TEST_SUITE("oauth")
