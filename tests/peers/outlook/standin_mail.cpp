#include "standin_mail.h"

#include <windows.h>
#include <oleauto.h>

#include <gmime/gmime.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "standin_events.h"

namespace standin {

namespace {

std::map<FolderNode *, std::vector<std::shared_ptr<MessageNode>>> &all_messages() {
   static auto *made = new std::map<FolderNode *, std::vector<std::shared_ptr<MessageNode>>>;
   return *made;
}

std::wstring hex(const std::wstring &text) {
   static const wchar_t digits[] = L"0123456789ABCDEF";
   std::wstring out = L"00000000D2F8B15C6E4A11D0A5B1ACDE48001122";
   for (wchar_t c : text)
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(digits[(c >> shift) & 0xF]);
   return out;
}

double date_of(GDateTime *when) {
   if (!when) return now_as_date();
   const gint64 seconds = g_date_time_to_unix(when);
   const long long ticks = (seconds + 11644473600LL) * 10000000LL;
   FILETIME file{static_cast<DWORD>(ticks & 0xFFFFFFFF), static_cast<DWORD>(ticks >> 32)};
   SYSTEMTIME utc{}, local{};
   double date = 0;
   FileTimeToSystemTime(&file, &utc);
   SystemTimeToTzSpecificLocalTime(nullptr, &utc, &local);
   SystemTimeToVariantTime(&local, &date);
   return date;
}

std::wstring text_of(const char *value) { return value ? wide(value) : L""; }

void add_recipients(MessageNode &node, InternetAddressList *list, long type) {
   const int count = list ? internet_address_list_length(list) : 0;
   for (int i = 0; i < count; ++i) {
      InternetAddress *address = internet_address_list_get_address(list, i);
      if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
      node.recipients.push_back(
          {text_of(internet_address_get_name(address)),
           text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))), type});
   }
}

std::string decoded(GMimePart *part) {
   GMimeDataWrapper *content = g_mime_part_get_content(part);
   if (!content) return "";
   GMimeStream *memory = g_mime_stream_mem_new();
   g_mime_data_wrapper_write_to_stream(content, memory);
   GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
   std::string out(reinterpret_cast<const char *>(bytes->data), bytes->len);
   g_object_unref(memory);
   return out;
}

std::string written(GMimeObject *object) {
   GMimeStream *memory = g_mime_stream_mem_new();
   g_mime_object_write_to_stream(object, nullptr, memory);
   GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
   std::string out(reinterpret_cast<const char *>(bytes->data), bytes->len);
   g_object_unref(memory);
   return out;
}

// Bodies and attachments as Outlook shows them: the first plain and HTML text that is not an
// attachment are the bodies; every other leaf, and each attached message, is an attachment.
void read_parts(MessageNode &node, GMimeObject *object, int depth) {
   if (!object || depth > 32) return;
   if (GMIME_IS_MULTIPART(object)) {
      const int count = g_mime_multipart_get_count(GMIME_MULTIPART(object));
      for (int i = 0; i < count; ++i)
         read_parts(node, g_mime_multipart_get_part(GMIME_MULTIPART(object), i), depth + 1);
      return;
   }
   GMimeContentType *type = g_mime_object_get_content_type(object);
   const std::string media = type ? g_mime_content_type_get_mime_type(type) : "text/plain";
   if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      AttachmentNode attached;
      attached.type = 5;  // olEmbeddeditem
      attached.mime_tag = L"message/rfc822";
      const char *subject = inner ? g_mime_message_get_subject(inner) : nullptr;
      attached.file_name = (subject ? wide(subject) : std::wstring(L"message")) + L".eml";
      attached.bytes = inner ? written(GMIME_OBJECT(inner)) : "";
      node.attachments.push_back(std::move(attached));
      return;
   }
   if (!GMIME_IS_PART(object)) return;
   GMimePart *part = GMIME_PART(object);
   const bool attachment = g_mime_part_is_attachment(part) || g_mime_part_get_filename(part);
   if (!attachment && GMIME_IS_TEXT_PART(object) && (media == "text/plain" || media == "text/html")) {
      std::wstring &body = media == "text/plain" ? node.body : node.html;
      if (body.empty()) {
         char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
         body = text_of(text);
         g_free(text);
         return;
      }
   }
   AttachmentNode attached;
   attached.file_name = text_of(g_mime_part_get_filename(part));
   attached.mime_tag = wide(media);
   attached.content_id = text_of(g_mime_object_get_content_id(object));
   attached.bytes = decoded(part);
   node.attachments.push_back(std::move(attached));
}

