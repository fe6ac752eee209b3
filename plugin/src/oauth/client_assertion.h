// ClientCertificate: an app registration's certificate credential, and the signed client
// assertion that proves it to the Microsoft identity platform instead of a client secret.
//
// The assertion follows Microsoft's "certificate credentials" reference (private_key_jwt of
// OpenID Connect, RFC 7523 section 2.2 as a client authentication):
//   header  {"alg":"PS256","typ":"JWT","x5t#S256":<base64url SHA-256 of the certificate's DER>}
//   claims  {"aud":<token endpoint>,"iss":<client id>,"sub":<client id>,"jti":<random GUID>,
//            "nbf":now,"iat":now,"exp":now + 10 minutes}
//   signed  RSASSA-PSS with SHA-256 (salt length 32), by OpenSSL.
// It is sent as client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and
// client_assertion=<JWT>. Entra ID takes RSA keys only, so other key types are refused here,
// before anything is sent.
//
// The credential is PEM text holding the certificate and its private key (unencrypted), in either
// order; other PEM blocks (a chain) are ignored. Parsing failures throw Failure
// (invalid_properties) naming `field` and what is wrong, never any of the text.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "util/secret.h"

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace email {

inline constexpr const char *jwt_bearer_assertion_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

class ClientCertificate {
 public:
   // Reads the certificate and key from `pem`; checks that the key is RSA, belongs to the
   // certificate, and that the certificate is within its validity period at `now`.
   ClientCertificate(std::string_view pem, const char *field,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
   ~ClientCertificate();
   ClientCertificate(const ClientCertificate &) = delete;
   ClientCertificate &operator=(const ClientCertificate &) = delete;

   // base64url SHA-256 of the certificate's DER: the `x5t#S256` header, and what Entra's app
   // registration shows (as hex) under Certificates & secrets.
   const std::string &thumbprint() const { return thumbprint_; }
   // "CN=..." of the certificate's subject, for messages.
   const std::string &subject() const { return subject_; }

   // A fresh assertion for `client_id` at the token endpoint `audience`.
   SecretString assertion(const std::string &client_id, const std::string &audience,
                          std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

 private:
   struct X509Free {
      void operator()(X509 *certificate) const;
   };
   struct KeyFree {
      void operator()(EVP_PKEY *key) const;
   };
   std::unique_ptr<X509, X509Free> certificate_;
   std::unique_ptr<EVP_PKEY, KeyFree> key_;
   std::string thumbprint_;
   std::string subject_;
};

// The PEM text named by a `client_certificate` value: the value itself when it holds a PEM block
// ("-----BEGIN"), else the contents of the file at that path (read whole; at most 1 MiB).
SecretString client_certificate_pem(SecretString value, const char *field);

}  // namespace email
