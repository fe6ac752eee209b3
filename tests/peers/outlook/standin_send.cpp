#include "standin_send.h"

#include <windows.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "standin_modes.h"
#include "standin_world.h"

namespace standin {

namespace {

constexpr HRESULT kFailed = static_cast<HRESULT>(0x80004005);  // E_FAIL, as Outlook raises these

// A JSON string of UTF-8 text.
std::string quoted(const std::string &text) {
   std::string out = "\"";
   for (const char c : text) {
      if (c == '"' || c == '\\') {
         out += '\\';
         out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
         char escaped[8];
         std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
         out += escaped;
      } else {
         out += c;
      }
   }
   return out + "\"";
}

std::string quoted(const std::wstring &text) { return quoted(utf8(text)); }

std::string hex(const std::string &bytes) {
   static const char digits[] = "0123456789abcdef";
   std::string out;
   for (const unsigned char c : bytes) {
      out += digits[c >> 4];
      out += digits[c & 15];
   }
   return out;
}

std::string recipients(const MessageNode &message, long type) {
   std::string list;
   for (const RecipientNode &recipient : message.recipients)
      if (recipient.type == type) list += std::string(list.empty() ? "" : ",") + quoted(recipient.address);
   return "[" + list + "]";
}

// The line the stand-in writes for a message it would hand to its transport.
std::string outbox_line(const MessageNode &m, const std::wstring &from) {
   std::string reply_to, attachments;
   for (const std::wstring &address : m.reply_to)
      reply_to += std::string(reply_to.empty() ? "" : ",") + quoted(address);
   for (const AttachmentNode &a : m.attachments)
      attachments += std::string(attachments.empty() ? "" : ",") + "{\"name\":" + quoted(a.file_name) +
                     ",\"size\":" + std::to_string(a.bytes.size()) +
                     ",\"content_id\":" + quoted(a.content_id) + ",\"hex\":\"" + hex(a.bytes) + "\"}";
   return "{\"subject\":" + quoted(m.subject) + ",\"from\":" + quoted(from) + ",\"to\":" + recipients(m, 1) +
          ",\"cc\":" + recipients(m, 2) + ",\"bcc\":" + recipients(m, 3) + ",\"reply_to\":[" + reply_to +
          "],\"importance\":" + std::to_string(m.importance) + ",\"body\":" + quoted(m.body) +
          ",\"html\":" + quoted(m.html) + ",\"message_id\":" + quoted(m.message_id) +
          ",\"in_reply_to\":" + quoted(m.in_reply_to) + ",\"references\":" + quoted(m.references) +
          ",\"delete_after_submit\":" + (m.delete_after_submit ? "true" : "false") + ",\"attachments\":[" +
          attachments + "]}\n";
}

class ReplyRecipientsObject final : public DispatchObject {
 public:
   explicit ReplyRecipientsObject(std::shared_ptr<MessageNode> message)
       : DispatchObject({{L"Count", Kind::property}, {L"Add", Kind::method}}), message_(std::move(message)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Count") return set_number(result, static_cast<long>(message_->reply_to.size()));
      message_->reply_to.push_back(arguments.text(0));
      set_number(result, static_cast<long>(message_->reply_to.size()));  // (a Recipient in Outlook)
   }

 private:
   std::shared_ptr<MessageNode> message_;
};

}  // namespace

DispatchObject *new_reply_recipients(std::shared_ptr<MessageNode> message) {
   return new ReplyRecipientsObject(std::move(message));
}

void send_message(const std::shared_ptr<MessageNode> &message) {
   guarded();  // a protected member
   MessageNode &m = *message;
   if (m.recipients.empty())
      throw Raised{kFailed, L"There must be at least one name or contact group in the To, Cc, or Bcc box."};
   for (const RecipientNode &recipient : m.recipients)
      if (recipient.address.find(L'@') == std::wstring::npos)
         throw Raised{kFailed, L"Outlook does not recognize one or more names. "};
   World &w = world();
   const std::wstring from = m.sent_on_behalf_of.empty() ? w.user_address : m.sent_on_behalf_of;
   static long sent_count = 0;
   if (m.message_id.empty()) m.message_id = L"<standin-" + std::to_wstring(++sent_count) + L"@outlook.test>";
   const std::wstring outbox = environment(L"RPA_OUTLOOK_STANDIN_OUTBOX");
   if (!outbox.empty()) {
      std::ofstream out(std::filesystem::path(outbox), std::ios::binary | std::ios::app);
      out << outbox_line(m, from);
   }
   m.sender_name = m.sent_on_behalf_of.empty() ? w.user_name : m.sent_on_behalf_of;
   m.sender_address = from;
   m.sent = m.received = now_as_date();
   m.unread = false;
   if (m.delete_after_submit) {
      if (!m.entry_id.empty()) {
         auto &list = messages(*m.folder);
         list.erase(std::remove(list.begin(), list.end(), message), list.end());
      }
      m.folder = nullptr;  // gone: the item answers "moved or deleted" from now on
      return;
   }
   move_message(message, default_folder(*m.folder->store, 5));  // olFolderSentMail
}

}  // namespace standin