std::shared_ptr<MessageNode> read_message(FolderNode &folder, const std::filesystem::path &file) {
   std::ifstream in(file, std::ios::binary);
   std::stringstream raw;
   raw << in.rdbuf();
   const std::string bytes = raw.str();
   auto node = std::make_shared<MessageNode>();
   node->folder = &folder;
   node->entry_id = hex(folder.store->display_name + L"|" + folder.path() + L"|" + file.filename().wstring());
   node->size = static_cast<long>(bytes.size());
   std::size_t end = bytes.find("\r\n\r\n");
   if (end == std::string::npos) end = bytes.find("\n\n");
   node->transport_headers = wide(bytes.substr(0, end == std::string::npos ? bytes.size() : end));
   GMimeStream *stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
   GMimeParser *parser = g_mime_parser_new_with_stream(stream);
   GMimeMessage *message = g_mime_parser_construct_message(parser, nullptr);
   if (message) {
      node->subject = text_of(g_mime_message_get_subject(message));
      InternetAddressList *from = g_mime_message_get_from(message);
      if (from && internet_address_list_length(from) > 0) {
         InternetAddress *sender = internet_address_list_get_address(from, 0);
         node->sender_name = text_of(internet_address_get_name(sender));
         if (INTERNET_ADDRESS_IS_MAILBOX(sender))
            node->sender_address =
                text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(sender)));
         if (node->sender_name.empty()) node->sender_name = node->sender_address;
      }
      add_recipients(*node, g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), 1);
      add_recipients(*node, g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), 2);
      node->received = node->sent = date_of(g_mime_message_get_date(message));
      const char *id = g_mime_message_get_message_id(message);
      if (id) node->message_id = L"<" + wide(id) + L">";
      read_parts(*node, g_mime_message_get_mime_part(message), 0);
      g_object_unref(message);
   }
   g_object_unref(parser);
   g_object_unref(stream);
   std::filesystem::path flags = file;
   flags.replace_extension(L".flags");
   std::ifstream flag_file(flags);
   std::string flag_text((std::istreambuf_iterator<char>(flag_file)), std::istreambuf_iterator<char>());
   node->unread = flag_text.find("\\Seen") == std::string::npos;
   node->flagged = flag_text.find("\\Flagged") != std::string::npos;
   return node;
}

void collect(FolderNode &folder, const std::wstring &entry_id, std::shared_ptr<MessageNode> &found) {
   for (auto &message : messages(folder))
      if (message->entry_id == entry_id) found = message;
   for (auto &child : folder.children) collect(*child, entry_id, found);
}

}  // namespace

std::wstring wide(const std::string &text) {
   if (text.empty()) return L"";
   const int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
   std::wstring out(static_cast<std::size_t>(size), L'\0');
   MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
   return out;
}

std::string utf8(const std::wstring &text) {
   if (text.empty()) return "";
   const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0,
                                        nullptr, nullptr);
   std::string out(static_cast<std::size_t>(size), '\0');
   WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size, nullptr,
                       nullptr);
   return out;
}

double now_as_date() {
   SYSTEMTIME local{};
   GetLocalTime(&local);
   double date = 0;
   SystemTimeToVariantTime(&local, &date);
   return date;
}

std::vector<std::shared_ptr<MessageNode>> &messages(FolderNode &folder) {
   auto &known = all_messages();
   auto found = known.find(&folder);
   if (found != known.end()) return found->second;
   static const bool started = (g_mime_init(), true);
   (void)started;
   std::vector<std::filesystem::path> files;
   std::error_code error;
   for (const auto &entry : std::filesystem::directory_iterator(folder.directory, error))
      if (entry.is_regular_file() && entry.path().extension() == L".eml") files.push_back(entry.path());
   std::sort(files.begin(), files.end());
   auto &list = known[&folder];
   for (const auto &file : files) list.push_back(read_message(folder, file));
   return list;
}

std::shared_ptr<MessageNode> message_by_id(const std::wstring &entry_id) {
   std::shared_ptr<MessageNode> found;
   World &w = world();
   for (auto &store : w.stores) collect(store->root, entry_id, found);
   for (auto &[address, store] : w.shared) collect(store->root, entry_id, found);
   return found;
}

std::wstring new_entry_id(const FolderNode &folder) {
   static long counter = 0;
   return hex(folder.store->display_name + L"|new|" + std::to_wstring(++counter));
}

std::shared_ptr<MessageNode> deliver_message(FolderNode &folder, const std::filesystem::path &file) {
   auto &list = messages(folder);  // read first: it starts GMime too
   std::shared_ptr<MessageNode> message = read_message(folder, file);
   message->entry_id = new_entry_id(folder);
   message->received = now_as_date();
   list.push_back(message);
   return message;
}

void move_message(const std::shared_ptr<MessageNode> &message, FolderNode &target) {
   if (message->folder) {
      auto &from = messages(*message->folder);
      from.erase(std::remove(from.begin(), from.end(), message), from.end());
   }
   message->folder = &target;
   message->entry_id = new_entry_id(target);
   messages(target).push_back(message);
   item_added(message);
}

}  // namespace standin
