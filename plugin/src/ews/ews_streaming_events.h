// What GetStreamingEvents' answer says, as it comes (learn.microsoft.com/exchange/client-developer/
// web-service-reference/getstreamingevents-operation): the body of one long HTTP response is one
// SOAP envelope after another (a GetStreamingEventsResponse each), sent as events happen, with an
// envelope of no notifications now and then to keep the connection alive, and a last one whose
// ConnectionStatus is Closed when the ConnectionTimeout's minutes are up.
//
//   EwsEnvelopeSplitter splitter;
//   splitter.feed(part);                       // the body's bytes as they arrive, in any pieces
//   while (auto envelope = splitter.next())    // each whole envelope, in order
//      StreamedEvents said = read_streamed_events(*envelope);
//
// Pure over their input (fuzzed in ews_streaming_events).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace email::ews {

class EwsEnvelopeSplitter {
 public:
   // An envelope larger than this is refused: notifications carry ids, not items.
   static constexpr std::size_t kMaxEnvelopeBytes = 4 * 1024 * 1024;
   // Appends the body's next bytes. Throws Failure(protocol_error) when the envelope that is not
   // yet whole grows past kMaxEnvelopeBytes.
   void feed(std::string_view bytes);
   // The next whole envelope (from what followed the last one to its closing tag, "</s:Envelope>"
   // with any prefix), or nullopt until more bytes come.
   std::optional<std::string> next();

 private:
   std::string buffer_;
   std::size_t scanned_ = 0;  // no closing tag ends before this offset
};

struct StreamedEvents {
   std::string error_code;  // the ResponseCode of an Error response message or a fault, or ""
   std::string error_text;  // its MessageText or faultstring
   bool closed = false;     // ConnectionStatus Closed: the server ends this connection
   // Events of the subscription's folder (NewMail, Created, Moved, Copied, Modified, Deleted, ...;
   // not the keep-alive StatusEvent): something changed, so a look may find new mail.
   std::size_t events = 0;
};

// Reads one envelope. Throws Failure(protocol_error) when it is not a SOAP envelope with a
// GetStreamingEvents response message or a fault.
StreamedEvents read_streamed_events(const std::string &envelope);

}  // namespace email::ews
