// TestHost: the reference host's real parts (Boost.DLL loader, session table, encrypted vault,
// host services) assembled in-process for tests, with every log line captured so a test can
// assert that no secret ever reached a log.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "action_invoker.h"
#include "headless_browser.h"
#include "host_services_table.h"
#include "plugin_registry.h"
#include "session_table.h"
#include "vault.h"

namespace test {

class TestHost {
 public:
   // Loads <build>/plugins and <build>/plugins-test. `with_vault`: give plugins a vault service.
   // `vault_path`: use (and keep) that vault file, so two hosts can share a vault like two bot
   // runners; "" makes a temporary one. The host's open_url sends the HeadlessBrowser.
   explicit TestHost(bool with_vault = true, const std::string &vault_path = "");
   ~TestHost();

   // Runs "Package.Name" with the property bag `json`. FAILs the test if no such action.
   rpa_host::ActionOutcome run(const std::string &action, const std::string &json);

   rpa_host::Vault &vault() { return *vault_; }
   rpa_host::SessionTable &sessions() { return sessions_; }
   const rpa_host_services *services() const { return services_->services(); }
   // The host cancels the running action (as a bot runner's Stop does): is_cancelled turns true
   // and plugins that subscribed to "rpa.cancel-signal/1" are told at once. cancel(false) ends it.
   void cancel(bool on = true) { on ? cancel_signal_.cancel() : cancel_signal_.reset(); }
   bool cancelled() const { return cancelled_; }
   // Whether the host offers "rpa.cancel-signal/1" (it does unless told otherwise; a host that
   // does not is polled). Between calls only.
   void offer_cancel_signal(bool offer) { services_->offer_cancel_signal(offer ? &cancel_signal_ : nullptr); }
   HeadlessBrowser &browser() { return browser_; }
   // Changes the redirect the browser follows (tamper tests); empty: follow it as given.
   void rewrite_redirects(std::function<std::string(std::string)> rewrite) { rewrite_ = std::move(rewrite); }

   std::vector<std::string> logs() const;
   bool logged(const std::string &fragment) const;

 private:
   rpa_host::PluginRegistry plugins_;  // destroyed last
   std::string vault_path_;
   bool own_vault_file_ = false;
   std::function<std::string(std::string)> rewrite_;
   std::unique_ptr<rpa_host::Vault> vault_;
   std::atomic<bool> cancelled_{false};
   rpa_host::CancelSignal cancel_signal_{cancelled_};
   rpa_host::SessionTable sessions_;
   std::unique_ptr<rpa_host::HostServicesTable> services_;
   mutable std::mutex logs_mutex_;
   std::vector<std::string> logs_;
   HeadlessBrowser browser_;  // destroyed first: joins its visits
};

}  // namespace test
