#include "outlook/outlook_client.h"

#include <cstdio>
#include <memory>

#include "mime/header_summary.h"
#include "mime/message_file.h"
#include "outlook/outlook_items.h"
#include "outlook/outlook_mime.h"
#include "outlook/outlook_ref.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/text.h"

namespace email {

namespace {

// Outlook's To and CC properties: "Name <address>; ...".
std::string address_line(const std::vector<MailAddress> &addresses) {
   std::string line;
   for (const MailAddress &address : addresses) {
      if (!line.empty()) line += "; ";
      line += address.name.empty() ? address.address : address.name + " <" + address.address + ">";
   }
   return line;
}

std::shared_ptr<PrivateDirectory> private_directory() {
   try {
      return std::make_shared<PrivateDirectory>();
   } catch (const std::runtime_error &error) {
      throw Failure(RPA_INTERNAL,
                    std::string("Outlook: no private directory for the attachments: ") + error.what());
   }
}

class OutlookMailbox final : public Mailbox {
 public:
   explicit OutlookMailbox(OutlookSession &session) : session_(session) {}

   MailboxCapabilities capabilities() const override {
      MailboxCapabilities can;
      can.who = "Outlook";
      return can;
   }
   std::vector<FolderInfo> folders(CallContext &context) override {
      if (!folders_) folders_ = session_.folders(context);
      return *folders_;
   }
   void forget_folders() override { folders_.reset(); }

   SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) override {
      const FolderInfo found = find_folder(folder, context);
      return session_.run(context, "Outlook to search the folder", [found, query](OutlookState &state) {
         return outlook_items::search(state, found, query);
      });
   }

   void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) override {
      const OutlookRef parsed = parse(ref);
      // Outlook saves the attachments by name; the directory lives as long as the task does.
      auto directory = private_directory();
      const OutlookItemContent content =
          session_.run(context, "Outlook to read the message", [parsed, directory](OutlookState &state) {
             return outlook_items::content(state, parsed, *directory);
          });
      write_outlook_message(content, sink);
   }

   void set_flags(const std::string &ref, FlagChange seen, FlagChange flagged,
                  CallContext &context) override {
      const OutlookRef parsed = parse(ref);
      session_.run(context, "Outlook to mark the message", [parsed, seen, flagged](OutlookState &state) {
         outlook_items::set_flags(state, parsed, seen, flagged);
      });
   }
   std::string move(const std::string &ref, const std::string &folder, CallContext &context) override {
      return transfer(ref, folder, false, context);
   }
   std::string copy(const std::string &ref, const std::string &folder, CallContext &context) override {
      return transfer(ref, folder, true, context);
   }
   std::string delete_message(const std::string &ref, bool permanently, CallContext &context) override {
      const OutlookRef parsed = parse(ref);
      return session_.run(context, "Outlook to delete the message",
                          [parsed, permanently](OutlookState &state) {
                             return outlook_items::remove(state, parsed, permanently);
                          });
   }

   Appended append(const std::string &folder, std::string_view message, CallContext &context) override {
      const FolderInfo destination = find_folder(folder, context);
      // What the object model lets a program set on a new item, read from the message by GMime.
      mime::MessageFile parsed([&](const ByteSink &sink) { sink(message); });
      const mime::HeaderSummary header = mime::summarize_message(parsed.message());
      outlook_items::NewItem item;
      item.subject = header.subject;
      item.to = address_line(header.to);
      item.cc = address_line(header.cc);
      item.text = parsed.text_body();
      item.html = parsed.html_body();
      auto directory = private_directory();
      for (const AttachmentInfo &attachment : parsed.attachments()) {
         const std::string path = directory->file(std::to_string(attachment.index));
         std::string error;
         std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(open_new_file_for_writing(path, error),
                                                               &std::fclose);
         if (!file)
            throw Failure(RPA_INTERNAL, "Outlook: an attachment cannot be written for Outlook: " + error);
         parsed.write_attachment(attachment.index, [&](std::string_view chunk) {
            if (std::fwrite(chunk.data(), 1, chunk.size(), file.get()) != chunk.size())
               throw Failure(RPA_INTERNAL, "Outlook: an attachment cannot be written for Outlook");
         });
         if (std::fflush(file.get()) != 0)
            throw Failure(RPA_INTERNAL, "Outlook: an attachment cannot be written");
         item.attachments.emplace_back(path, attachment.name.empty() ? "attachment" : attachment.name);
      }
      const std::string folder_id = destination.wire_name;
      Appended appended;
      appended.ref = session_.run(context, "Outlook to store the message",
                                  [folder_id, item, directory](OutlookState &state) {
                                     return outlook_items::add(state, folder_id, item);
                                  });
      appended.note =
          "; Outlook's object model stores a new message as an unsent one, so Outlook shows it as a draft, "
          "with the session's own sender and the time it was stored";
      return appended;
   }

 private:
   static OutlookRef parse(const std::string &ref) {
      std::optional<OutlookRef> parsed = parse_outlook_ref(ref);
      if (!parsed)
         throw Failure(RPA_INVALID_PROPERTIES, "ref: \"" + printable(ref, 80) +
                                                   "\" is not a message reference from an Outlook session");
      return *parsed;
   }
   std::string transfer(const std::string &ref, const std::string &folder, bool copy, CallContext &context) {
      const OutlookRef parsed = parse(ref);
      const std::string folder_id = find_folder(folder, context).wire_name;
      return session_.run(context, copy ? "Outlook to copy the message" : "Outlook to move the message",
                          [parsed, folder_id, copy](OutlookState &state) {
                             return outlook_items::transfer(state, parsed, folder_id, copy);
                          });
   }

   OutlookSession &session_;
   std::optional<std::vector<FolderInfo>> folders_;
};

class OutlookClient final : public MailClient {
 public:
   explicit OutlookClient(std::unique_ptr<OutlookSession> session)
       : session_(std::move(session)), mailbox_(*session_) {}

   const char *protocol() const override { return "Outlook"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   ConnectionFacts facts() const override {
      const OutlookFacts &outlook = session_->facts();
      ConnectionFacts facts;
      facts.host = "Outlook";
      facts.server_version = outlook.version;
      facts.login_method = "MAPI profile \"" + outlook.profile + "\"";
      facts.mailbox = outlook.mailbox;
      facts.transport = "through Outlook's object model";
      return facts;
   }
   void noop(CallContext &context) override { session_->noop(context); }
   void logout(CallContext &) override { session_->close(); }  // Outlook itself keeps running
   Mailbox &mailbox() override { return mailbox_; }

 private:
   std::unique_ptr<OutlookSession> session_;
   OutlookMailbox mailbox_;
   std::vector<std::string> capabilities_;
};

}  // namespace

std::unique_ptr<MailClient> make_outlook_client(std::unique_ptr<OutlookSession> session) {
   return std::make_unique<OutlookClient>(std::move(session));
}

}  // namespace email
