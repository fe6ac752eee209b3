#include "outlook/outlook_client.h"

#include "util/failure.h"

namespace email {

namespace {

[[noreturn]] void not_yet(const char *what) {
   throw Failure(RPA_UNSUPPORTED,
                 std::string("Outlook: ") + what +
                     " is not implemented yet for the Outlook connection (connecting and listing "
                     "folders are); \"microsoft365\" or \"ews\" reach the same mailbox with it");
}

class OutlookMailbox final : public Mailbox {
 public:
   explicit OutlookMailbox(OutlookSession &session) : session_(session) {}

   MailboxCapabilities capabilities() const override {
      MailboxCapabilities can;
      can.flags = can.attachment_search = can.move = can.copy = can.append = can.messages = false;
      can.who = "Outlook";
      can.limits = "this version of the plugin connects to Outlook and lists its folders; messages come next";
      return can;
   }
   std::vector<FolderInfo> folders(CallContext &context) override {
      if (!folders_) folders_ = session_.folders(context);
      return *folders_;
   }
   void forget_folders() override { folders_.reset(); }
   SearchPage search(const std::string &, const SearchQuery &, CallContext &) override {
      not_yet("searching messages");
   }
   void fetch_raw(const std::string &, const ByteSink &, CallContext &) override {
      not_yet("fetching messages");
   }
   std::string delete_message(const std::string &, bool, CallContext &) override {
      not_yet("deleting messages");
   }

 private:
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
