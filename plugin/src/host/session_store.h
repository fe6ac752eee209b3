// The host's session store seen from the plugin: a scoped reference and name lookups that turn
// statuses into Failures with messages a bot designer understands.
#pragma once

#include <string>

#include "host/host_services.h"
#include "rpa/ext/email_session.h"

namespace email {

// Owns one reference to a session handle; releases it when destroyed.
class SessionReference {
 public:
   SessionReference() = default;
   explicit SessionReference(const rpa_session_handle *handle) : handle_(handle) {}
   SessionReference(SessionReference &&other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
   SessionReference(const SessionReference &) = delete;
   SessionReference &operator=(const SessionReference &) = delete;
   ~SessionReference() {
      if (handle_) handle_->release(handle_);
   }
   const rpa_session_handle *get() const { return handle_; }
   const rpa_email_session *email() const { return reinterpret_cast<const rpa_email_session *>(handle_); }

 private:
   const rpa_session_handle *handle_ = nullptr;
};

// Throws Failure(session_name_in_use) when `name` already holds a session.
void require_free_session_name(const HostServices &host, const std::string &name);
// Stores `session` (the store takes its own reference). Throws on a taken name.
void put_session(const HostServices &host, const std::string &name, const rpa_session_handle *session);
// The email session under `name`. Throws Failure(session_not_found) or (unsupported).
SessionReference get_email_session(const HostServices &host, const std::string &name);
void remove_session(const HostServices &host, const std::string &name);

}  // namespace email
