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
#include "host_services_table.h"
#include "plugin_registry.h"
#include "session_table.h"
#include "vault.h"

namespace test {

class TestHost {
 public:
   // Loads <build>/plugins and <build>/plugins-test. `with_vault`: give plugins a vault service.
   explicit TestHost(bool with_vault = true);
   ~TestHost();

   // Runs "Package.Name" with the property bag `json`. FAILs the test if no such action.
   rpa_host::ActionOutcome run(const std::string &action, const std::string &json);

   rpa_host::Vault &vault() { return *vault_; }
   rpa_host::SessionTable &sessions() { return sessions_; }
   const rpa_host_services *services() const { return services_->services(); }
   std::atomic<bool> &cancelled() { return cancelled_; }

   std::vector<std::string> logs() const;
   bool logged(const std::string &fragment) const;

 private:
   rpa_host::PluginRegistry plugins_;  // destroyed last
   std::string vault_path_;
   std::unique_ptr<rpa_host::Vault> vault_;
   std::atomic<bool> cancelled_{false};
   rpa_host::SessionTable sessions_;
   std::unique_ptr<rpa_host::HostServicesTable> services_;
   mutable std::mutex logs_mutex_;
   std::vector<std::string> logs_;
};

}  // namespace test
