#include "session/send_entry_points.h"

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "mime/message_composer.h"
#include "mime/message_file.h"
#include "mime/reply_builder.h"
#include "session/attachment_sources.h"
#include "session/email_session_object.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace email {

namespace {

// The composed message, read once from its start.
class ComposedSource final : public MessageSource {
 public:
   explicit ComposedSource(const ComposedMessage &message) : reader_(message) {}
   std::size_t read(char *buffer, std::size_t size) override { return reader_.read(buffer, size); }

 private:
   ComposedReader reader_;
};

// Whether the session appends a copy to the sent folder after sending (SentCopy::appended), or
// asks the service to keep one (kept_if_asked): `always` and `auto` do, except where the SMTP
// server keeps one itself.
bool wants_copy(SaveCopy save_copy, const EmailSessionObject &session, const MessageSender &sender) {
   if (save_copy == SaveCopy::never) return false;
   if (sender.sent_copy() != SentCopy::appended) return true;
   if (!session.mailbox_can().append) {
      if (save_copy == SaveCopy::always)
         throw Failure(RPA_UNSUPPORTED,
                       std::string("save_copy \"always\": ") + session.mailbox_can().who +
                           " has no folder to save a copy in; nothing was sent. Use save_copy "
                           "\"auto\" or \"never\"");
      return false;
   }
   return save_copy == SaveCopy::always || !server_saves_sent_copy(sender.facts().host);
}

// The message a reply or forward answers, to be marked so after the send.
struct Answering {
   std::string ref;
   Answered how;
};

// Sends `composed` and writes the result; saves the copy when `copy`; marks `answering` when given.
void send_composed(EmailSessionObject &session, MessageSender &sender, ComposedMessage &composed, bool copy,
                   CallContext &context, const rpa_text_sink *out_json, const rpa_text_sink *message,
                   const Answering *answering = nullptr) {
   Submission submission;
   submission.from = composed.from;
   submission.recipients = composed.recipients;
   submission.size = composed.size;
   submission.eightbit = composed.eightbit;
   submission.utf8_headers = composed.utf8_headers;
   submission.bcc = composed.bcc;
   submission.keep_copy = copy;
   ComposedSource source(composed);
   SubmissionResult result = sender.send(submission, source, context);
   if (sender.sent_copy() == SentCopy::appended && server_saves_sent_copy(sender.facts().host))
      result.copy_kept = true;  // Gmail's and Microsoft 365's SMTP servers keep one themselves

   std::string sent_ref, saved_note;
   bool saved = result.copy_kept;
   if (!copy && sender.sent_copy() == SentCopy::always_kept)
      saved_note = std::string("; save_copy \"never\" could not be kept: ") + sender.protocol() +
                   " keeps a copy in Sent Items of every message it sends";
   if (copy && sender.sent_copy() == SentCopy::appended && !result.copy_kept) {
      try {
         const Appended appended = session.save_sent_copy(composed, context);
         saved = true;
         sent_ref = appended.ref;
      } catch (const Failure &failure) {  // the message went out: that stands
         saved_note = std::string("; saving a copy in the sent folder failed: ") + failure.what();
         context.host().info("send: " + saved_note.substr(2));
      }
   }
   bool marked = false;
   if (answering) {
      try {  // the message went out: a mark that fails is said, not thrown
         session.mark_answered(answering->ref, answering->how, context);
         marked = true;
      } catch (const Failure &failure) {
         const std::string note = std::string("the original could not be marked ") +
                                  (answering->how == Answered::forward ? "forwarded: " : "answered: ") +
                                  failure.what();
         saved_note += "; " + note;
         context.host().info("send: " + note);
      }
   }
   JsonWriter json;
   json.string_or_null("message_id", composed.message_id).number("size", composed.size);
   json.strings("accepted", result.accepted);
   json.begin_array("refused");
   for (const RefusedRecipient &refused : result.refused)
      json.begin_element().string("address", refused.address).string("reason", refused.reason).end_object();
   json.end_array();
   json.string_or_null("sent_ref", saved ? sent_ref : "");
   json.string("copy", result.copy_kept ? "server" : saved ? "saved" : "none");
   json.string("server_said", result.server_said);
   json.number("round_trips", result.round_trips);
   if (answering) json.boolean("original_marked", marked);
   write_text(out_json, json.finish());

   std::string said = "sent " + composed.message_id + " (" + std::to_string(composed.size) + " bytes) to " +
                      std::to_string(result.accepted.size()) +
                      (result.accepted.size() == 1 ? " recipient" : " recipients");
   if (!result.refused.empty()) {
      said += "; the server refused " + std::to_string(result.refused.size()) + ":";
      for (const RefusedRecipient &refused : result.refused)
         said += " " + printable(refused.address, 100) + " (" + refused.reason + ")";
   }
   if (saved)
      said += result.copy_kept ? "; the server keeps a copy in the sent folder"
                               : "; a copy is in the sent folder";
   if (marked)
      said += answering->how == Answered::forward ? "; the original is marked forwarded"
                                                  : "; the original is marked answered";
   write_text(message, said + saved_note);
}

// The byte sources of email.send/2 put in files of their own (session/attachment_sources.h); the
// directory holding them lives as long as the call.
class SourceFiles {
 public:
   SourceFiles(OutgoingMessage &message, const rpa_byte_source *const *sources, std::size_t count,
               const CallContext &context) {
      bool any = count > 0;
      for (const OutgoingAttachment &attachment : message.attachments)
         any = any || attachment.source.has_value();
      if (!any) return;
      directory_.emplace();
      take_attachment_sources(message.attachments, sources, count, *directory_, context);
   }

