// The commands ImapMailbox runs through ImapClient (imap_client.h: "what the mailbox sends its
// commands through"): SELECT and the connection state, a fetch that streams its literals, and a
// command that ends in a literal.
#include "imap/imap_client.h"

#include <algorithm>
#include "imap/imap_response.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using imap::Response;

ImapState ImapClient::state() const {
   return !authenticated_ ? ImapState::not_authenticated
          : selected()    ? ImapState::selected
                          : ImapState::authenticated;
}

const SelectedFolder &ImapClient::select(const std::string &wire_name, const std::string &argument,
                                         CallContext &context) {
   if (selected_.wire_name == wire_name && !wire_name.empty()) return selected_;
   const Response tagged =
       read_select(send_select(argument, std::nullopt, context).select, wire_name, context);
   if (tagged.keyword != "OK") select_refused(tagged, wire_name);
   return selected_;
}

ImapClient::SelectedAnswer ImapClient::select_then_run(
    const std::string &wire_name, const std::string &argument, std::string_view then, CallContext &context,
    const std::function<void(const Response &)> &on_untagged) {
   if (selected_.wire_name == wire_name && !wire_name.empty())
      return {selected_.uidvalidity, run_with(then, context, on_untagged)};
   const SelectTags tags = send_select(argument, then, context);
   const Response selected = read_select(tags.select, wire_name, context);
   if (selected.keyword != "OK") {
      // No folder is open, so the server refused `then` too (BAD or NO); its answer is read and
      // dropped, and the connection stays in step for the next command.
      read_to_tagged(tags.then, false, context);
      select_refused(selected, wire_name);
   }
   return {selected_.uidvalidity, read_to_tagged_with(tags.then, false, context, on_untagged)};
}

ImapClient::SelectTags ImapClient::send_select(const std::string &argument,
                                               std::optional<std::string_view> then, CallContext &context) {
   selected_ = {};
   SelectTags tags{next_tag(), {}};
   const std::string line = tags.select + " SELECT " + argument;
   if (!then) {
      send_line(line + "\r\n", context, line);
      return tags;
   }
   // RFC 9051 5.5: a client may send a command before the last one is answered, and the server
   // runs them in order, so `then` runs in the folder SELECT opened, one round trip sooner.
   queue_line(line + "\r\n");
   tags.then = next_tag();
   const std::string next = tags.then + " " + std::string(*then);
   send_line(next + "\r\n", context, next);
   return tags;
}

Response ImapClient::read_select(const std::string &tag, const std::string &wire_name, CallContext &context) {
   std::uint64_t uidvalidity = 0;
   Response tagged = read_to_tagged_with(tag, false, context, [&](const Response &r) {
      if (r.keyword == "OK" && r.has_code("UIDVALIDITY")) {
         const std::vector<std::string> words = imap::split_atoms(r.code);
         if (words.size() == 2 && words[1].size() <= 10 &&
             words[1].find_first_not_of("0123456789") == std::string::npos)
            uidvalidity = std::stoull(words[1]);
      }
   });
   if (tagged.keyword == "OK") selected_ = {wire_name, uidvalidity};
   return tagged;
}

void ImapClient::select_refused(const Response &tagged, const std::string &wire_name) const {
   if (tagged.has_code("NONEXISTENT") || tagged.keyword == "NO")
      throw Failure(RPA_FOLDER_NOT_FOUND, server() + " could not open the folder \"" +
                                              printable(imap::decode_modified_utf7(wire_name), 120) +
                                              "\": " + tagged.said(200));
   throw Failure(RPA_PROTOCOL_ERROR, server() + " refused to open the folder: " + tagged.said(200));
}

Response ImapClient::run_streaming(std::string_view command, CallContext &context,
                                   const std::function<void(const Response &)> &on_untagged,
                                   const ByteSink &sink) {
   literal_sink_ = &sink;
   streamed_bytes_ = 0;
   try {
      Response tagged = run_with(command, context, on_untagged);
      literal_sink_ = nullptr;
      return tagged;
   } catch (...) {
      literal_sink_ = nullptr;
      throw;
   }
}

Response ImapClient::run_with_literal(std::string_view command, std::uint64_t size,
                                      const std::function<std::size_t(char *, std::size_t)> &read,
                                      CallContext &context) {
   const bool literal_plus = has_capability("LITERAL+");
   const std::string tag = next_tag();
   const std::string head =
       tag + " " + std::string(command) + " {" + std::to_string(size) + (literal_plus ? "+}" : "}");
   send_line(head + "\r\n", context, head);
   if (!literal_plus) {
      Response go_ahead = read_to_tagged(tag, true, context);
      if (go_ahead.kind != Response::Kind::continuation) return go_ahead;
   }
   context.host().debug(std::string("IMAP C: <") + std::to_string(size) + " bytes>");
   std::string buffer(64 * 1024, '\0');
   for (std::uint64_t left = size; left > 0;) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
      const std::size_t got = read(buffer.data(), want);
      if (got == 0 || got > want) {
         throw Failure(RPA_INTERNAL, "the message to store ended " + std::to_string(left) +
                                         " bytes before the size announced to " + server());
      }
      // The last chunk carries the CRLF that ends the command.
      if (got == left) buffer.replace(got, 2, "\r\n");
      transport().write(std::string_view(buffer.data(), got == left ? got + 2 : got), context);
      left -= got;
   }
   if (size == 0) transport().write("\r\n", context);
   return read_to_tagged(tag, false, context);
}

}  // namespace email
