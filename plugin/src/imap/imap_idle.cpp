// ImapClient::idle (imap/imap_client.h): RFC 2177's IDLE, ended by DONE.
#include <algorithm>

#include "imap/imap_client.h"
#include "util/failure.h"

namespace email {

using imap::Response;

bool ImapClient::idle(std::chrono::milliseconds wait, const std::function<bool()> &stop,
                      CallContext &context) {
   using Clock = std::chrono::steady_clock;
   bool changed = false;
   const auto note = [&changed](const Response &r) { changed = changed || r.keyword == "EXISTS"; };
   const std::string tag = next_tag();
   send_line(tag + " IDLE\r\n", context, tag + " IDLE");
   Response go_ahead = read_to_tagged_with(tag, true, context, note);
   if (go_ahead.kind != Response::Kind::continuation)
      throw Failure(RPA_PROTOCOL_ERROR, server() + " refused IDLE: " + go_ahead.said(200));
   const auto until = Clock::now() + wait;
   while (!changed) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 || stop()) break;
      // Woken at least as often as the context asks the host about cancelling, or when its alarm
      // rings (email.watch/1: within a second); then stop() says whether to end.
      if (!transport().speaks_within(context.idle_step(left), context)) continue;
      Response said = read_response(context);
      if (said.kind == Response::Kind::tagged) {  // the server ended the IDLE itself
         if (said.tag != tag || said.keyword != "OK")
            throw Failure(RPA_PROTOCOL_ERROR, server() + " ended IDLE: " + said.said(200));
         return true;  // look again, then idle anew
      }
      if (said.kind == Response::Kind::untagged) {
         take_untagged(said);  // BYE throws connection_failed
         note(said);
      }
   }
   send_line("DONE\r\n", context, "DONE");
   Response done = read_to_tagged_with(tag, false, context, note);
   if (done.keyword != "OK") throw Failure(RPA_PROTOCOL_ERROR, server() + " refused DONE: " + done.said(200));
   return changed;
}

}  // namespace email
