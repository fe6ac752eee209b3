// The ABI headers compile as C++17 too, and their inline helpers say what they promise.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "rpa/plugin.h"

TEST_SUITE("abi") {

TEST_CASE("every status has a distinct symbolic name") {
   const char *expected[] = {"ok", "invalid_properties", "credential_not_found", "session_name_in_use",
                             "session_not_found", "connection_failed", "tls_failed",
                             "authentication_failed", "timeout", "cancelled", "protocol_error",
                             "unsupported", "internal", "buffer_too_small"};
   std::set<std::string> names;
   for (int status = RPA_OK; status <= RPA_BUFFER_TOO_SMALL; ++status) {
      CHECK(std::string(rpa_status_name(status)) == expected[status]);
      names.insert(rpa_status_name(status));
   }
   CHECK(names.size() == 14);
   CHECK(std::string(rpa_status_name(999)) == "unknown");
}

TEST_CASE("versions: same major is compatible") {
   CHECK(rpa_version_is_compatible(rpa_version{RPA_VERSION_MAJOR, 7, 0}));
   CHECK_FALSE(rpa_version_is_compatible(rpa_version{RPA_VERSION_MAJOR + 1, 0, 0}));
   rpa_plugin_entry empty{};
   CHECK_FALSE(rpa_plugin_entry_is_compatible(&empty));
   CHECK_FALSE(rpa_plugin_entry_is_compatible(nullptr));
}

TEST_CASE("RPA_HOST_HAS respects struct_size and NULL members") {
   rpa_host_services host{};
   host.struct_size = offsetof(rpa_host_services, vault_get);  // an older, shorter table
   host.log = [](void *, rpa_log_level, const char *) {};
   host.vault_get = [](void *, const char *, const char *, const char *, char *, size_t, size_t *) { return RPA_OK; };
   CHECK(RPA_HOST_HAS(&host, log));
   CHECK_FALSE(RPA_HOST_HAS(&host, vault_get));
   host.struct_size = sizeof(rpa_host_services);
   CHECK(RPA_HOST_HAS(&host, vault_get));
   CHECK_FALSE(RPA_HOST_HAS(&host, session_put));
   const rpa_host_services *none = nullptr;
   CHECK_FALSE(RPA_HOST_HAS(none, log));
}

}  // TEST_SUITE
