// The stand-in's mail items: Items, MailItem, Recipients, Recipient, Attachments, Attachment and
// PropertyAccessor, with the members the plugin uses (Microsoft's Outlook VBA reference).
#include <windows.h>
#include <ocidl.h>

#include <algorithm>
#include <cwctype>
#include <functional>
#include <fstream>
#include <sstream>

#include "standin_dasl.h"
#include "standin_events.h"
#include "standin_mail.h"
#include "standin_modes.h"
#include "standin_objects.h"
#include "standin_send.h"

namespace standin {

namespace {

constexpr HRESULT kMapiNotFound = static_cast<HRESULT>(0x8004010F);

[[noreturn]] void gone() { throw Raised{kMapiNotFound, L"The item has been moved or deleted."}; }

[[noreturn]] void no_property(const std::wstring &name) {
   throw Raised{kMapiNotFound, L"The property \"" + name + L"\" is unknown or cannot be found."};
}

std::wstring lower(std::wstring text) {
   for (wchar_t &c : text) c = static_cast<wchar_t>(std::towlower(c));
   return text;
}

// PropertyAccessor over one value map.
class PropertyAccessorObject final : public DispatchObject {
 public:
   using Lookup = std::function<bool(const std::wstring &schema, VARIANT &result)>;
   // Sets the property from the text given; false when it is not one a program may set.
   using Store = std::function<bool(const std::wstring &schema, const std::wstring &value)>;
   explicit PropertyAccessorObject(Lookup lookup, Store store = nullptr)
       : DispatchObject({{L"GetProperty", Kind::method}, {L"SetProperty", Kind::method}}),
         lookup_(std::move(lookup)),
         store_(std::move(store)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      const std::wstring schema = arguments.text(0);
      if (name == L"GetProperty") {
         if (!lookup_(lower(schema), result)) no_property(schema);
         return;
      }
      if (!store_ || !store_(lower(schema), arguments.text(1)))
         throw Raised{E_INVALIDARG, L"The property \"" + schema + L"\" cannot be set."};
   }

 private:
   Lookup lookup_;
   Store store_;
};

const wchar_t kTransportHeaders[] = L"http://schemas.microsoft.com/mapi/proptag/0x007d001f";
const wchar_t kMessageId[] = L"http://schemas.microsoft.com/mapi/proptag/0x1035001f";
const wchar_t kLastVerb[] = L"http://schemas.microsoft.com/mapi/proptag/0x10810003";
const wchar_t kMimeTag[] = L"http://schemas.microsoft.com/mapi/proptag/0x370e001f";
const wchar_t kContentId[] = L"http://schemas.microsoft.com/mapi/proptag/0x3712001f";
const wchar_t kIconIndex[] = L"http://schemas.microsoft.com/mapi/proptag/0x10800003";
const wchar_t kInReplyTo[] = L"http://schemas.microsoft.com/mapi/proptag/0x1042001f";
const wchar_t kReferences[] = L"http://schemas.microsoft.com/mapi/proptag/0x1039001f";

class AttachmentObject final : public DispatchObject {
 public:
   AttachmentObject(std::shared_ptr<MessageNode> message, std::size_t index)
       : DispatchObject({{L"FileName", Kind::property},
                         {L"DisplayName", Kind::property},
                         {L"Size", Kind::property},
                         {L"Type", Kind::property},
                         {L"Index", Kind::property},
                         {L"SaveAsFile", Kind::method},
                         {L"PropertyAccessor", Kind::property}}),
         message_(std::move(message)),
         index_(index) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (index_ >= message_->attachments.size()) gone();
      const AttachmentNode &attachment = message_->attachments[index_];
      if (name == L"FileName" || name == L"DisplayName") return set_text(result, attachment.file_name);
      if (name == L"Size") return set_number(result, static_cast<long>(attachment.bytes.size()));
      if (name == L"Type") return set_number(result, attachment.type);
      if (name == L"Index") return set_number(result, static_cast<long>(index_ + 1));
      if (name == L"SaveAsFile") {
         guarded();  // Attachment.SaveAsFile is a protected member
         std::ofstream out(std::filesystem::path(arguments.text(0)), std::ios::binary | std::ios::trunc);
         out.write(attachment.bytes.data(), static_cast<std::streamsize>(attachment.bytes.size()));
         if (!out)
            throw Raised{E_FAIL, L"Cannot save the attachment. Cannot create file: " + arguments.text(0)};
         return;
      }
      if (name == L"PropertyAccessor") {
         auto message = message_;
         const std::size_t index = index_;
         return set_object(result,
                           new PropertyAccessorObject(
                               [message, index](const std::wstring &schema, VARIANT &out) {
                                  const AttachmentNode &a = message->attachments.at(index);
                                  if (schema == kMimeTag && !a.mime_tag.empty())
                                     return set_text(out, a.mime_tag), true;
                                  if (schema == kContentId && !a.content_id.empty())
                                     return set_text(out, a.content_id), true;
                                  return false;
                               },
                               [message, index](const std::wstring &schema, const std::wstring &value) {
                                  if (schema != kContentId) return false;
                                  message->attachments.at(index).content_id = value;
                                  return true;
                               }));
      }
   }

