// SessionTable: the host's store of sessions by name, shared with every plugin through the
// session_put/get/remove host services. Holds one reference per stored handle. [thread-safe]
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rpa/host.h"

namespace rpa_host {

class SessionTable {
 public:
   SessionTable() = default;
   SessionTable(const SessionTable &) = delete;
   SessionTable &operator=(const SessionTable &) = delete;
   ~SessionTable() { clear(); }

   rpa_status put(const std::string &name, const rpa_session_handle *session);
   rpa_status get(const std::string &name, const char *interface_name, unsigned min_revision,
                  const rpa_session_handle **session) const;
   rpa_status remove(const std::string &name);
   std::vector<std::string> names() const;
   // Releases every session (sessions still open log out). Call before plugins are deinited.
   void clear();

 private:
   mutable std::mutex mutex_;
   std::map<std::string, const rpa_session_handle *> sessions_;
};

}  // namespace rpa_host
