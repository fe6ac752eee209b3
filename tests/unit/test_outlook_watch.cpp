// A wait for new mail on an Outlook session, its platform-neutral parts, run on both systems: the
// cursor (newest ReceivedTime second and the EntryIDs seen in it), the DASL restriction a look adds,
// and the listener that Outlook's ItemAdd rings from the session's STA thread.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "mailbox/signalled_listener.h"
#include "net/cancel_alarm.h"
#include "outlook/outlook_cursor.h"
#include "outlook/outlook_filter.h"
#include "util/failure.h"

using namespace email;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

rpa_status status_of(const std::string &cursor) {
   try {
      OutlookCursor::parse(cursor);
      return RPA_OK;
   } catch (const Failure &failure) {
      return failure.status();
   }
}

}  // namespace

TEST_CASE("an Outlook cursor: new is later, or the same second and not seen; it survives its text") {
   OutlookCursor cursor;  // an empty folder: everything is new
   CHECK(cursor.text() == "outlook1:0");
   CHECK(cursor.is_new(1, "00AA"));
   cursor.pass(1000, "00AA");
   CHECK_FALSE(cursor.is_new(1000, "00AA"));
   CHECK(cursor.is_new(1000, "00BB"));  // received in the same second, not seen yet
   CHECK_FALSE(cursor.is_new(999, "00CC"));
   CHECK(cursor.is_new(1001, "00AA"));
   cursor.pass(1000, "00BB");
   const OutlookCursor read = OutlookCursor::parse(cursor.text());
   CHECK(read.text() == cursor.text());
   CHECK(read.received() == 1000);
   CHECK_FALSE(read.is_new(1000, "00BB"));
   CHECK(read.is_new(1000, "00DD"));
   CHECK(cursor.text().find("00AA") == std::string::npos);  // hashes, never the EntryIDs
   cursor.pass(1005, "00EE");                               // a later second forgets the earlier one's names
   CHECK(cursor.text().rfind("outlook1:1005:", 0) == 0);
   CHECK(cursor.text().find(',') == std::string::npos);
   cursor.pass(1001, "00FF");  // passing an older item changes nothing
   CHECK(cursor.received() == 1005);
}

TEST_CASE("an Outlook cursor that names too many items of one second moves to the next second") {
   OutlookCursor cursor;
   for (std::size_t i = 0; i < OutlookCursor::kMostNamed; ++i) cursor.pass(50, "ID" + std::to_string(i));
   CHECK(cursor.received() == 50);
   CHECK(OutlookCursor::parse(cursor.text()).text() == cursor.text());
   cursor.pass(50, "one more");
   CHECK(cursor.received() == 51);
   CHECK(cursor.text() == "outlook1:51");
}

TEST_CASE("text that is not an Outlook cursor is refused, naming the field") {
   for (const char *bad : {"", "outlook1:", "outlook1:x", "outlook1:12:", "outlook1:12:abc", "outlook1:-5",
                           "outlook1:12:0123456789ab,", "outlook1:12:0123456789ab,0123456789ab",
                           "outlook1:12:0123456789AB", "outlook1:9999999999999", "imap1:5:7", "outlook1:1 "})
      CHECK_MESSAGE(status_of(bad) == RPA_INVALID_PROPERTIES, bad);
   CHECK(status_of("outlook1:12:0123456789ab,ba9876543210") == RPA_OK);
   try {
      OutlookCursor::parse("pop3a1:c:");
   } catch (const Failure &failure) {
      CHECK(std::string(failure.what()).find("cursor:") == 0);
   }
}

TEST_CASE("a look restricts by the time received from before the cursor, with the wait's filter") {
   const DateText us = [](const CalendarDate &date) {
      return std::to_string(date.month) + "/" + std::to_string(date.day) + "/" + std::to_string(date.year);
   };
   SearchQuery filter;
   CHECK(dasl_filter(filter, us, "12/6/2026 2:29:00 AM") ==
         "@SQL=\"urn:schemas:httpmail:datereceived\" >= '12/6/2026 2:29:00 AM'");
   filter.subject = "invoice";
   CHECK(dasl_filter(filter, us, "12/6/2026 2:29:00 AM") ==
         "@SQL=\"urn:schemas:httpmail:datereceived\" >= '12/6/2026 2:29:00 AM'"
         " AND \"urn:schemas:httpmail:subject\" LIKE '%invoice%'");
   CHECK(dasl_filter(filter, us) == "@SQL=\"urn:schemas:httpmail:subject\" LIKE '%invoice%'");
}

TEST_CASE("a signalled listener: a ring from another thread ends the wait at once") {
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(30), "test");
   auto signal = std::make_shared<ChangeSignal>();
   SignalledListener listener(signal, "the test's signal");
   const auto never = [] { return false; };
   const auto started = Clock::now();
   std::thread ringer([signal] {
      std::this_thread::sleep_for(milliseconds(150));
      signal->ring();
   });
   CHECK(listener.wait(std::chrono::seconds(20), std::chrono::seconds(20), never, context));
   ringer.join();
   CHECK(Clock::now() - started < std::chrono::seconds(10));
   CHECK(listener.open());
   // Rung once, told once: the next wait sleeps its time (the poll's, the shorter) and says nothing.
   CHECK_FALSE(listener.wait(std::chrono::seconds(20), milliseconds(300), never, context));
   // A ring before the wait is not lost.
   signal->ring();
   signal->ring();
   CHECK(listener.wait(milliseconds(300), milliseconds(300), never, context));
   CHECK_FALSE(listener.wait(milliseconds(100), milliseconds(300), never, context));
}

TEST_CASE("a signalled listener ends when its stop says so, and when the host cancels") {
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(30), "test");
   SignalledListener listener(std::make_shared<ChangeSignal>(), "the test's signal");
   const auto started = Clock::now();
   CHECK_FALSE(listener.wait(
       std::chrono::seconds(20), std::chrono::seconds(20), [] { return true; }, context));
   CHECK(Clock::now() - started < std::chrono::seconds(10));

   rpa_host_services services{};
   services.struct_size = sizeof services;
   services.is_cancelled = [](void *) -> int { return 1; };
   HostServices cancelling(&services);
   CallContext cancelled(cancelling, std::chrono::seconds(30), "test");
   try {
      listener.wait(
          std::chrono::seconds(20), std::chrono::seconds(20), [] { return false; }, cancelled);
      FAIL("a cancelled wait returned");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_CANCELLED);
      CHECK(std::string(failure.what()).find("the test's signal") != std::string::npos);
   }
}
