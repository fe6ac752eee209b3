// HostServicesTable: the rpa_host_services a plugin receives from rpa-host: logging to stderr,
// the Credential Vault (absent when no --vault was given; vault_put saves the file at once, so
// another process sharing it sees the change), the session table, cancellation, the
// "rpa.browser/1" extension (absent when no UrlOpener is given), the "rpa.cancel-signal/1"
// extension (absent until offer_cancel_signal) and the "rpa.log-level/1" extension (the LogSink's
// min_level, so plugins do not build the lines it drops).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "cancel_signal.h"
#include "rpa/ext/browser.h"
#include "rpa/ext/cancel_signal.h"
#include "rpa/ext/log_level.h"
#include "rpa/host.h"
#include "session_table.h"
#include "vault.h"

namespace rpa_host {

// Where log lines go; the default writes "[level] message" to stderr from min_level up.
struct LogSink {
   rpa_log_level min_level = RPA_LOG_INFO;
   std::function<void(rpa_log_level, const std::string &)> write;  // empty: stderr
};

// Shows a sign-in URL to the user; returns RPA_OK once the browser was asked to open it.
using UrlOpener = std::function<rpa_status(const std::string &url)>;

class HostServicesTable {
 public:
   // `vault` may be null (then vault_get and vault_put are absent from the table). `cancelled`
   // is polled by plugins; the host sets it (Ctrl-C). `open_url` may be empty (then the browser
   // extension is absent). All references must outlive the table.
   HostServicesTable(SessionTable &sessions, Vault *vault, LogSink log, const std::atomic<bool> &cancelled,
                     UrlOpener open_url = {});
   HostServicesTable(const HostServicesTable &) = delete;
   HostServicesTable &operator=(const HostServicesTable &) = delete;

   const rpa_host_services *services() const { return &services_; }
   // Offers "rpa.cancel-signal/1" through `signal` (which must raise the same flag the table
   // reads, and outlive it); nullptr withdraws it, for plugins asked from then on.
   void offer_cancel_signal(CancelSignal *signal) { cancel_signal_ = signal; }
   void log(rpa_log_level level, const std::string &message) const;

 private:
   static void log_thunk(void *host_data, rpa_log_level level, const char *message);
   static rpa_status vault_get(void *host_data, const char *locker, const char *credential,
                               const char *attribute, char *buffer, size_t buffer_size, size_t *secret_size);
   static rpa_status session_put(void *host_data, const char *name, const rpa_session_handle *session);
   static rpa_status session_get(void *host_data, const char *name, const char *interface_name,
                                 unsigned min_revision, const rpa_session_handle **session);
   static rpa_status session_remove(void *host_data, const char *name);
   static int is_cancelled(void *host_data);
   static rpa_status vault_put(void *host_data, const char *locker, const char *credential,
                               const char *attribute, const char *secret, size_t secret_size);
   static rpa_status open_url_thunk(void *host_data, const char *url);
   static const void *get_extension(void *host_data, const char *extension_id);
   static std::uint64_t subscribe_cancel(void *host_data, void (*notify)(void *context), void *context);
   static void unsubscribe_cancel(void *host_data, std::uint64_t token);
   static rpa_log_level lowest_kept(void *host_data);

   SessionTable &sessions_;
   Vault *vault_;
   mutable std::mutex vault_mutex_;  // plugins may read and write from several threads
   UrlOpener open_url_;
   LogSink log_;
   mutable std::mutex log_mutex_;
   const std::atomic<bool> &cancelled_;
   rpa_host_browser browser_{};
   std::atomic<CancelSignal *> cancel_signal_{nullptr};
   rpa_host_cancel_signal cancel_extension_{};
   rpa_host_log_level log_level_extension_{};
   rpa_host_services services_{};
};

}  // namespace rpa_host
