// The host's session table and its reference counting, with a counting handle.
#include <doctest/doctest.h>

#include "session_table.h"

namespace {

struct CountingHandle {
   rpa_session_handle handle{};
   int references = 1;
   explicit CountingHandle(const char *interface_id) {
      handle.struct_size = sizeof(rpa_session_handle);
      handle.interface_id = interface_id;
      handle.maker_data = this;
      handle.retain = [](const rpa_session_handle *self) {
         ++static_cast<CountingHandle *>(self->maker_data)->references;
      };
      handle.release = [](const rpa_session_handle *self) {
         --static_cast<CountingHandle *>(self->maker_data)->references;
      };
   }
};

}  // namespace

TEST_SUITE("host") {

TEST_CASE("names with control characters are refused - no log line can be forged through one") {
   rpa_host::SessionTable table;
   CountingHandle a("email.session/1");
   for (const std::string &name :
        {std::string("Mail\r\nforged"), std::string("A\0B", 3), std::string("\t"), std::string()})
      CHECK(table.put(name, &a.handle) == RPA_INVALID_PROPERTIES);
   CHECK(a.references == 1);
   CHECK(table.names().empty());
}

TEST_CASE("put takes a reference and a taken name is refused without one") {
   rpa_host::SessionTable table;
   CountingHandle a("email.session/1"), b("email.session/1");
   CHECK(table.put("Default", &a.handle) == RPA_OK);
   CHECK(a.references == 2);
   CHECK(table.put("Default", &b.handle) == RPA_SESSION_NAME_IN_USE);
   CHECK(b.references == 1);
   table.clear();
   CHECK(a.references == 1);
}

TEST_CASE("get checks the interface and hands out a reference") {
   rpa_host::SessionTable table;
   CountingHandle a("email.session/2");
   REQUIRE(table.put("S", &a.handle) == RPA_OK);
   const rpa_session_handle *got = nullptr;
   CHECK(table.get("S", "email.session", 1, &got) == RPA_OK);
   CHECK(got == &a.handle);
   CHECK(a.references == 3);
   got->release(got);
   CHECK(table.get("S", "email.session", 3, &got) == RPA_UNSUPPORTED);
   CHECK(table.get("S", "calendar.session", 1, &got) == RPA_UNSUPPORTED);
   CHECK(got == nullptr);
   CHECK(table.get("T", "email.session", 1, &got) == RPA_SESSION_NOT_FOUND);
   CHECK(table.remove("S") == RPA_OK);
   CHECK(a.references == 1);
   CHECK(table.remove("S") == RPA_SESSION_NOT_FOUND);
}

TEST_CASE("interface ids are name/revision") {
   CHECK(rpa_interface_id_matches("email.session/1", "email.session", 1));
   CHECK(rpa_interface_id_matches("email.session/12", "email.session", 2));
   CHECK_FALSE(rpa_interface_id_matches("email.session/1", "email.session", 2));
   CHECK_FALSE(rpa_interface_id_matches("email.sessions/1", "email.session", 1));
   CHECK_FALSE(rpa_interface_id_matches("email.session", "email.session", 0));
   CHECK_FALSE(rpa_interface_id_matches("email.session/1x", "email.session", 1));
   CHECK_FALSE(rpa_interface_id_matches(nullptr, "email.session", 1));
}

}  // TEST_SUITE("host")
