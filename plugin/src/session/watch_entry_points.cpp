#include "session/watch_entry_points.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <rpa_common/json.h>

#include <cstring>
#include <string>

#include "mailbox/mailbox_json.h"
#include "session/email_session_object.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

rpa_status wait(const rpa_email_watch *self, const rpa_host_services *host, const char *folder,
                const char *cursor, uint32_t timeout_ms, const char *filter_json,
                const rpa_text_sink *out_json, const rpa_text_sink *message) {
   EmailSessionObject *session = EmailSessionObject::from(self);
   return session->watch_call(
       host, message, std::chrono::milliseconds(timeout_ms),
       [&](SessionWatcher &watcher, CallContext &context) {
          SessionWatcher::Request request;
          if (!folder || !*folder) throw Failure(RPA_INVALID_PROPERTIES, "folder is missing");
          request.folder = std::string(folder, strnlen(folder, 1001));
          if (request.folder.size() > 1000)
             throw Failure(RPA_INVALID_PROPERTIES, "folder is longer than 1000 bytes");
          request.cursor = cursor ? std::string(cursor, strnlen(cursor, 4097)) : "";
          if (request.cursor.size() > 4096)  // Graph's deltaLinks run to several hundred bytes
             throw Failure(RPA_INVALID_PROPERTIES, "cursor is longer than 4096 bytes");
          unsigned poll_seconds = 0;  // the mailbox's own
          request.filter = parse_wait_filter(filter_json, poll_seconds);
          request.poll = std::chrono::seconds(poll_seconds);
          request.wait = std::chrono::milliseconds(timeout_ms);
          const std::string server = to_lower_ascii(context.server());
          if (server.find("gmail.com") != std::string::npos ||
              server.find("googlemail.com") != std::string::npos)
             request.renew = std::chrono::minutes(9);  // Gmail drops clients idle for about 10 minutes
          const Arrivals found = watcher.wait(std::move(request), context);
          write_text(out_json, arrivals_json(found));
          write_text(message, found.cursor_reset
                                  ? "the folder was rebuilt (UIDVALIDITY changed): waiting from now on"
                              : found.messages.empty()
                                  ? "no new message within " + std::to_string(timeout_ms / 1000) + " s"
                                  : std::to_string(found.messages.size()) +
                                        (found.messages.size() == 1 ? " new message" : " new messages"));
       });
}

}  // namespace

SearchQuery parse_wait_filter(const char *json, unsigned &poll_seconds) {
   if (!json || !*json) return {};
   rapidjson::Document document;
   const rpa::JsonParseResult parsed = rpa::parse_json(document, json, std::strlen(json));
   if (!parsed) throw Failure(RPA_INVALID_PROPERTIES, "the filter is not JSON (" + parsed.message() + ")");
   if (!document.IsObject()) throw Failure(RPA_INVALID_PROPERTIES, "the filter is not a JSON object");
   for (const char *own : {"limit", "order", "cursor"})
      if (document.HasMember(own))
         throw Failure(RPA_INVALID_PROPERTIES, std::string(own) +
                                                   " is not a member of a wait's filter (a wait "
                                                   "returns what arrived, oldest first, with "
                                                   "its own cursor)");
   if (document.HasMember("poll_seconds")) {
      const rapidjson::Value &poll = document["poll_seconds"];
      if (!poll.IsUint() || poll.GetUint() < 1 || poll.GetUint() > 3600)
         throw Failure(RPA_INVALID_PROPERTIES,
                       "poll_seconds must be a whole number of seconds from 1 to 3600");
      poll_seconds = poll.GetUint();
      document.RemoveMember("poll_seconds");
   }
   rapidjson::StringBuffer rest;
   rapidjson::Writer<rapidjson::StringBuffer> writer(rest);
   document.Accept(writer);
   return parse_search_query(rest.GetString());
}

void fill_watch_interface(rpa_email_watch &table) {
   table.struct_size = sizeof(rpa_email_watch);
   table.wait = &wait;
}

}  // namespace email
