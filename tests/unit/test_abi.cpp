// The ABI headers compile as C++17 too, and their inline helpers say what they promise.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "rpa/rpa.h"

TEST_SUITE("abi") {

TEST_CASE("every status has a distinct symbolic name") {
   const char *expected[] = {"ok",
                             "invalid_properties",
                             "credential_not_found",
                             "session_name_in_use",
                             "session_not_found",
                             "connection_failed",
                             "tls_failed",
                             "authentication_failed",
                             "timeout",
                             "cancelled",
                             "protocol_error",
                             "unsupported",
                             "internal",
                             "buffer_too_small",
                             "folder_not_found",
                             "message_not_found",
                             "throttled"};
   std::set<std::string> names;
   for (int status = RPA_OK; status <= RPA_THROTTLED; ++status) {
      CHECK(std::string(rpa_status_name(status)) == expected[status]);
      names.insert(rpa_status_name(status));
   }
   CHECK(names.size() == 17);
   CHECK(std::string(rpa_status_name(999)) == "unknown");
}

TEST_CASE("versions: same major is compatible") {
   CHECK(rpa_version_is_compatible(rpa_version{RPA_VERSION_MAJOR, 7, 0}));
   CHECK_FALSE(rpa_version_is_compatible(rpa_version{RPA_VERSION_MAJOR + 1, 0, 0}));
   rpa_plugin_entry empty{};
   CHECK_FALSE(rpa_plugin_entry_is_compatible(&empty));
   CHECK_FALSE(rpa_plugin_entry_is_compatible(nullptr));
}

namespace {
bool accept_init(const rpa_host_info *) { return true; }
const void *no_extension(const char *) { return nullptr; }
}  // namespace

TEST_CASE("an entry is compatible only with every core member inside its struct_size") {
   rpa_plugin_entry entry{RPA_VERSION_INIT, sizeof(rpa_plugin_entry), "id", "1", accept_init, nullptr,
                          no_extension};
   CHECK(rpa_plugin_entry_is_compatible(&entry));
   entry.struct_size = offsetof(rpa_plugin_entry, get_extension);  // a table that ends too early
   CHECK_FALSE(rpa_plugin_entry_is_compatible(&entry));
   entry.struct_size = sizeof(rpa_plugin_entry);
   entry.get_extension = nullptr;
   CHECK_FALSE(rpa_plugin_entry_is_compatible(&entry));
   entry.get_extension = no_extension;
   entry.abi_version.major = 1;  // ABI 1.x entries have no struct_size: refused by major
   CHECK_FALSE(rpa_plugin_entry_is_compatible(&entry));
}

TEST_CASE("extension ids are spelled once, from name and revision") {
   CHECK(std::string(RPA_EXT_ACTIONS) == "rpa.actions/1");
   CHECK(std::string(RPA_EXT_BROWSER) == "rpa.browser/1");
   CHECK(std::string(RPA_EXT_STEP_MIGRATION) == "rpa.step-migration/1");
   CHECK(std::string(RPA_EMAIL_SESSION_ID) == "email.session/1");
   CHECK(rpa_interface_id_matches(RPA_EMAIL_SESSION_ID, RPA_EMAIL_SESSION_INTERFACE,
                                  RPA_EMAIL_SESSION_REVISION));
   CHECK(std::string(RPA_EMAIL_MAILBOX_ID) == "email.mailbox/1");
   CHECK(rpa_interface_id_matches(RPA_EMAIL_MAILBOX_ID, RPA_EMAIL_MAILBOX_INTERFACE,
                                  RPA_EMAIL_MAILBOX_REVISION));
   CHECK_FALSE(rpa_interface_id_matches(RPA_EMAIL_MAILBOX_ID, RPA_EMAIL_SESSION_INTERFACE, 1));
   CHECK(rpa_extension_id_is(RPA_EXT_ACTIONS, "rpa.actions/1"));
   CHECK_FALSE(rpa_extension_id_is(RPA_EXT_ACTIONS, "rpa.actions/2"));
   CHECK_FALSE(rpa_extension_id_is(nullptr, "rpa.actions/1"));
}

TEST_CASE("RPA_HOST_EXTENSION is NULL for an older table without get_extension") {
   static int browser_marker = 0;
   rpa_host_services host{};
   host.get_extension = [](void *, const char *id) -> const void * {
      return rpa_extension_id_is(id, RPA_EXT_BROWSER) ? &browser_marker : nullptr;
   };
   host.struct_size = offsetof(rpa_host_services, get_extension);
   CHECK(RPA_HOST_EXTENSION(&host, RPA_EXT_BROWSER) == nullptr);
   host.struct_size = sizeof(rpa_host_services);
   CHECK(RPA_HOST_EXTENSION(&host, RPA_EXT_BROWSER) == &browser_marker);
   CHECK(RPA_HOST_EXTENSION(&host, "rpa.unknown/1") == nullptr);
}

TEST_CASE("RPA_HOST_HAS respects struct_size and NULL members") {
   rpa_host_services host{};
   host.struct_size = offsetof(rpa_host_services, vault_get);  // an older, shorter table
   host.log = [](void *, rpa_log_level, const char *) {};
   host.vault_get = [](void *, const char *, const char *, const char *, char *, size_t, size_t *) {
      return RPA_OK;
   };
   CHECK(RPA_HOST_HAS(&host, log));
   CHECK_FALSE(RPA_HOST_HAS(&host, vault_get));
   host.struct_size = sizeof(rpa_host_services);
   CHECK(RPA_HOST_HAS(&host, vault_get));
   CHECK_FALSE(RPA_HOST_HAS(&host, session_put));
   const rpa_host_services *none = nullptr;
   CHECK_FALSE(RPA_HOST_HAS(none, log));
}

TEST_CASE("a session handle from before ABI 2.2 has no query_interface") {
   rpa_session_handle handle{};
   handle.query_interface = [](const rpa_session_handle *, const char *,
                               unsigned) -> const rpa_session_handle * { return nullptr; };
   handle.struct_size = offsetof(rpa_session_handle, query_interface);  // a 2.0/2.1 maker
   CHECK_FALSE(RPA_SESSION_HAS(&handle, query_interface));
   handle.struct_size = sizeof(rpa_session_handle);
   CHECK(RPA_SESSION_HAS(&handle, query_interface));
   handle.query_interface = nullptr;
   CHECK_FALSE(RPA_SESSION_HAS(&handle, query_interface));
}

TEST_CASE("byte sinks are usable only when complete") {
   rpa_byte_sink sink{sizeof(rpa_byte_sink), nullptr,
                      [](const rpa_byte_sink *, const void *, size_t) { return 1; }};
   CHECK(rpa_byte_sink_is_usable(&sink));
   sink.struct_size = sizeof(uint32_t);
   CHECK_FALSE(rpa_byte_sink_is_usable(&sink));
   CHECK_FALSE(rpa_byte_sink_is_usable(nullptr));
}

}  // TEST_SUITE("abi")
