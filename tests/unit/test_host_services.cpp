// The host extension "rpa.log-level/1" (rpa/ext/log_level.h) from both sides: the plugin's
// HostServices builds and sends no line the host drops, and rpa-host's table says its LogSink's
// level.
#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "host/host_services.h"
#include "host_services_table.h"
#include "rpa/ext/log_level.h"
#include "rpa/plugin.h"

namespace {

// A host table that records every line it receives and, when `offer` is set, offers
// "rpa.log-level/1" with `lowest` as its level.
struct RecordingHost {
   std::vector<std::string> lines;
   rpa_log_level lowest = RPA_LOG_INFO;
   bool offer = true;
   rpa_host_log_level extension{sizeof(rpa_host_log_level),
                                [](void *data) { return static_cast<RecordingHost *>(data)->lowest; }};
   rpa_host_services services{};
   RecordingHost() {
      services.struct_size = sizeof(rpa_host_services);
      services.host_data = this;
      services.log = [](void *data, rpa_log_level, const char *message) {
         static_cast<RecordingHost *>(data)->lines.emplace_back(message);
      };
      services.get_extension = [](void *data, const char *id) -> const void * {
         auto *self = static_cast<RecordingHost *>(data);
         return self->offer && rpa_extension_id_is(id, RPA_EXT_LOG_LEVEL) ? &self->extension : nullptr;
      };
   }
};

}  // namespace

TEST_CASE("log level: a host that keeps info and up receives no debug line, and is asked each time") {
   RecordingHost host;
   const email::HostServices services(&host.services);
   CHECK_FALSE(services.logs(RPA_LOG_DEBUG));
   CHECK(services.logs(RPA_LOG_INFO));
   services.debug("dropped");
   services.info("kept");
   services.warning("kept too");
   CHECK(host.lines == std::vector<std::string>{"kept", "kept too"});
   host.lowest = RPA_LOG_DEBUG;  // the designer turned tracing on during the call
   CHECK(services.logs(RPA_LOG_DEBUG));
   services.debug("traced");
   CHECK(host.lines.back() == "traced");
}

TEST_CASE("log level: log_asked sends without asking again (the caller asked logs() once)") {
   RecordingHost host;
   int asked = 0;
   static int *count = nullptr;
   count = &asked;
   host.extension.lowest_kept = [](void *) {
      ++*count;
      return RPA_LOG_DEBUG;
   };
   const email::HostServices services(&host.services);
   REQUIRE(services.logs(RPA_LOG_DEBUG));
   services.log_asked(RPA_LOG_DEBUG, "S: * OK");
   CHECK(asked == 1);
   CHECK(host.lines == std::vector<std::string>{"S: * OK"});
   services.debug("asks");
   CHECK(asked == 2);
   host.services.log = nullptr;
   email::HostServices(&host.services).log_asked(RPA_LOG_DEBUG, "no log member: nothing, no crash");
   CHECK(host.lines.size() == 2);
}

TEST_CASE("log level: a host without the extension, or with a short or empty one, receives every line") {
   RecordingHost host;
   host.offer = false;
   CHECK(email::HostServices(&host.services).logs(RPA_LOG_DEBUG));
   email::HostServices(&host.services).debug("one");
   host.offer = true;
   host.extension.struct_size = offsetof(rpa_host_log_level, lowest_kept);  // ends before the member
   email::HostServices(&host.services).debug("two");
   host.extension.struct_size = sizeof(rpa_host_log_level);
   host.extension.lowest_kept = nullptr;
   email::HostServices(&host.services).debug("three");
   CHECK(host.lines == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("log level: no table, or a table without log, keeps nothing and does not crash") {
   CHECK_FALSE(email::HostServices(nullptr).logs(RPA_LOG_ERROR));
   email::HostServices(nullptr).debug("nowhere");
   RecordingHost host;
   host.services.log = nullptr;
   CHECK_FALSE(email::HostServices(&host.services).logs(RPA_LOG_ERROR));
}

TEST_CASE("log level: rpa-host offers its LogSink's level") {
   rpa_host::SessionTable sessions;
   std::atomic<bool> cancelled{false};
   std::vector<std::string> written;
   rpa_host::LogSink sink{RPA_LOG_WARNING,
                          [&](rpa_log_level, const std::string &line) { written.push_back(line); }};
   rpa_host::HostServicesTable table(sessions, nullptr, sink, cancelled);
   const auto *extension =
       static_cast<const rpa_host_log_level *>(RPA_HOST_EXTENSION(table.services(), RPA_EXT_LOG_LEVEL));
   REQUIRE(extension);
   CHECK(extension->struct_size == sizeof(rpa_host_log_level));
   CHECK(extension->lowest_kept(table.services()->host_data) == RPA_LOG_WARNING);
   const email::HostServices services(table.services());
   services.info("not built");
   services.warning("kept");
   CHECK(written == std::vector<std::string>{"kept"});
}
