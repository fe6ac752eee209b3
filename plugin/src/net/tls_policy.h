// The client TLS policy, in one place, for every connection the plugin opens: the IMAP and POP3
// sockets (net/transport.h) and HTTPS through cpprestsdk (http/https_client.h).
//
//  - TLS 1.2 or later;
//  - the peer's certificate chain verified against `ca_file` alone when one is given, else the
//    system trust store (OpenSSL's default locations, which SSL_CERT_FILE / SSL_CERT_DIR override;
//    the shared contexts of net/tls_client_context.h hold both kinds);
//  - the certificate checked against the host name (no partial wildcards), or against the address
//    when the host is an IP literal; SNI sent for names.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "net/tls_settings.h"

namespace email {

// Applies the version floor and peer verification to a client context.
void apply_client_tls_policy(SSL_CTX *context);

// Loads `ca_file` into a fresh context, whose store is empty: the file is its only trust. Returns false, with what OpenSSL said in
// `error`, when the file cannot be read or holds no certificate. (The system store: see
// net/tls_client_context.h, which loads it lazily.)
bool load_ca_file(SSL_CTX *context, const std::string &ca_file, std::string &error);

// Sets SNI and the certificate name (or IP address) check on one connection to `host`.
void apply_peer_name_check(SSL *ssl, const std::string &host);

// OpenSSL's queued errors as one line (and clears the queue).
std::string openssl_errors();

}  // namespace email
