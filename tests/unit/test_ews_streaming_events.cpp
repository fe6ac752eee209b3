// GetStreamingEvents' answer as a wait reads it (ews/ews_streaming_events.h): a chunked HTTP body
// (http/http1_connection.h: HttpBodyReader) whose parts do not follow the envelopes, split into
// envelopes and read. The stream itself is tested against the EWS peer
// (tests/integration/test_watch_ews.cpp).
#include <doctest/doctest.h>

#include <vector>

#include "ews/ews_streaming.h"
#include "ews/ews_streaming_events.h"
#include "http/http1_connection.h"
#include "util/failure.h"

using namespace email;

namespace {

const std::string kSoap = "http://schemas.xmlsoap.org/soap/envelope/";
const std::string kNamespaces =
    " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
    " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"";

std::string envelope(const std::string &message, const std::string &prefix = "s") {
   return "<?xml version=\"1.0\" encoding=\"utf-8\"?><" + prefix + ":Envelope xmlns:" + prefix + "=\"" +
          kSoap + "\"><" + prefix + ":Body><m:GetStreamingEventsResponse" + kNamespaces +
          "><m:ResponseMessages>" + message + "</m:ResponseMessages></m:GetStreamingEventsResponse></" +
          prefix + ":Body></" + prefix + ":Envelope >";
}

std::string status(const std::string &notifications, const char *connection) {
   return "<m:GetStreamingEventsResponseMessage "
          "ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>" +
          notifications + "<m:ConnectionStatus>" + connection +
          "</m:ConnectionStatus></m:GetStreamingEventsResponseMessage>";
}

const std::string kEvents =
    "<m:Notifications><m:Notification><t:SubscriptionId>f6bc</t:SubscriptionId><t:CreatedEvent><t:TimeStamp>"
    "2026-12-05T10:00:00Z</t:TimeStamp><t:ItemId Id=\"AAA\"/><t:ParentFolderId Id=\"BBB\"/></t:CreatedEvent>"
    "<t:NewMailEvent><t:ItemId "
    "Id=\"AAA\"/></t:NewMailEvent><t:StatusEvent/></m:Notification></m:Notifications>";

// `body` as chunks of at most `size` bytes.
std::string chunked(const std::string &body, std::size_t size) {
   std::string text = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
   for (std::size_t at = 0; at < body.size(); at += size) {
      const std::string part = body.substr(at, size);
      char line[32];
      std::snprintf(line, sizeof line, "%zx\r\n", part.size());
      text += line + part + "\r\n";
   }
   return text + "0\r\n\r\n";
}

}  // namespace

TEST_CASE("streamed events: envelopes split out of chunks of any size - keep-alive, events, Closed") {
   const std::string body = envelope(status("", "OK")) + "\r\n" + envelope(status(kEvents, "OK"), "soap") +
                            envelope(status("", "Closed"), "Envelope");
   for (std::size_t size : {1, 7, 64, 100000}) {
      CAPTURE(size);
      TextSource source(chunked(body, size));
      bool keep_alive = false;
      const HttpResponse head = read_http_head(source, keep_alive);
      CHECK(head.status == 200);
      HttpBodyReader reader(head, 1024 * 1024);
      ews::EwsEnvelopeSplitter splitter;
      std::vector<ews::StreamedEvents> said;
      while (std::optional<std::string> part = reader.next(source)) {
         CHECK(part->size() <= size);
         splitter.feed(*part);
         while (std::optional<std::string> whole = splitter.next())
            said.push_back(ews::read_streamed_events(*whole));
      }
      CHECK(reader.ended());
      REQUIRE(said.size() == 3);
      CHECK(said[0].events == 0);  // keep-alive
      CHECK_FALSE(said[0].closed);
      CHECK(said[1].events == 2);  // Created and NewMail; the StatusEvent is no change
      CHECK(said[2].closed);
      for (const auto &one : said) CHECK(one.error_code.empty());
   }
}

TEST_CASE("streamed events: errors and what is not an envelope") {
   const ews::StreamedEvents gone = ews::read_streamed_events(envelope(
       "<m:GetStreamingEventsResponseMessage ResponseClass=\"Error\"><m:MessageText>The subscription was "
       "not found.</m:MessageText><m:ResponseCode>ErrorSubscriptionNotFound</m:ResponseCode>"
       "</m:GetStreamingEventsResponseMessage>"));
   CHECK(gone.error_code == "ErrorSubscriptionNotFound");
   CHECK(gone.error_text == "The subscription was not found.");

   CHECK_THROWS_AS(ews::read_streamed_events("<html>busy</html>"), Failure);
   CHECK_THROWS_AS(ews::read_streamed_events(envelope("")), Failure);  // no response message

   ews::EwsEnvelopeSplitter splitter;
   splitter.feed("<s:Envelope><s:Body>not yet");
   CHECK_FALSE(splitter.next());
   splitter.feed("</s:Body></s:Envelo");  // the closing tag cut
   CHECK_FALSE(splitter.next());
   splitter.feed("pe>");
   CHECK(splitter.next() == std::string("<s:Envelope><s:Body>not yet</s:Body></s:Envelope>"));

   ews::EwsEnvelopeSplitter endless;  // an envelope that never ends is refused at the limit
   const std::string mebibyte(1024 * 1024, 'x');
   bool refused = false;
   try {
      for (int i = 0; i < 8; ++i) {
         endless.feed(mebibyte);
         CHECK_FALSE(endless.next());
      }
   } catch (const Failure &failure) {
      refused = std::string(failure.what()).find("larger than 4 MiB") != std::string::npos;
   }
   CHECK(refused);
}

TEST_CASE("a streamed body by Content-Length comes in parts of at most the limit") {
   TextSource source("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
   bool keep_alive = false;
   HttpBodyReader reader(read_http_head(source, keep_alive), 4);
   std::string all;
   while (std::optional<std::string> part = reader.next(source)) {
      CHECK(part->size() <= 4);
      all += *part;
   }
   CHECK(all == "0123456789");
   CHECK(reader.length() == 10u);
}

TEST_CASE("the affinity cookie of a Subscribe answer, among other cookies") {
   CHECK(affinity_cookie_of(
             "X-BackEndOverrideCookie=MBX01.contoso.test~1941996295; path=/; secure; HttpOnly") ==
         "X-BackEndOverrideCookie=MBX01.contoso.test~1941996295");
   CHECK(affinity_cookie_of("exchangecookie=abc; path=/, X-BackEndOverrideCookie=CO1PR~7; path=/") ==
         "X-BackEndOverrideCookie=CO1PR~7");
   CHECK(affinity_cookie_of("NotX-BackEndOverrideCookie=x") == "");
   CHECK(affinity_cookie_of("X-BackEndOverrideCookie=; path=/") == "");
   CHECK(affinity_cookie_of("") == "");
   EwsSubscription subscription;
   CHECK(affinity_headers(subscription).empty());
   subscription.affinity_cookie = "X-BackEndOverrideCookie=a~1";
   CHECK(affinity_headers(subscription) == HttpHeaders{{"Cookie", "X-BackEndOverrideCookie=a~1"}});
}
