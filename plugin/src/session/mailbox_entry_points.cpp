#include "session/mailbox_entry_points.h"

#include <cstring>

#include "mailbox/mailbox_json.h"
#include "mime/message_file.h"
#include "session/email_session_object.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxRefBytes = 2048;

std::string text_argument(const char *value, const char *name, std::size_t max_size) {
   if (!value || !*value) throw Failure(RPA_INVALID_PROPERTIES, std::string(name) + " is missing");
   const std::size_t size = std::strlen(value);
   if (size > max_size)
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string(name) + " is longer than " + std::to_string(max_size) + " bytes");
   return std::string(value, size);
}

FlagChange flag_change(int value, const char *name) {
   switch (value) {
   case RPA_FLAG_KEEP: return FlagChange::keep;
   case RPA_FLAG_SET: return FlagChange::set;
   case RPA_FLAG_CLEAR: return FlagChange::clear;
   default:
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string(name) + " must be RPA_FLAG_KEEP, RPA_FLAG_SET or RPA_FLAG_CLEAR, not " +
                        std::to_string(value));
   }
}

// The caller's byte sink as a ByteSink; marks the session's output as started.
ByteSink host_sink(const rpa_byte_sink *sink, EmailSessionObject &object, std::uint64_t &written) {
   if (!rpa_byte_sink_is_usable(sink))
      throw Failure(RPA_INVALID_PROPERTIES, "the byte sink is missing or incomplete");
   return [sink, &object, &written](std::string_view chunk) {
      if (chunk.empty()) return;
      object.mark_output_started();
      if (!sink->write(sink, chunk.data(), chunk.size()))
         throw Failure(RPA_CANCELLED,
                       "the receiver stopped the transfer after " + std::to_string(written) + " bytes");
      written += chunk.size();
   };
}

std::string count(std::uint64_t n, const char *one, const char *many) {
   return std::to_string(n) + " " + (n == 1 ? one : many);
}

rpa_status list_folders(const rpa_email_mailbox *self, const rpa_host_services *host,
                        const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      std::vector<FolderInfo> folders = client.mailbox().folders(context);
      write_text(out_json, folders_json(folders));
      write_text(message, count(folders.size(), "folder", "folders"));
   });
}

rpa_status find_folder(const rpa_email_mailbox *self, const rpa_host_services *host, const char *folder,
                       const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      FolderInfo found = client.mailbox().find_folder(text_argument(folder, "folder", 1000), context);
      write_text(out_json, folder_json(found));
      write_text(message, "\"" + found.path + "\"" + (found.role.empty() ? "" : " (" + found.role + ")"));
   });
}

rpa_status search(const rpa_email_mailbox *self, const rpa_host_services *host, const char *folder,
                  const char *query_json, const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      const std::string where = text_argument(folder, "folder", 1000);
      const SearchQuery query = parse_search_query(query_json);
      SearchPage page = client.mailbox().search(where, query, context);
      write_search_page(page, text_pieces(out_json));
      write_text(message, count(page.messages.size(), "message", "messages") + " in \"" + where + "\"" +
                              (page.total ? " (" + std::to_string(*page.total) + " matching)" : "") +
                              (page.next_cursor.empty() ? "" : "; more follow"));
   });
}

rpa_status fetch_raw(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                     const rpa_byte_sink *out, const rpa_text_sink *message) {
   EmailSessionObject *object = EmailSessionObject::from(self);
   return object->call(host, message, [&](MailClient &client, CallContext &context) {
      std::uint64_t written = 0;
      const ByteSink sink = host_sink(out, *object, written);
      client.mailbox().fetch_raw(text_argument(ref, "ref", kMaxRefBytes), sink, context);
      write_text(message, "wrote the message, " + count(written, "byte", "bytes"));
   });
}

