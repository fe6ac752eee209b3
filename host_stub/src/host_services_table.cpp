#include "host_services_table.h"

#include <cstring>
#include <iostream>

namespace rpa_host {

namespace {
HostServicesTable &self(void *host_data) { return *static_cast<HostServicesTable *>(host_data); }

const char *level_name(rpa_log_level level) {
   switch (level) {
   case RPA_LOG_DEBUG: return "debug";
   case RPA_LOG_INFO: return "info";
   case RPA_LOG_WARNING: return "warning";
   default: return "error";
   }
}
}  // namespace

HostServicesTable::HostServicesTable(SessionTable &sessions, Vault *vault, LogSink log,
                                     const std::atomic<bool> &cancelled, UrlOpener open_url)
    : sessions_(sessions),
      vault_(vault),
      open_url_(std::move(open_url)),
      log_(std::move(log)),
      cancelled_(cancelled) {
   services_.struct_size = sizeof(rpa_host_services);
   services_.host_data = this;
   services_.log = &HostServicesTable::log_thunk;
   services_.vault_get = vault_ ? &HostServicesTable::vault_get : nullptr;
   services_.session_put = &HostServicesTable::session_put;
   services_.session_get = &HostServicesTable::session_get;
   services_.session_remove = &HostServicesTable::session_remove;
   services_.is_cancelled = &HostServicesTable::is_cancelled;
   services_.vault_put = vault_ ? &HostServicesTable::vault_put : nullptr;
   services_.get_extension = &HostServicesTable::get_extension;
   browser_.open_url = &HostServicesTable::open_url_thunk;
   cancel_extension_.struct_size = sizeof(rpa_host_cancel_signal);
   cancel_extension_.subscribe = &HostServicesTable::subscribe_cancel;
   cancel_extension_.unsubscribe = &HostServicesTable::unsubscribe_cancel;
   log_level_extension_.struct_size = sizeof(rpa_host_log_level);
   log_level_extension_.lowest_kept = &HostServicesTable::lowest_kept;
}

const void *HostServicesTable::get_extension(void *host_data, const char *extension_id) {
   HostServicesTable &host = self(host_data);
   if (extension_id && std::strcmp(extension_id, RPA_EXT_BROWSER) == 0 && host.open_url_)
      return &host.browser_;
   if (extension_id && std::strcmp(extension_id, RPA_EXT_CANCEL_SIGNAL) == 0 && host.cancel_signal_.load())
      return &host.cancel_extension_;
   if (extension_id && std::strcmp(extension_id, RPA_EXT_LOG_LEVEL) == 0) return &host.log_level_extension_;
   return nullptr;
}

rpa_log_level HostServicesTable::lowest_kept(void *host_data) { return self(host_data).log_.min_level; }

std::uint64_t HostServicesTable::subscribe_cancel(void *host_data, void (*notify)(void *context),
                                                  void *context) {
   CancelSignal *signal = self(host_data).cancel_signal_.load();
   return signal ? signal->subscribe(notify, context) : 0;
}

void HostServicesTable::unsubscribe_cancel(void *host_data, std::uint64_t token) {
   if (CancelSignal *signal = self(host_data).cancel_signal_.load()) signal->unsubscribe(token);
}

rpa_status HostServicesTable::vault_put(void *host_data, const char *locker, const char *credential,
                                        const char *attribute, const char *secret, size_t secret_size) {
   try {
      HostServicesTable &host = self(host_data);
      if (!locker || !credential || !attribute || (!secret && secret_size)) return RPA_INVALID_PROPERTIES;
      if (!*locker || !*credential || !*attribute) return RPA_INVALID_PROPERTIES;
      std::lock_guard<std::mutex> lock(host.vault_mutex_);
      host.vault_->set(locker, credential, attribute,
                       rpa::SecretString(std::string_view(secret ? secret : "", secret_size)));
      return RPA_OK;
   } catch (...) {
      return RPA_INTERNAL;
   }
}

rpa_status HostServicesTable::open_url_thunk(void *host_data, const char *url) {
   try {
      if (!url || !*url) return RPA_INVALID_PROPERTIES;
      return self(host_data).open_url_(url);
   } catch (...) {
      return RPA_INTERNAL;
   }
}

void HostServicesTable::log(rpa_log_level level, const std::string &message) const {
   if (level < log_.min_level) return;
   std::lock_guard<std::mutex> lock(log_mutex_);
   if (log_.write)
      log_.write(level, message);
   else
      std::cerr << "[" << level_name(level) << "] " << message << std::endl;
}

void HostServicesTable::log_thunk(void *host_data, rpa_log_level level, const char *message) {
   try {
      self(host_data).log(level, message ? message : "");
   } catch (...) {  // logging never throws into a plugin
   }
}

rpa_status HostServicesTable::vault_get(void *host_data, const char *locker, const char *credential,
                                        const char *attribute, char *buffer, size_t buffer_size,
                                        size_t *secret_size) {
   try {
      HostServicesTable &host = self(host_data);
      if (!locker || !credential || !attribute || !secret_size) return RPA_INVALID_PROPERTIES;
      std::lock_guard<std::mutex> lock(host.vault_mutex_);
      const rpa::SecretString *secret = host.vault_->find(locker, credential, attribute);
      if (!secret) return RPA_CREDENTIAL_NOT_FOUND;
      *secret_size = secret->size();
      if (!buffer || buffer_size < secret->size()) return RPA_BUFFER_TOO_SMALL;
      if (secret->size()) std::memcpy(buffer, secret->data(), secret->size());
      return RPA_OK;
   } catch (...) {
      return RPA_INTERNAL;
   }
}

rpa_status HostServicesTable::session_put(void *host_data, const char *name,
                                          const rpa_session_handle *session) {
   try {
      if (!name) return RPA_INVALID_PROPERTIES;
      return self(host_data).sessions_.put(name, session);
   } catch (...) {
      return RPA_INTERNAL;
   }
}

rpa_status HostServicesTable::session_get(void *host_data, const char *name, const char *interface_name,
                                          unsigned min_revision, const rpa_session_handle **session) {
   try {
      if (!name) return RPA_INVALID_PROPERTIES;
      return self(host_data).sessions_.get(name, interface_name, min_revision, session);
   } catch (...) {
      return RPA_INTERNAL;
   }
}

rpa_status HostServicesTable::session_remove(void *host_data, const char *name) {
   try {
      if (!name) return RPA_INVALID_PROPERTIES;
      return self(host_data).sessions_.remove(name);
   } catch (...) {
      return RPA_INTERNAL;
   }
}

int HostServicesTable::is_cancelled(void *host_data) {
   return self(host_data).cancelled_.load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace rpa_host
