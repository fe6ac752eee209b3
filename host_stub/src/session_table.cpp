#include "session_table.h"

#include "rpa_common/names.h"

namespace rpa_host {

rpa_status SessionTable::put(const std::string &name, const rpa_session_handle *session) {
   if (!session || !session->retain || !session->release) return RPA_INTERNAL;
   if (!rpa::is_clean_name(name)) return RPA_INVALID_PROPERTIES;  // no forged log lines
   std::lock_guard<std::mutex> lock(mutex_);
   if (sessions_.count(name)) return RPA_SESSION_NAME_IN_USE;
   session->retain(session);
   sessions_.emplace(name, session);
   return RPA_OK;
}

rpa_status SessionTable::get(const std::string &name, const char *interface_name, unsigned min_revision,
                             const rpa_session_handle **session) const {
   if (session) *session = nullptr;
   std::lock_guard<std::mutex> lock(mutex_);
   auto found = sessions_.find(name);
   if (found == sessions_.end()) return RPA_SESSION_NOT_FOUND;
   const rpa_session_handle *handle = found->second;
   if (rpa_interface_id_matches(handle->interface_id, interface_name, min_revision)) {
      if (!session) return RPA_OK;
      handle->retain(handle);
      *session = handle;
      return RPA_OK;
   }
   // Another interface of the same object (ABI 2.2); it comes with a reference taken.
   if (!interface_name || !RPA_SESSION_HAS(handle, query_interface)) return RPA_UNSUPPORTED;
   const rpa_session_handle *other = handle->query_interface(handle, interface_name, min_revision);
   if (!other) return RPA_UNSUPPORTED;
   if (session)
      *session = other;
   else
      other->release(other);
   return RPA_OK;
}

rpa_status SessionTable::remove(const std::string &name) {
   const rpa_session_handle *session = nullptr;
   {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = sessions_.find(name);
      if (found == sessions_.end()) return RPA_SESSION_NOT_FOUND;
      session = found->second;
      sessions_.erase(found);
   }
   session->release(session);  // outside the lock: the last release may log out
   return RPA_OK;
}

std::vector<std::string> SessionTable::names() const {
   std::lock_guard<std::mutex> lock(mutex_);
   std::vector<std::string> names;
   for (const auto &entry : sessions_) names.push_back(entry.first);
   return names;
}

void SessionTable::clear() {
   std::map<std::string, const rpa_session_handle *> sessions;
   {
      std::lock_guard<std::mutex> lock(mutex_);
      sessions.swap(sessions_);
   }
   for (auto &entry : sessions) entry.second->release(entry.second);
}

}  // namespace rpa_host
