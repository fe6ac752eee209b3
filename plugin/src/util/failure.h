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
   Failure(rpa_status status, const std::string &message)
       : std::runtime_error(message), status_(status) {}
   rpa_status status() const { return status_; }

 private:
   rpa_status status_;
};

}  // namespace email