 private:
   std::shared_ptr<MessageNode> message_;
   std::size_t index_;
};

class AttachmentsObject final : public DispatchObject {
 public:
   explicit AttachmentsObject(std::shared_ptr<MessageNode> message)
       : DispatchObject({{L"Count", Kind::property}, {L"Item", Kind::method}, {L"Add", Kind::method}}),
         message_(std::move(message)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Count") return set_number(result, static_cast<long>(message_->attachments.size()));
      if (name == L"Item") {
         const long index = arguments.number(0);
         if (index < 1 || static_cast<std::size_t>(index) > message_->attachments.size())
            throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
         return set_object(result, new AttachmentObject(message_, static_cast<std::size_t>(index) - 1));
      }
      // Add(Source, Type, Position, DisplayName): a file by path.
      const std::filesystem::path source(arguments.text(0));
      std::ifstream in(source, std::ios::binary);
      if (!in) throw Raised{E_FAIL, L"Cannot find this file. Verify the path and file name are correct."};
      std::stringstream bytes;
      bytes << in.rdbuf();
      AttachmentNode attachment;
      attachment.bytes = bytes.str();
      attachment.file_name = arguments.given(3) ? arguments.text(3) : source.filename().wstring();
      message_->attachments.push_back(std::move(attachment));
      set_object(result, new AttachmentObject(message_, message_->attachments.size() - 1));
   }

 private:
   std::shared_ptr<MessageNode> message_;
};

class ItemRecipientObject final : public DispatchObject {
 public:
   explicit ItemRecipientObject(RecipientNode recipient)
       : DispatchObject({{L"Name", Kind::property}, {L"Address", Kind::property}, {L"Type", Kind::property}}),
         recipient_(std::move(recipient)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &, VARIANT &result) override {
      if (name == L"Name")
         return set_text(result, recipient_.name.empty() ? recipient_.address : recipient_.name);
      if (name == L"Address") {
         guarded();  // Recipient.Address is a protected member
         return set_text(result, recipient_.address);
      }
      if (name == L"Type") return set_number(result, recipient_.type);
   }

 private:
   RecipientNode recipient_;
};

class RecipientsObject final : public DispatchObject {
 public:
   explicit RecipientsObject(std::shared_ptr<MessageNode> message)
       : DispatchObject({{L"Count", Kind::property}, {L"Item", Kind::method}}),
         message_(std::move(message)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Count") return set_number(result, static_cast<long>(message_->recipients.size()));
      const long index = arguments.number(0);
      if (index < 1 || static_cast<std::size_t>(index) > message_->recipients.size())
         throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
      set_object(result, new ItemRecipientObject(message_->recipients[static_cast<std::size_t>(index) - 1]));
   }

