#include "oauth/client_assertion.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>
#include <ctime>

#include "oauth/pkce.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/json_writer.h"
#include "util/sha256.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t max_pem_size = 1 << 20;
constexpr long long assertion_lifetime_seconds = 600;  // Microsoft: "5-10 minutes after nbf"

struct BioFree {
   void operator()(BIO *bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

Bio memory_bio(std::string_view pem) {
   Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
   if (!bio) throw Failure(RPA_INTERNAL, "OpenSSL could not allocate a memory BIO");
   return bio;
}

// OpenSSL's default passphrase callback prompts on the terminal: inside a bot runner that would
// hang. This one refuses and notes that a passphrase was wanted.
int refuse_passphrase(char *, int, int, void *asked) {
   *static_cast<bool *>(asked) = true;
   return -1;
}

[[noreturn]] void invalid(const char *field, const std::string &what) {
   ERR_clear_error();
   throw Failure(RPA_INVALID_PROPERTIES, std::string("invalid properties: ") + field + ": " + what);
}

std::string subject_of(X509 *certificate) {
   char name[256] = {};
   X509_NAME_oneline(X509_get_subject_name(certificate), name, sizeof name);
   std::string text = name;
   if (!text.empty() && text.front() == '/') text.erase(0, 1);
   return printable(text, 200);
}

std::string time_text(const ASN1_TIME *time) {
   struct tm parts = {};
   if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
   char text[32];
   std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
   return text;
}

// A random (version 4) GUID, Entra's shape for `jti`.
std::string random_guid() {
   unsigned char bytes[16];
   if (RAND_bytes(bytes, sizeof bytes) != 1)
      throw Failure(RPA_INTERNAL, "the random number generator failed");
   bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
   bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
   static const char hex[] = "0123456789abcdef";
   std::string text;
   for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
      text += hex[bytes[i] >> 4];
      text += hex[bytes[i] & 0x0f];
   }
   return text;
}

}  // namespace

void ClientCertificate::X509Free::operator()(X509 *certificate) const { X509_free(certificate); }
void ClientCertificate::KeyFree::operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }

ClientCertificate::ClientCertificate(std::string_view pem, const char *field,
                                     std::chrono::system_clock::time_point now) {
   if (pem.size() > max_pem_size) invalid(field, "is larger than 1 MiB; expected a PEM certificate and key");
   bool passphrase_asked = false;
   certificate_.reset(
       PEM_read_bio_X509(memory_bio(pem).get(), nullptr, refuse_passphrase, &passphrase_asked));
   if (!certificate_)
      invalid(field,
              "holds no PEM certificate (-----BEGIN CERTIFICATE-----); expected the app's certificate "
              "and its private key in PEM");
   key_.reset(PEM_read_bio_PrivateKey(memory_bio(pem).get(), nullptr, refuse_passphrase, &passphrase_asked));
   if (!key_)
      invalid(field, passphrase_asked
                         ? "the private key is encrypted with a passphrase; store it unencrypted in the "
                           "Credential Vault (e.g. `openssl pkey -in key.pem -out plain.pem`)"
                         : "holds no PEM private key; expected the app's "
                           "certificate and its private key in PEM");
   subject_ = subject_of(certificate_.get());
   const int type = EVP_PKEY_get_base_id(key_.get());
   if (type != EVP_PKEY_RSA && type != EVP_PKEY_RSA_PSS)
      invalid(field, "the key of certificate \"" + subject_ +
                         "\" is not RSA; Microsoft Entra ID signs in apps with RSA certificates only");
   if (X509_check_private_key(certificate_.get(), key_.get()) != 1)
      invalid(field, "the private key does not belong to certificate \"" + subject_ + "\"");

   const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
   if (X509_cmp_time(X509_get0_notAfter(certificate_.get()), const_cast<std::time_t *>(&seconds)) < 0) {
      ERR_clear_error();
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    std::string(field) + ": certificate \"" + subject_ + "\" expired on " +
                        time_text(X509_get0_notAfter(certificate_.get())) +
                        "; upload a new certificate to the app registration and give it here");
   }
   if (X509_cmp_time(X509_get0_notBefore(certificate_.get()), const_cast<std::time_t *>(&seconds)) > 0) {
      ERR_clear_error();
      throw Failure(RPA_AUTHENTICATION_FAILED, std::string(field) + ": certificate \"" + subject_ +
                                                   "\" is not valid before " +
                                                   time_text(X509_get0_notBefore(certificate_.get())) +
                                                   " (is this machine's clock right?)");
   }

   unsigned char *der = nullptr;
   const int der_size = i2d_X509(certificate_.get(), &der);
   if (der_size <= 0) invalid(field, "the certificate cannot be encoded (DER)");
   thumbprint_ = base64url(sha256({std::string_view(reinterpret_cast<char *>(der), der_size)}));
   OPENSSL_free(der);
}

ClientCertificate::~ClientCertificate() = default;

SecretString ClientCertificate::assertion(const std::string &client_id, const std::string &audience,
                                          std::chrono::system_clock::time_point now) const {
   const auto issued = static_cast<std::uint64_t>(
       std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
   JsonWriter header;
   header.string("alg", "PS256").string("typ", "JWT").string("x5t#S256", thumbprint_);
   JsonWriter claims;
   claims.string("aud", audience)
       .string("iss", client_id)
       .string("sub", client_id)
       .string("jti", random_guid())
       .number("nbf", issued)
       .number("iat", issued)
       .number("exp", issued + assertion_lifetime_seconds);
   const std::string signing_input = base64url(header.finish()) + "." + base64url(claims.finish());

   std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
   EVP_PKEY_CTX *key_context = nullptr;  // owned by `context`
   std::size_t signature_size = 0;
   std::string signature;
   const bool signed_ok =
       context && EVP_DigestSignInit(context.get(), &key_context, EVP_sha256(), nullptr, key_.get()) == 1 &&
       EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
       EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1 &&
       EVP_DigestSign(context.get(), nullptr, &signature_size,
                      reinterpret_cast<const unsigned char *>(signing_input.data()),
                      signing_input.size()) == 1 &&
       (signature.resize(signature_size), true) &&
       EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &signature_size,
                      reinterpret_cast<const unsigned char *>(signing_input.data()),
                      signing_input.size()) == 1;
   if (!signed_ok) {
      ERR_clear_error();
      throw Failure(RPA_INTERNAL, "OpenSSL could not sign the client assertion with certificate \"" +
                                      subject_ + "\"'s key");
   }
   signature.resize(signature_size);
   return SecretString(signing_input + "." + base64url(signature));
}

SecretString client_certificate_pem(SecretString value, const char *field) {
   if (value.view().find("-----BEGIN") != std::string_view::npos) return value;
   const std::string path(value.view());
   std::string error;
   std::FILE *file = open_file_for_reading(path, error);
   if (!file)
      invalid(field, "cannot open the certificate file \"" + printable(path, 200) + "\" (" + error +
                         "); give a PEM file's path or the PEM text itself");
   SecretString pem;
   pem.reserve(max_pem_size + 1);
   char chunk[4096];
   std::size_t got = 0;
   while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0 && pem.size() + got <= max_pem_size)
      pem.append(std::string_view(chunk, got));
   const bool too_large = got > 0;
   std::fclose(file);
   OPENSSL_cleanse(chunk, sizeof chunk);
   if (too_large) invalid(field, "the file \"" + printable(path, 200) + "\" is larger than 1 MiB");
   return pem;
}

}  // namespace email