rpa_status fetch_attachment(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                            uint32_t index, const rpa_byte_sink *out, const rpa_text_sink *out_json,
                            const rpa_text_sink *message) {
   EmailSessionObject *object = EmailSessionObject::from(self);
   return object->call(host, message, [&](MailClient &client, CallContext &context) {
      const std::string reference = text_argument(ref, "ref", kMaxRefBytes);
      std::uint64_t written = 0;
      const ByteSink sink = host_sink(out, *object, written);
      Mailbox &mailbox = client.mailbox();
      std::optional<AttachmentInfo> attachment = mailbox.fetch_attachment(reference, index, sink, context);
      if (!attachment) {  // from the whole message
         mime::MessageFile file([&](const ByteSink &spool) { mailbox.fetch_raw(reference, spool, context); });
         attachment = file.write_attachment(index, sink);
      }
      write_text(out_json, attachment_json(*attachment));
      write_text(message, "wrote \"" + attachment->name + "\", " + count(attachment->size, "byte", "bytes"));
   });
}

rpa_status fetch_bodies(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                        const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      const std::string reference = text_argument(ref, "ref", kMaxRefBytes);
      Mailbox &mailbox = client.mailbox();
      mime::MessageFile file([&](const ByteSink &spool) { mailbox.fetch_raw(reference, spool, context); });
      const auto text = file.text_body();
      const auto html = file.html_body();
      write_text(out_json, bodies_json(text, html));
      write_text(message, std::string(text ? "a text body" : "no text body") + " and " +
                              (html ? "an HTML body" : "no HTML body"));
   });
}

rpa_status set_flags(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref, int seen,
                     int flagged, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      const FlagChange seen_change = flag_change(seen, "seen");
      const FlagChange flagged_change = flag_change(flagged, "flagged");
      client.mailbox().set_flags(text_argument(ref, "ref", kMaxRefBytes), seen_change, flagged_change,
                                 context);
      write_text(message, "the flags were changed");
   });
}

rpa_status transfer(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                    const char *folder, const rpa_text_sink *out_ref, const rpa_text_sink *message,
                    bool keep) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      const std::string reference = text_argument(ref, "ref", kMaxRefBytes);
      const std::string destination = text_argument(folder, "folder", 1000);
      Mailbox &mailbox = client.mailbox();
      const std::string new_ref = keep ? mailbox.copy(reference, destination, context)
                                       : mailbox.move(reference, destination, context);
      write_text(out_ref, new_ref);
      write_text(message, std::string(keep ? "copied" : "moved") + " the message to \"" + destination + "\"" +
                              (new_ref.empty() ? " (the server does not say its new reference)" : ""));
   });
}

rpa_status move(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                const char *folder, const rpa_text_sink *out_ref, const rpa_text_sink *message) {
   return transfer(self, host, ref, folder, out_ref, message, false);
}

rpa_status copy(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                const char *folder, const rpa_text_sink *out_ref, const rpa_text_sink *message) {
   return transfer(self, host, ref, folder, out_ref, message, true);
}

rpa_status delete_message(const rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                          int permanently, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      write_text(message, client.mailbox().delete_message(text_argument(ref, "ref", kMaxRefBytes),
                                                          permanently != 0, context));
   });
}

rpa_status append(const rpa_email_mailbox *self, const rpa_host_services *host, const char *folder,
                  const char *data, size_t size, const rpa_text_sink *out_ref, const rpa_text_sink *message) {
   return EmailSessionObject::from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      const std::string destination = text_argument(folder, "folder", 1000);
      if (!data || size == 0) throw Failure(RPA_INVALID_PROPERTIES, "the message to append is empty");
      Mailbox &mailbox = client.mailbox();
      const Appended appended = mailbox.append(destination, std::string_view(data, size), context);
      write_text(out_ref, appended.ref);
      write_text(message, "stored the message (" + count(size, "byte", "bytes") + ") in \"" + destination +
                              "\"" +
                              (appended.ref.empty() ? " (the server does not say its reference)" : "") +
                              appended.note);
   });
}

}  // namespace

void fill_mailbox_interface(rpa_email_mailbox &table) {
   table.struct_size = sizeof(rpa_email_mailbox);
   table.list_folders = &list_folders;
   table.find_folder = &find_folder;
   table.search = &search;
   table.fetch_raw = &fetch_raw;
   table.fetch_attachment = &fetch_attachment;
   table.fetch_bodies = &fetch_bodies;
   table.set_flags = &set_flags;
   table.move = &move;
   table.copy = &copy;
   table.delete_message = &delete_message;
   table.append = &append;
}

}  // namespace email
