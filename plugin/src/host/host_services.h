// HostServices: the plugin's view of the host's rpa_host_services table for one call.
//
// Wraps the C table (which may be NULL or shorter than ours) and turns statuses into Failures.
// Lives only as long as the call that received the table. host/ is the only code that reads the
// raw table or asks the host for extensions (RPA_HOST_HAS, RPA_HOST_EXTENSION); the session store
// is in host/session_store.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rpa/ext/log_level.h"
#include "rpa/host.h"
#include "util/secret.h"

namespace email {

struct CredentialRef {
   std::string locker;
   std::string name;
   std::string attribute;
};

class HostServices {
 public:
   explicit HostServices(const rpa_host_services *services);

   // Whether the host keeps lines of `level`: false only when it offers "rpa.log-level/1"
   // (rpa/ext/log_level.h) and says it drops them. A line built in a loop (a trace of every line
   // a server sends) asks first, so a host that drops debug lines costs nothing.
   bool logs(rpa_log_level level) const;
   // Sends the line when the host keeps its level.
   void log(rpa_log_level level, const std::string &message) const;
   // Sends the line without asking the host's level again: for a caller whose logs(level) just
   // said true (the host is asked once per line, not twice).
   void log_asked(rpa_log_level level, const std::string &message) const;
   void debug(const std::string &message) const { log(RPA_LOG_DEBUG, message); }
   void info(const std::string &message) const { log(RPA_LOG_INFO, message); }
   void warning(const std::string &message) const { log(RPA_LOG_WARNING, message); }

   bool cancelled() const;
   // The host extension "rpa.cancel-signal/1" (rpa/ext/cancel_signal.h): `notify(context)` when
   // the host cancels. 0 when the host does not offer it (then poll cancelled()). Any thread.
   std::uint64_t subscribe_cancel(void (*notify)(void *context), void *context) const;
   void unsubscribe_cancel(std::uint64_t token) const;

   bool has_vault() const;
   bool can_store_secrets() const;

   // The secret stored at `ref`. Throws Failure(credential_not_found) naming the reference (never
   // the value), or Failure(unsupported) when the host has no vault. `field` names the property.
   SecretString vault_get(const CredentialRef &ref, const std::string &field) const;

   // Stores `secret` at `ref`. Throws Failure(unsupported) when the host has no writable vault.
   void vault_put(const CredentialRef &ref, std::string_view secret) const;
   bool can_open_url() const;
   // Asks the host to show `url` in a browser. Throws Failure(unsupported) when it cannot.
   void open_url(const std::string &url) const;

   // The table itself, to hand on to a call across the boundary (an email session function).
   const rpa_host_services *raw() const { return services_; }

 private:
   const rpa_host_services *services_;
   const rpa_host_log_level *log_level_;  // null: the host keeps every line
};

}  // namespace email