 private:
   std::shared_ptr<MessageNode> message_;
};

// "Name <address>; address" as Outlook's To and CC take them.
void set_recipients(MessageNode &message, const std::wstring &line, long type) {
   message.recipients.erase(std::remove_if(message.recipients.begin(), message.recipients.end(),
                                           [type](const RecipientNode &r) { return r.type == type; }),
                            message.recipients.end());
   std::size_t start = 0;
   while (start < line.size()) {
      std::size_t end = line.find(L';', start);
      if (end == std::wstring::npos) end = line.size();
      std::wstring entry = line.substr(start, end - start);
      start = end + 1;
      while (!entry.empty() && entry.front() == L' ') entry.erase(entry.begin());
      while (!entry.empty() && entry.back() == L' ') entry.pop_back();
      if (entry.empty()) continue;
      RecipientNode recipient;
      recipient.type = type;
      const std::size_t open = entry.find(L'<'), close = entry.rfind(L'>');
      if (open != std::wstring::npos && close != std::wstring::npos && close > open) {
         recipient.address = entry.substr(open + 1, close - open - 1);
         recipient.name = entry.substr(0, open);
         while (!recipient.name.empty() && recipient.name.back() == L' ') recipient.name.pop_back();
      } else {
         recipient.address = entry;
      }
      message.recipients.push_back(std::move(recipient));
   }
}

class MailItemObject final : public DispatchObject {
 public:
   explicit MailItemObject(std::shared_ptr<MessageNode> message)
       : DispatchObject({{L"Class", Kind::property},
                         {L"MessageClass", Kind::property},
                         {L"EntryID", Kind::property},
                         {L"Parent", Kind::property},
                         {L"Subject", Kind::property},
                         {L"SenderName", Kind::property},
                         {L"SenderEmailAddress", Kind::property},
                         {L"SenderEmailType", Kind::property},
                         {L"To", Kind::property},
                         {L"CC", Kind::property},
                         {L"Recipients", Kind::property},
                         {L"ReceivedTime", Kind::property},
                         {L"SentOn", Kind::property},
                         {L"Size", Kind::property},
                         {L"UnRead", Kind::property},
                         {L"FlagStatus", Kind::property},
                         {L"BodyFormat", Kind::property},
                         {L"Body", Kind::property},
                         {L"HTMLBody", Kind::property},
                         {L"Attachments", Kind::property},
                         {L"PropertyAccessor", Kind::property},
                         {L"MarkAsTask", Kind::method},
                         {L"ClearTaskFlag", Kind::method},
                         {L"Save", Kind::method},
                         {L"Move", Kind::method},
                         {L"Copy", Kind::method},
                         {L"Delete", Kind::method},
                         {L"BCC", Kind::property},
                         {L"ReplyRecipients", Kind::property},
                         {L"Importance", Kind::property},
                         {L"DeleteAfterSubmit", Kind::property},
                         {L"SentOnBehalfOfName", Kind::property},
                         {L"Send", Kind::method}}),
         message_(std::move(message)) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      MessageNode &m = *message_;
      if (!m.folder) gone();
      if (name == L"Class") return set_number(result, 43);  // olMail
      if (name == L"MessageClass") return set_text(result, L"IPM.Note");
      if (name == L"EntryID") return set_text(result, m.entry_id);
      if (name == L"Parent") return set_object(result, new_folder(*m.folder));
      if (name == L"Subject") return set_text(result, m.subject);
      if (name == L"Subject=") return void(m.subject = arguments.text(0));
      if (name == L"SenderName") return set_text(result, m.sender_name);
      if (name == L"SenderEmailAddress") {
         guarded();  // a protected member
         return set_text(result, m.sender_address);
      }
      if (name == L"SenderEmailType") return set_text(result, L"SMTP");
      if (name == L"To=") return set_recipients(m, arguments.text(0), 1);
      if (name == L"CC=") return set_recipients(m, arguments.text(0), 2);
      if (name == L"BCC=") return set_recipients(m, arguments.text(0), 3);
      if (name == L"ReplyRecipients") return set_object(result, new_reply_recipients(message_));
      if (name == L"Importance") return set_number(result, m.importance);
      if (name == L"Importance=") return void(m.importance = arguments.number(0));
      if (name == L"DeleteAfterSubmit") return set_boolean(result, m.delete_after_submit);
      if (name == L"DeleteAfterSubmit=") return void(m.delete_after_submit = arguments.boolean(0));
      if (name == L"SentOnBehalfOfName") return set_text(result, m.sent_on_behalf_of);
      if (name == L"SentOnBehalfOfName=") return void(m.sent_on_behalf_of = arguments.text(0));
      if (name == L"Send") return send_message(message_);
      if (name == L"Recipients") return set_object(result, new RecipientsObject(message_));
      if (name == L"ReceivedTime") return set_date(result, m.received);
      if (name == L"SentOn") return set_date(result, m.sent);
      if (name == L"Size") return set_number(result, m.size);
      if (name == L"UnRead") return set_boolean(result, m.unread);
      if (name == L"UnRead=") return void(m.unread = arguments.boolean(0));
      if (name == L"FlagStatus") return set_number(result, m.flagged ? 2 : 0);
      if (name == L"BodyFormat")
         return set_number(result, m.html.empty() ? 1 : 2);  // olFormatPlain, olFormatHTML
      if (name == L"Body") {
         guarded();
         return set_text(result, m.body);
      }
      if (name == L"Body=") return void(m.body = arguments.text(0));
      if (name == L"HTMLBody") {
         guarded();
         return set_text(result, m.html);
      }
      if (name == L"HTMLBody=") return void(m.html = arguments.text(0));
      if (name == L"Attachments") return set_object(result, new AttachmentsObject(message_));
      if (name == L"PropertyAccessor") {
         auto message = message_;
         return set_object(result,
                           new PropertyAccessorObject(
                               [message](const std::wstring &schema, VARIANT &out) {
                                  if (schema == kTransportHeaders && !message->transport_headers.empty())
                                     return set_text(out, message->transport_headers), true;
                                  if (schema == kMessageId && !message->message_id.empty())
                                     return set_text(out, message->message_id), true;
                                  if (schema == kLastVerb && message->last_verb)
                                     return set_number(out, message->last_verb), true;
                                  return false;
                               },
                               [message](const std::wstring &schema, const std::wstring &value) {
                                  if (schema == kLastVerb) return message->last_verb = std::stol(value), true;
                                  if (schema == kIconIndex)
                                     return message->icon_index = std::stol(value), true;
                                  if (schema == kMessageId) return message->message_id = value, true;
                                  if (schema == kInReplyTo) return message->in_reply_to = value, true;
                                  if (schema == kReferences) return message->references = value, true;
                                  return false;
                               }));
      }
      if (name == L"MarkAsTask") return void(m.flagged = true);
      if (name == L"ClearTaskFlag") return void(m.flagged = false);
      if (name == L"Save") {
         if (m.entry_id.empty()) {
            m.entry_id = new_entry_id(*m.folder);
            m.size = static_cast<long>((m.subject.size() + m.body.size() + m.html.size()) * 2);
            for (const AttachmentNode &attachment : m.attachments)
               m.size += static_cast<long>(attachment.bytes.size());
            messages(*m.folder).push_back(message_);
            item_added(message_);
         }
         return;
      }
      if (name == L"Move") {
         FolderNode *target = folder_of(arguments.object(0));
         if (!target) throw Raised{DISP_E_TYPEMISMATCH, L"Type mismatch."};
         move_message(message_, *target);
         return set_object(result, new MailItemObject(message_));
      }
      if (name == L"Copy") {
         auto copy = std::make_shared<MessageNode>(m);
         copy->folder = nullptr;
         move_message(copy, *m.folder);
         return set_object(result, new MailItemObject(copy));
      }
      if (name == L"Delete") {
         FolderNode &trash = default_folder(*m.folder->store, 3);
         if (m.folder == &trash) {
            auto &list = messages(trash);
            list.erase(std::remove(list.begin(), list.end(), message_), list.end());
            m.folder = nullptr;
         } else {
            move_message(message_, trash);
         }
         return;
      }
   }

