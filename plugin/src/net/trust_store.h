// trust_store: the one place where the operating system's certificate trust differs.
//  - Linux: OpenSSL's default CA directory (hashed entries, looked up on demand) or bundle file, as
//    SSL_CERT_DIR / SSL_CERT_FILE say.
//  - Windows: the certificates of the current user's and the machine's ROOT and CA stores (what
//    Windows itself trusts, and what an administrator deploys by group policy), copied into
//    OpenSSL's store, as curl's CURLSSLOPT_NATIVE_CA does.
// `ca_file` (a PEM file the bot names) works the same on both and is not this file's concern.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace email {

// Loads the system's trusted CAs into `ctx`; false (OpenSSL's error queue says why) when none load.
bool load_system_trust(SSL_CTX *ctx);

// "<modification time>:<size>" of the file at `path` (UTF-8), or "missing": a CA file's store is
// kept under its path and this stamp, so an edited file is read again.
std::string file_stamp(const std::string &path);

}  // namespace email
