// Failure: the one exception type inside the plugin. It carries an ABI status code and a message
// written for a bot designer. The entry point turns it into (status, message); nothing else
// escapes. Messages never contain secrets: build them from names, hosts and server replies that
// went through redact().
#pragma once

#include <stdexcept>
#include <string>

#include "rpa/status.h"

namespace email {

class Failure : public std::runtime_error {
 public:
   Failure(rpa_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
   rpa_status status() const { return status_; }

 private:
   rpa_status status_;
};

// A server refused an OAuth2 access token itself (a failed OAuth2 SASL exchange, an HTTP 401 to
// a Bearer token): authentication_failed that oauth/token_refresh.h retries once with a fresh
// token. Other authentication failures (a mailbox the account may not open) are plain Failures.
class TokenRefused : public Failure {
 public:
   explicit TokenRefused(const std::string &message) : Failure(RPA_AUTHENTICATION_FAILED, message) {}
};

}  // namespace email