 private:
   std::shared_ptr<MessageNode> message_;
};

// Folder.Items: live over the folder's messages; Restrict gives a filtered one, Sort orders it.
class ItemsObject final : public DispatchObject {
 public:
   ItemsObject(FolderNode &folder, std::wstring filter)
       : DispatchObject({{L"Count", Kind::property},
                         {L"Item", Kind::method},
                         {L"Restrict", Kind::method},
                         {L"Sort", Kind::method},
                         {L"Add", Kind::method}}),
         folder_(folder),
         filter_(std::move(filter)) {}

   // Items answer IConnectionPointContainer too: their ItemsEvents (standin_events.h).
   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IConnectionPointContainer) return offer_items_events(folder_, this, object);
      return DispatchObject::QueryInterface(iid, object);
   }

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Count") return set_number(result, static_cast<long>(listed().size()));
      if (name == L"Item") {
         const auto list = listed();
         const long index = arguments.number(0);
         if (index < 1 || static_cast<std::size_t>(index) > list.size())
            throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
         return set_object(result, new MailItemObject(list[static_cast<std::size_t>(index) - 1]));
      }
      if (name == L"Restrict") {
         const std::wstring filter = arguments.text(0);
         for (const auto &message : messages(folder_)) passes(filter, *message);  // a bad filter raises now
         auto *restricted = new ItemsObject(folder_, filter);
         restricted->sort_ = sort_;
         restricted->descending_ = descending_;
         return set_object(result, restricted);
      }
      if (name == L"Sort") {
         const std::wstring property = lower(arguments.text(0));
         if (property != L"[receivedtime]")
            throw Raised{E_INVALIDARG,
                         L"The property \"" + arguments.text(0) + L"\" cannot be used to sort."};
         sort_ = true;
         descending_ = arguments.given(1) && arguments.boolean(1);
         return;
      }
      if (name == L"Add") {
         if (arguments.given(0) && arguments.number(0) != 0)
            throw Raised{E_INVALIDARG, L"Only mail items (olMailItem)."};
         auto message = std::make_shared<MessageNode>();
         World &w = world();
         message->folder = &folder_;
         message->sender_name = w.user_name;
         message->sender_address = w.user_address;
         message->received = message->sent = now_as_date();
         message->unread = false;
         return set_object(result, new MailItemObject(message));
      }
   }

 private:
   std::vector<std::shared_ptr<MessageNode>> listed() const {
      std::vector<std::shared_ptr<MessageNode>> list;
      for (const auto &message : messages(folder_))
         if (filter_.empty() || passes(filter_, *message)) list.push_back(message);
      if (sort_)
         std::stable_sort(list.begin(), list.end(), [this](const auto &a, const auto &b) {
            return descending_ ? a->received > b->received : a->received < b->received;
         });
      return list;
   }

   FolderNode &folder_;
   std::wstring filter_;
   bool sort_ = false, descending_ = false;
};

}  // namespace

DispatchObject *new_items(FolderNode &folder) { return new ItemsObject(folder, L""); }

DispatchObject *new_mail_item(std::shared_ptr<MessageNode> message) {
   return new MailItemObject(std::move(message));
}

}  // namespace standin