 private:
   std::optional<PrivateDirectory> directory_;
};

rpa_status send_with_sources(const rpa_email_send *self, const rpa_host_services *host,
                             const char *request_json, const rpa_byte_source *const *sources,
                             std::size_t source_count, const rpa_text_sink *out_json,
                             const rpa_text_sink *message) {
   EmailSessionObject *session = EmailSessionObject::from(self);
   return session->send_call(host, message, [&](MessageSender &sender, CallContext &context) {
      OutgoingMessage request = parse_send_request(request_json);
      const bool copy = wants_copy(request.save_copy, *session, sender);
      const SourceFiles files(request, sources, source_count, context);
      ComposedMessage composed = compose_message(request, session->own_address());
      send_composed(*session, sender, composed, copy, context, out_json, message);
   });
}

rpa_status send(const rpa_email_send *self, const rpa_host_services *host, const char *request_json,
                const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return send_with_sources(self, host, request_json, nullptr, 0, out_json, message);
}

rpa_status send_raw(const rpa_email_send *self, const rpa_host_services *host, const char *data,
                    std::size_t size, const char *envelope_json, const rpa_text_sink *out_json,
                    const rpa_text_sink *message) {
   EmailSessionObject *session = EmailSessionObject::from(self);
   return session->send_call(host, message, [&](MessageSender &sender, CallContext &context) {
      if (!data || size == 0)
         throw Failure(RPA_INVALID_PROPERTIES, "the message to send is missing (no bytes)");
      const RawEnvelope envelope = parse_raw_envelope(envelope_json);
      const bool copy = wants_copy(envelope.save_copy, *session, sender);
      ComposedMessage composed =
          spool_raw_message(std::string_view(data, size), envelope, session->own_address());
      send_composed(*session, sender, composed, copy, context, out_json, message);
   });
}

std::string ref_argument(const char *ref) {
   if (!ref || !*ref) throw Failure(RPA_INVALID_PROPERTIES, "ref is missing: the message to answer");
   const std::size_t size = std::strlen(ref);
   if (size > 2048) throw Failure(RPA_INVALID_PROPERTIES, "ref is longer than 2048 bytes");
   return std::string(ref, size);
}

rpa_status reply_with_sources(const rpa_email_send *self, const rpa_host_services *host, const char *ref,
                              const char *request_json, const rpa_byte_source *const *sources,
                              std::size_t source_count, const rpa_text_sink *out_json,
                              const rpa_text_sink *message) {
   EmailSessionObject *session = EmailSessionObject::from(self);
   return session->send_call(host, message, [&](MessageSender &sender, CallContext &context) {
      const std::string which = ref_argument(ref);
      ReplyRequest request = parse_reply_request(request_json);
      const bool copy = wants_copy(request.message.save_copy, *session, sender);
      const SourceFiles files(request.message, sources, source_count, context);
      const mime::MessageFile original(
          [&](const ByteSink &sink) { session->fetch_original(which, sink, context); });
      std::vector<std::string> own;
      if (!session->own_address().empty()) own.push_back(session->own_address());
      const OutgoingMessage answer = build_reply(original, request, own);
      ComposedMessage composed = compose_message(answer, session->own_address());
      const Answering answering{which, request.all ? Answered::reply_all : Answered::reply};
      send_composed(*session, sender, composed, copy, context, out_json, message, &answering);
   });
}

rpa_status reply(const rpa_email_send *self, const rpa_host_services *host, const char *ref,
                 const char *request_json, const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return reply_with_sources(self, host, ref, request_json, nullptr, 0, out_json, message);
}

rpa_status forward_with_sources(const rpa_email_send *self, const rpa_host_services *host, const char *ref,
                                const char *request_json, const rpa_byte_source *const *sources,
                                std::size_t source_count, const rpa_text_sink *out_json,
                                const rpa_text_sink *message) {
   EmailSessionObject *session = EmailSessionObject::from(self);
   return session->send_call(host, message, [&](MessageSender &sender, CallContext &context) {
      const std::string which = ref_argument(ref);
      ForwardRequest request = parse_forward_request(request_json);
      const bool copy = wants_copy(request.message.save_copy, *session, sender);
      const SourceFiles files(request.message, sources, source_count, context);
      const mime::MessageFile original(
          [&](const ByteSink &sink) { session->fetch_original(which, sink, context); });
      const PrivateDirectory directory;  // the files the forward attaches, removed afterwards
      const OutgoingMessage forwarded = build_forward(original, request, directory);
      ComposedMessage composed = compose_message(forwarded, session->own_address());
      const Answering answering{which, Answered::forward};
      send_composed(*session, sender, composed, copy, context, out_json, message, &answering);
   });
}

rpa_status forward(const rpa_email_send *self, const rpa_host_services *host, const char *ref,
                   const char *request_json, const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return forward_with_sources(self, host, ref, request_json, nullptr, 0, out_json, message);
}

}  // namespace

bool server_saves_sent_copy(const std::string &host) {
   const std::string lower = to_lower_ascii(host);
   return lower == "smtp.gmail.com" || lower == "smtp.office365.com" || lower == "smtp-mail.outlook.com";
}

void fill_send_interface(rpa_email_send &table) {
   table.struct_size = sizeof(rpa_email_send);
   table.send = &send;
   table.send_raw = &send_raw;
   table.reply = &reply;
   table.forward = &forward;
   table.send_with_sources = &send_with_sources;
   table.reply_with_sources = &reply_with_sources;
   table.forward_with_sources = &forward_with_sources;
}

}  // namespace email
