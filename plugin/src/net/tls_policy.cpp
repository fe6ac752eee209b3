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

void apply_client_tls_policy(SSL_CTX *context) {
   SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
   SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
}

bool load_ca_file(SSL_CTX *context, const std::string &ca_file, std::string &error) {
   if (SSL_CTX_load_verify_file(context, ca_file.c_str()) == 1) return true;
   error = openssl_errors();
   return false;
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
