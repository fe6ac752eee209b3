#include "ews/ews_streaming_events.h"

#include <cstring>

#include "ews/ews_soap.h"
#include "util/failure.h"

namespace email::ews {

namespace {

bool is_name_char(char c) {
   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.';
}

std::string local_name(const char *name) {
   const char *colon = std::strchr(name, ':');
   return colon ? colon + 1 : name;
}

// The offset just past the first closing tag of an Envelope that starts at or after `from`, or npos.
std::size_t end_of_envelope(const std::string &text, std::size_t from) {
   static constexpr std::string_view kName = "Envelope";
   for (std::size_t at = text.find(kName, from); at != std::string::npos; at = text.find(kName, at + 1)) {
      std::size_t start = at;  // back over "prefix:" to "</"
      if (start > 0 && text[start - 1] == ':') {
         --start;
         while (start > 0 && is_name_char(text[start - 1])) --start;
      }
      if (start < 2 || text[start - 1] != '/' || text[start - 2] != '<') continue;
      std::size_t close = at + kName.size();
      while (close < text.size() &&
             (text[close] == ' ' || text[close] == '\t' || text[close] == '\r' || text[close] == '\n'))
         ++close;
      if (close >= text.size()) return std::string::npos;  // the tag is not whole yet
      if (text[close] == '>') return close + 1;
   }
   return std::string::npos;
}

}  // namespace

void EwsEnvelopeSplitter::feed(std::string_view bytes) {
   if (buffer_.size() + bytes.size() > kMaxEnvelopeBytes &&
       end_of_envelope(buffer_, scanned_) == std::string::npos)
      throw Failure(RPA_PROTOCOL_ERROR, "an envelope of the EWS server's streamed events is larger than " +
                                            std::to_string(kMaxEnvelopeBytes / (1024 * 1024)) + " MiB");
   buffer_.append(bytes);
}

std::optional<std::string> EwsEnvelopeSplitter::next() {
   const std::size_t end = end_of_envelope(buffer_, scanned_);
   if (end == std::string::npos) {
      // "</x:Envelope" may still be cut at the end: look again from a little before it.
      scanned_ = buffer_.size() > 64 ? buffer_.size() - 64 : 0;
      return std::nullopt;
   }
   std::string envelope = buffer_.substr(0, end);
   buffer_.erase(0, end);
   scanned_ = 0;
   return envelope;
}

StreamedEvents read_streamed_events(const std::string &envelope) {
   Response response;
   if (!parse_response(envelope, response))
      throw Failure(RPA_PROTOCOL_ERROR, "the EWS server streamed something that is not a SOAP envelope");
   StreamedEvents said;
   if (response.fault) {
      said.error_code = response.fault->code;
      said.error_text = response.fault->text;
      return said;
   }
   if (response.messages.empty())
      throw Failure(RPA_PROTOCOL_ERROR, "the EWS server streamed an envelope without a response message");
   for (const ResponseMessage &message : response.messages) {
      if (message.response_class == "Error" && said.error_code.empty()) {
         said.error_code = message.code.empty() ? "an error" : message.code;
         said.error_text = message.text;
      }
      if (std::string(child(message.node, "ConnectionStatus").child_value()) == "Closed") said.closed = true;
      for (pugi::xml_node notification : child(message.node, "Notifications").children())
         for (pugi::xml_node event : notification.children()) {
            const std::string name = local_name(event.name());
            if (event.type() == pugi::node_element && name != "StatusEvent" && name.size() > 5 &&
                name.compare(name.size() - 5, 5, "Event") == 0)
               ++said.events;
         }
   }
   return said;
}

}  // namespace email::ews
