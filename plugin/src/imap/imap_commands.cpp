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
   selected_ = {};
   std::uint64_t uidvalidity = 0;
   Response tagged = run_with("SELECT " + argument, context, [&](const Response &r) {
      if (r.keyword == "OK" && r.has_code("UIDVALIDITY")) {
         const std::vector<std::string> words = imap::split_atoms(r.code);
         if (words.size() == 2 && words[1].size() <= 10 &&
             words[1].find_first_not_of("0123456789") == std::string::npos)
            uidvalidity = std::stoull(words[1]);
      }
   });
   if (tagged.keyword != "OK") {
      if (tagged.has_code("NONEXISTENT") || tagged.keyword == "NO")
         throw Failure(RPA_FOLDER_NOT_FOUND, server() + " could not open the folder \"" +
                                                 printable(imap::decode_modified_utf7(wire_name), 120) +
                                                 "\": " + tagged.said(200));
      throw Failure(RPA_PROTOCOL_ERROR, server() + " refused to open the folder: " + tagged.said(200));
   }
   selected_ = {wire_name, uidvalidity};
   return selected_;
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
