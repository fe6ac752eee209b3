#include "net/tls_policy.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "net/resolver.h"

namespace email {

std::string openssl_errors() {
   std::string text;
   while (unsigned long code = ERR_get_error()) {
      char buffer[256];
      ERR_error_string_n(code, buffer, sizeof buffer);
      if (!text.empty()) text += "; ";
      text += buffer;
   }
   return text;
}

bool apply_client_tls_policy(SSL_CTX *context, const TlsSettings &settings, std::string &error) {
   SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
   SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
   bool loaded;
   if (!settings.ca_file.empty()) {
      SSL_CTX_set_cert_store(context, X509_STORE_new());  // ca_file replaces the system store
      loaded = SSL_CTX_load_verify_locations(context, settings.ca_file.c_str(), nullptr) == 1;
   } else {
      loaded = SSL_CTX_set_default_verify_paths(context) == 1;
   }
   if (!loaded) error = openssl_errors();
   return loaded;
}

void apply_peer_name_check(SSL *ssl, const std::string &host) {
   if (is_ip_literal(host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
      return;
   }
   SSL_set_tlsext_host_name(ssl, host.c_str());
   SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
   SSL_set1_host(ssl, host.c_str());
}

}  // namespace email
