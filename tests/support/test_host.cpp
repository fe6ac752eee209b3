#include "test_host.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "test_paths.h"

namespace test {

TestHost::TestHost(bool with_vault, const std::string &vault_path) {
   auto fail = [](const std::string &text) { FAIL("plugin loading: " << text); };
   plugins_.load_folder(RPA_TEST_PLUGIN_DIR, fail);
   plugins_.load_folder(RPA_TEST_SIBLING_PLUGIN_DIR, fail);
   if (with_vault && !vault_path.empty()) {
      vault_path_ = vault_path;
      vault_ = std::make_unique<rpa_host::Vault>(
          rpa_host::Vault::open(vault_path_, rpa::SecretString("test passphrase")));
   } else if (with_vault) {
      own_vault_file_ = true;
      // A name no other test uses; Vault::open starts empty when the file is absent.
      vault_path_ = (std::filesystem::temp_directory_path() /
                     ("rpa-test-vault." + std::to_string(std::random_device{}()) +
                      std::to_string(std::random_device{}())))
                        .u8string();
      vault_ = std::make_unique<rpa_host::Vault>(
          rpa_host::Vault::open(vault_path_, rpa::SecretString("test passphrase")));
   }
   rpa_host::LogSink sink;
   sink.min_level = RPA_LOG_DEBUG;
   static const bool echo = std::getenv("RPA_TEST_ECHO_LOGS") != nullptr;  // a case's story, when debugging
   sink.write = [this](rpa_log_level, const std::string &line) {
      std::lock_guard<std::mutex> lock(logs_mutex_);
      if (echo)
         std::fprintf(stderr, "[%lld] %s\n",
                      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::steady_clock::now().time_since_epoch())
                                                 .count() %
                                             1000000),
                      line.c_str());
      logs_.push_back(line);
   };
   auto open_url = [this](const std::string &url) {
      browser_.visit(url, rewrite_);
      return RPA_OK;
   };
   services_ =
       std::make_unique<rpa_host::HostServicesTable>(sessions_, vault_.get(), sink, cancelled_, open_url);
   services_->offer_cancel_signal(&cancel_signal_);
}

TestHost::~TestHost() {
   sessions_.clear();
   std::error_code ignored;
   if (own_vault_file_)
      for (const char *suffix : {"", ".lock"})
         std::filesystem::remove(std::filesystem::u8path(vault_path_ + suffix), ignored);
}

rpa_host::ActionOutcome TestHost::run(const std::string &action, const std::string &json) {
   rpa_host::FoundAction found = plugins_.find(action);
   REQUIRE_MESSAGE(found.descriptor != nullptr, "no action " << action);
   return rpa_host::invoke_action(found, json, *services_);
}

std::vector<std::string> TestHost::logs() const {
   std::lock_guard<std::mutex> lock(logs_mutex_);
   return logs_;
}

bool TestHost::logged(const std::string &fragment) const {
   for (const std::string &line : logs())
      if (line.find(fragment) != std::string::npos) return true;
   return false;
}

}  // namespace test
