#include "outlook/outlook_client.h"

#include <cstdio>
#include <memory>
#include <set>

#include "mime/message_file.h"
#include "mailbox/signalled_listener.h"
#include "outlook/outlook_arrivals.h"
#include "outlook/outlook_items.h"
#include "outlook/outlook_mime.h"
#include "outlook/outlook_new_item.h"
#include "outlook/outlook_sender.h"
#include "outlook/outlook_ref.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/text.h"

namespace email {

namespace {

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
      auto directory = outlook_private_directory();
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

   void mark_answered(const std::string &ref, Answered how, CallContext &context) override {
      const OutlookRef parsed = parse(ref);
      session_.run(context, "Outlook to mark the message answered",
                   [parsed, how](OutlookState &state) { outlook_items::mark_answered(state, parsed, how); });
   }

   Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                     CallContext &context) override {
      const FolderInfo found = find_folder(folder, context);
      require_filters(filter);
      std::optional<OutlookCursor> from;
      if (!cursor.empty()) from = OutlookCursor::parse(cursor);
      return session_.run(context, "Outlook to look for new mail",
                          [found, from, filter](OutlookState &state) {
                             return outlook_items::arrivals(state, found, from, filter);
                          });
   }

   // Told by Items.ItemAdd; a folder whose Items offer no events is polled, with a warning.
   std::unique_ptr<ChangeListener> listen(const std::string &folder, std::chrono::milliseconds,
                                          std::chrono::milliseconds poll, CallContext &context) override {
      const FolderInfo found = find_folder(folder, context);
      if (silent_folders_.count(found.wire_name)) return nullptr;  // refused before: polled, warned once
      auto signal = std::make_shared<ChangeSignal>();
      const std::string refused = session_.run(context, "Outlook to tell of new mail",
                                               [id = found.wire_name, signal](OutlookState &state) {
                                                  return outlook_items::listen(state, id, signal);
                                               });
      if (refused.empty()) return std::make_unique<SignalledListener>(signal, "Outlook's ItemAdd event");
      silent_folders_.insert(found.wire_name);
      context.host().warning("Outlook does not tell of new items in \"" + found.path + "\" (" + refused +
                             "); waits on this session ask Outlook every " +
                             std::to_string(poll.count() / 1000) + " s instead (poll_seconds)");
      return nullptr;
   }

   Appended append(const std::string &folder, std::string_view message, CallContext &context) override {
      const FolderInfo destination = find_folder(folder, context);
      mime::MessageFile parsed([&](const ByteSink &sink) { sink(message); });
      auto directory = outlook_private_directory();
      const OutlookNewItem item = outlook_new_item(parsed, *directory);
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
   std::set<std::string> silent_folders_;  // EntryIDs of folders whose Items refused to tell (polled)
};

class OutlookClient final : public MailClient {
 public:
   explicit OutlookClient(std::unique_ptr<OutlookSession> session)
       : session_(std::move(session)), mailbox_(*session_) {}

   const char *protocol() const override { return "Outlook"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   ConnectionFacts facts() const override { return outlook_connection_facts(*session_); }
   void noop(CallContext &context) override { session_->noop(context); }
   void logout(CallContext &) override { session_->close(); }  // Outlook itself keeps running
   Mailbox &mailbox() override { return mailbox_; }
   MessageSender *sender() override { return &sender_; }

 private:
   std::unique_ptr<OutlookSession> session_;
   OutlookMailbox mailbox_;
   OutlookSender sender_{*session_};
   std::vector<std::string> capabilities_;
};

}  // namespace

std::unique_ptr<MailClient> make_outlook_client(std::unique_ptr<OutlookSession> session) {
   return std::make_unique<OutlookClient>(std::move(session));
}

}  // namespace email
