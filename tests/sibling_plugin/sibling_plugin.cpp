// A sibling plugin built only for tests. It knows nothing of the Email plugin but its ABI
// headers: it fetches a session from the host by name and works through the "email.session/1"
// and "email.mailbox/1" interfaces, proving a separately built plugin can do real work on every
// connection type with one piece of code.
//
// Actions (each takes session_name, default "Default"):
//   Sibling.ListFolders    {} -> {"folders": ["INBOX", ...]}                 (email.session/1)
//   Sibling.Info           {} -> the session's info, as it gives it          (email.session/1)
//   Sibling.MailboxFolders {} -> list_folders' answer: {"folders": [{"path", "name", "role",
//                           "selectable"}]}                                   (email.mailbox/1)
//   Sibling.FindFolder     {folder} (a role or a path) -> find_folder's answer {"path", "name", "role"}
//   Sibling.ListMessages   {folder = "inbox", unseen_only, seen, flagged, since, before, from, to,
//                           subject_contains, limit, order, has_attachments, cursor}
//                          -> {"messages": [{"ref", "folder", "subject", "from", "date", "size", "seen",
//                              "flagged", "answered", "attachments": [{"name", "size", "content_type"}]}],
//                              "next_cursor", "total"}
//   Sibling.Fetch          {ref, file} writes the raw message to file -> {"file", "size"}
//   Sibling.SaveAttachments {ref, directory} -> {"saved": [paths]}
//   Sibling.ReadBodies     {ref} -> {"text", "html"}
//   Sibling.SetFlags       {ref, seen, flagged} (booleans; absent = unchanged)
//   Sibling.Move           {ref, folder} -> {"ref"};  Sibling.Copy {ref, folder} -> {"ref"}
//   Sibling.Delete         {ref, permanently}
//   Sibling.Append         {folder, file} -> {"ref"}
//   Sibling.Send           {message: the send request, as email_send.h, sources: [{text, repeat,
//                           fail_after}]: byte sources the message's attachments name} -> send's answer
//   Sibling.SendRaw        {file, envelope} -> send_raw's answer                 (email.send/1)
//   Sibling.Reply          {ref, message} -> reply's answer;  Sibling.Forward {ref, message}
//   Sibling.Wait           {folder, cursor, timeout_seconds, from, subject_contains, poll_seconds}
//                          -> {"messages": [...], "cursor", "cursor_reset"}          (email.watch/1)
// Files are written to a temporary name in the target directory and renamed into place, so a
// reader never sees half a file.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <rpa_common/json.h>  // header-only: the host's one bounded JSON reader (no link)

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "rpa/rpa.h"

namespace {

// --- small helpers -------------------------------------------------------------------------------

struct ActionError : std::runtime_error {
   ActionError(rpa_status s, const std::string &message) : std::runtime_error(message), status(s) {}
   rpa_status status;
};

void write(const rpa_text_sink *sink, const std::string &text) {
   if (rpa_text_sink_is_usable(sink)) sink->append(sink, text.data(), text.size());
}

void append_to_string(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<std::string *>(sink->sink_data)->append(data, size);
}

struct TextOut {
   std::string text;
   rpa_text_sink sink{sizeof(rpa_text_sink), &text, &append_to_string};
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer &w, const std::string &s) {
   w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// The property bag, with typed getters that name the field in their errors.
class Bag {
 public:
   Bag(const char *json, size_t size) {
      if (!rpa::parse_json(doc_, json, size) || !doc_.IsObject())
         throw ActionError(RPA_INVALID_PROPERTIES, "invalid properties: not a JSON object");
   }
   bool has(const char *name) const { return doc_.HasMember(name) && !doc_[name].IsNull(); }
   std::string string(const char *name, const std::string &fallback = "") const {
      if (!has(name)) return fallback;
      if (!doc_[name].IsString())
         throw ActionError(RPA_INVALID_PROPERTIES, std::string(name) + " must be a string");
      return doc_[name].GetString();
   }
   std::string required(const char *name) const {
      const std::string value = string(name);
      if (value.empty()) throw ActionError(RPA_INVALID_PROPERTIES, std::string(name) + " is required");
      return value;
   }
   bool boolean(const char *name, bool fallback = false) const {
      if (!has(name)) return fallback;
      if (!doc_[name].IsBool())
         throw ActionError(RPA_INVALID_PROPERTIES, std::string(name) + " must be true or false");
      return doc_[name].GetBool();
   }
   const rapidjson::Value *get(const char *name) const { return has(name) ? &doc_[name] : nullptr; }

 private:
   rapidjson::Document doc_;
};

// The session under `name` as interface `T` (released when this goes).
template <typename T>
class Held {
 public:
   Held(const rpa_host_services *host, const std::string &name, const char *interface_name,
        unsigned revision) {
      const rpa_session_handle *handle = nullptr;
      rpa_status status = host->session_get(host->host_data, name.c_str(), interface_name, revision, &handle);
      if (status != RPA_OK)
         throw ActionError(status, "no email session named \"" + name + "\" offers " + interface_name + " (" +
                                       rpa_status_name(status) + ")");
      handle_ = handle;
   }
   ~Held() { handle_->release(handle_); }
   Held(const Held &) = delete;
   Held &operator=(const Held &) = delete;
   const T *operator->() const { return reinterpret_cast<const T *>(handle_); }
   const T *get() const { return reinterpret_cast<const T *>(handle_); }

 private:
   const rpa_session_handle *handle_ = nullptr;
};

using Mailbox = Held<rpa_email_mailbox>;

Mailbox open_mailbox(const Bag &bag, const rpa_host_services *host) {
   return Mailbox(host, bag.string("session_name", "Default"), RPA_EMAIL_MAILBOX_INTERFACE,
                  RPA_EMAIL_MAILBOX_REVISION);
}

void check(rpa_status status, const TextOut &message) {
   if (status != RPA_OK) throw ActionError(status, message.text);
}

// Writes into `path` (UTF-8, on Windows too) atomically: a temporary file beside it, renamed over it
// when complete. (A sibling that must survive a power cut also flushes the file to the disk first.)
class AtomicFile {
 public:
   explicit AtomicFile(std::string path)
       : path_(std::move(path)), temp_(path_ + ".part" + std::to_string(std::random_device{}())) {
      file_.open(std::filesystem::u8path(temp_), std::ios::binary | std::ios::trunc);
      if (!file_) throw ActionError(RPA_INVALID_PROPERTIES, "cannot write " + path_);
   }
   ~AtomicFile() {
      if (file_.is_open()) file_.close();
      std::error_code ignored;
      if (!committed_) std::filesystem::remove(std::filesystem::u8path(temp_), ignored);
   }
   AtomicFile(const AtomicFile &) = delete;
   AtomicFile &operator=(const AtomicFile &) = delete;
   rpa_byte_sink *sink() { return &sink_; }
   std::uint64_t size() const { return size_; }
   void commit(const std::string &final_path) {
      file_.close();
      std::error_code error;
      if (!file_) throw ActionError(RPA_INTERNAL, "could not complete " + final_path);
      std::filesystem::rename(std::filesystem::u8path(temp_), std::filesystem::u8path(final_path), error);
      if (error) throw ActionError(RPA_INTERNAL, "could not complete " + final_path + ": " + error.message());
      committed_ = true;
   }
   void commit() { commit(path_); }

 private:
   static int write(const rpa_byte_sink *sink, const void *data, size_t size) {
      auto *self = static_cast<AtomicFile *>(sink->sink_data);
      if (!self->file_.write(static_cast<const char *>(data), static_cast<std::streamsize>(size))) return 0;
      self->size_ += size;
      return 1;
   }
   std::string path_, temp_;
   std::ofstream file_;
   std::uint64_t size_ = 0;
   bool committed_ = false;
   rpa_byte_sink sink_{sizeof(rpa_byte_sink), this, &AtomicFile::write};
};

// An attachment's name made safe as a file name in one directory.
std::string safe_file_name(const std::string &name, unsigned index) {
   std::string safe;
   // What no file name may hold on Linux or Windows ('/', '\\', control characters, :*?"<>|).
   for (char c : name)
      safe += (static_cast<unsigned char>(c) < 0x20 || std::strchr("/\\:*?\"<>|", c)) ? '_' : c;
   if (safe.empty() || safe == "." || safe == "..") safe = "attachment-" + std::to_string(index);
   return safe;
}

bool exists(const std::string &path) {
   std::error_code ignored;
   return std::filesystem::exists(std::filesystem::u8path(path), ignored);
}

// {"ref": "..."}: the result of Move, Copy and Append.
std::string ref_result(const std::string &ref) {
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   w.StartObject();
   w.Key("ref");
   write_string(w, ref);
   w.EndObject();
   return buffer.GetString();
}

// --- the actions ---------------------------------------------------------------------------------

std::string session_info(const Bag &bag, const rpa_host_services *host, TextOut &) {
   Held<rpa_email_session> session(host, bag.string("session_name", "Default"), RPA_EMAIL_SESSION_INTERFACE,
                                   RPA_EMAIL_SESSION_REVISION);
   if (!rpa_email_session_is_compatible(session.get()))
      throw ActionError(RPA_UNSUPPORTED, "an unknown session");
   TextOut info;
   if (session->info(session.get(), &info.sink) != RPA_OK) throw ActionError(RPA_INTERNAL, "info failed");
   return info.text;
}

std::string list_folders(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Held<rpa_email_session> session(host, bag.string("session_name", "Default"), RPA_EMAIL_SESSION_INTERFACE,
                                   RPA_EMAIL_SESSION_REVISION);
   if (!rpa_email_session_is_compatible(session.get()))
      throw ActionError(RPA_UNSUPPORTED, "an unknown session");
   TextOut folders_json;
   check(session->list_folders(session.get(), host, &folders_json.sink, &message.sink), message);
   rapidjson::Document folders;
   rpa::parse_json(folders, folders_json.text);
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   w.StartObject();
   w.Key("folders");
   w.StartArray();
   if (folders.IsObject() && folders.HasMember("folders") && folders["folders"].IsArray())
      for (auto &folder : folders["folders"].GetArray())
         if (folder.IsObject() && folder.HasMember("name") && folder["name"].IsString())
            w.String(folder["name"].GetString(), folder["name"].GetStringLength());
   w.EndArray();
   w.EndObject();
   return buffer.GetString();
}

// email.mailbox/1's own folder list and folder lookup, answered as the session wrote them.
std::string mailbox_folders(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   TextOut folders;
   check(mailbox->list_folders(mailbox.get(), host, &folders.sink, &message.sink), message);
   return folders.text;
}

std::string find_folder(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   TextOut folder;
   check(
       mailbox->find_folder(mailbox.get(), host, bag.required("folder").c_str(), &folder.sink, &message.sink),
       message);
   return folder.text;
}

std::string list_messages(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   // The sibling's own property names, translated into the interface's query.
   rapidjson::StringBuffer query_buffer;
   Writer q(query_buffer);
   q.StartObject();
   if (bag.boolean("unseen_only")) {
      q.Key("seen");
      q.Bool(false);
   }
   for (const char *name : {"seen", "flagged", "has_attachments"})
      if (bag.has(name)) {
         q.Key(name);
         q.Bool(bag.boolean(name));
      }
   const std::pair<const char *, const char *> strings[] = {{"since", "since"},
                                                            {"before", "before"},
                                                            {"from", "from"},
                                                            {"to", "to"},
                                                            {"subject_contains", "subject"},
                                                            {"order", "order"},
                                                            {"cursor", "cursor"}};
   for (const auto &pair : strings)
      if (bag.has(pair.first)) {
         q.Key(pair.second);
         write_string(q, bag.string(pair.first));
      }
   if (const rapidjson::Value *limit = bag.get("limit")) {
      if (!limit->IsUint()) throw ActionError(RPA_INVALID_PROPERTIES, "limit must be a whole number");
      q.Key("limit");
      q.Uint(limit->GetUint());
   }
   q.EndObject();
   TextOut page_json;
   check(mailbox->search(mailbox.get(), host, bag.string("folder", "inbox").c_str(), query_buffer.GetString(),
                         &page_json.sink, &message.sink),
         message);
   rapidjson::Document page;
   rpa::parse_json(page, page_json.text);
   if (!page.IsObject() || !page.HasMember("messages") || !page["messages"].IsArray())
      throw ActionError(RPA_PROTOCOL_ERROR, "the session answered the search with something else");
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   w.StartObject();
   w.Key("messages");
   w.StartArray();
   for (auto &m : page["messages"].GetArray()) {
      w.StartObject();
      for (const char *key : {"ref", "folder", "subject", "date"}) {
         w.Key(key);
         if (m.HasMember(key) && m[key].IsString())
            w.String(m[key].GetString(), m[key].GetStringLength());
         else
            w.Null();
      }
      w.Key("from");
      std::string from;
      if (m.HasMember("from") && m["from"].IsObject()) {
         const std::string name = m["from"]["name"].GetString(), address = m["from"]["address"].GetString();
         from = name.empty() ? address : name + " <" + address + ">";
      }
      write_string(w, from);
      w.Key("size");
      w.Uint64(m["size"].GetUint64());
      for (const char *key : {"seen", "flagged", "answered"}) {
         w.Key(key);
         w.Bool(m[key].GetBool());
      }
      w.Key("attachments");
      if (m["attachments"].IsArray()) {
         w.StartArray();
         for (auto &a : m["attachments"].GetArray()) {
            w.StartObject();
            w.Key("name");
            w.String(a["name"].GetString(), a["name"].GetStringLength());
            w.Key("size");
            w.Uint64(a["size"].GetUint64());
            w.Key("content_type");
            w.String(a["content_type"].GetString(), a["content_type"].GetStringLength());
            w.EndObject();
         }
         w.EndArray();
      } else {
         w.Null();
      }
      w.EndObject();
   }
   w.EndArray();
   w.Key("next_cursor");
   if (page["next_cursor"].IsString())
      w.String(page["next_cursor"].GetString(), page["next_cursor"].GetStringLength());
   else
      w.Null();
   w.Key("total");
   if (page["total"].IsUint64())
      w.Uint64(page["total"].GetUint64());
   else
      w.Null();
   w.EndObject();
   return buffer.GetString();
}

std::string fetch(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   const std::string path = bag.required("file");
   AtomicFile file(path);
   check(mailbox->fetch_raw(mailbox.get(), host, bag.required("ref").c_str(), file.sink(), &message.sink),
         message);
   file.commit();
   rapidjson::StringBuffer buffer;  // a Windows path has backslashes: written as JSON, not pasted
   Writer w(buffer);
   w.StartObject();
   w.Key("file");
   write_string(w, path);
   w.Key("size");
   w.Uint64(file.size());
   w.EndObject();
   return buffer.GetString();
}

std::string save_attachments(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   const std::string ref = bag.required("ref");
   const std::string directory = bag.required("directory");
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   w.StartObject();
   w.Key("saved");
   w.StartArray();
   for (unsigned index = 0;; ++index) {
      AtomicFile file(directory + "/.attachment-" + std::to_string(index));
      TextOut info_json, said;
      const rpa_status status = mailbox->fetch_attachment(mailbox.get(), host, ref.c_str(), index,
                                                          file.sink(), &info_json.sink, &said.sink);
      if (status == RPA_MESSAGE_NOT_FOUND && said.text.find("there is no attachment") != std::string::npos)
         break;  // past the last one
      check(status, said);
      rapidjson::Document info;
      rpa::parse_json(info, info_json.text);
      const std::string name = info.IsObject() && info.HasMember("name") && info["name"].IsString()
                                   ? info["name"].GetString()
                                   : "";
      std::string target = directory + "/" + safe_file_name(name, index);
      for (unsigned n = 2; exists(target); ++n)
         target = directory + "/" + std::to_string(n) + "-" + safe_file_name(name, index);
      file.commit(target);
      write_string(w, target);
   }
   w.EndArray();
   w.EndObject();
   message.text = "saved the attachments";
   return buffer.GetString();
}

std::string read_bodies(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   TextOut bodies;
   check(mailbox->fetch_bodies(mailbox.get(), host, bag.required("ref").c_str(), &bodies.sink, &message.sink),
         message);
   return bodies.text;
}

std::string set_flags(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   auto change = [&](const char *name) {
      return !bag.has(name) ? RPA_FLAG_KEEP : bag.boolean(name) ? RPA_FLAG_SET : RPA_FLAG_CLEAR;
   };
   check(mailbox->set_flags(mailbox.get(), host, bag.required("ref").c_str(), change("seen"),
                            change("flagged"), &message.sink),
         message);
   return "{}";
}

std::string transfer(const Bag &bag, const rpa_host_services *host, TextOut &message, bool keep) {
   Mailbox mailbox = open_mailbox(bag, host);
   TextOut ref;
   const std::string from = bag.required("ref"), folder = bag.required("folder");
   check(keep ? mailbox->copy(mailbox.get(), host, from.c_str(), folder.c_str(), &ref.sink, &message.sink)
              : mailbox->move(mailbox.get(), host, from.c_str(), folder.c_str(), &ref.sink, &message.sink),
         message);
   return ref_result(ref.text);
}

std::string remove(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   check(mailbox->delete_message(mailbox.get(), host, bag.required("ref").c_str(),
                                 bag.boolean("permanently") ? 1 : 0, &message.sink),
         message);
   return "{}";
}

std::string append(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Mailbox mailbox = open_mailbox(bag, host);
   std::ifstream in(std::filesystem::u8path(bag.required("file")), std::ios::binary);
   if (!in) throw ActionError(RPA_INVALID_PROPERTIES, "cannot read file " + bag.string("file"));
   std::ostringstream data;
   data << in.rdbuf();
   const std::string bytes = data.str();
   TextOut ref;
   check(mailbox->append(mailbox.get(), host, bag.string("folder", "inbox").c_str(), bytes.data(),
                         bytes.size(), &ref.sink, &message.sink),
         message);
   return ref_result(ref.text);
}

// The object member `name` as JSON text, or "" when absent.
std::string json_member(const Bag &bag, const char *name) {
   const rapidjson::Value *value = bag.get(name);
   if (!value) return "";
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   value->Accept(w);
   return buffer.GetString();
}

using Sender = Held<rpa_email_send>;

// A byte source the sibling makes up as it is read: `text` `repeat` times, so a test can attach
// megabytes without writing them into a step; after `fail_after` bytes it says it failed.
class PatternSource {
 public:
   PatternSource(std::string text, std::size_t repeat, std::size_t fail_after)
       : text_(std::move(text)), total_(text_.size() * repeat), fail_after_(fail_after) {
      source_.struct_size = sizeof(rpa_byte_source);
      source_.source_data = this;
      source_.read = &PatternSource::read;
   }
   PatternSource(const PatternSource &) = delete;
   PatternSource &operator=(const PatternSource &) = delete;
   const rpa_byte_source *get() const { return &source_; }

 private:
   static size_t read(const rpa_byte_source *source, void *buffer, size_t capacity) {
      auto *self = static_cast<PatternSource *>(source->source_data);
      if (self->position_ >= self->fail_after_) return RPA_BYTE_SOURCE_FAILED;
      std::size_t given = 0;
      char *out = static_cast<char *>(buffer);
      while (given < capacity && self->position_ < self->total_ && self->position_ < self->fail_after_) {
         const std::size_t at = self->position_ % self->text_.size();
         const std::size_t n =
             std::min({capacity - given, self->text_.size() - at, self->total_ - self->position_,
                       self->fail_after_ - self->position_});
         std::memcpy(out + given, self->text_.data() + at, n);
         given += n;
         self->position_ += n;
      }
      return given;
   }

   rpa_byte_source source_{};
   std::string text_;
   std::size_t total_, fail_after_, position_ = 0;
};

// The bag's "sources": [{"text", "repeat" (default 1), "fail_after" (bytes)}, ...].
std::vector<std::unique_ptr<PatternSource>> pattern_sources(const Bag &bag) {
   std::vector<std::unique_ptr<PatternSource>> made;
   const rapidjson::Value *sources = bag.get("sources");
   if (!sources) return made;
   if (!sources->IsArray()) throw ActionError(RPA_INVALID_PROPERTIES, "sources must be an array");
   for (const auto &source : sources->GetArray()) {
      if (!source.IsObject() || !source.HasMember("text") || !source["text"].IsString() ||
          source["text"].GetStringLength() == 0)
         throw ActionError(RPA_INVALID_PROPERTIES, "each of sources needs a text");
      const auto count = [&](const char *name, std::size_t fallback) -> std::size_t {
         if (!source.HasMember(name)) return fallback;
         if (!source[name].IsUint64())
            throw ActionError(RPA_INVALID_PROPERTIES, std::string(name) + " must be a count");
         return static_cast<std::size_t>(source[name].GetUint64());
      };
      made.push_back(std::make_unique<PatternSource>(
          std::string(source["text"].GetString(), source["text"].GetStringLength()), count("repeat", 1),
          count("fail_after", static_cast<std::size_t>(-1))));
   }
   return made;
}

// Sends through email.send/1 when the step has no sources (a party built before revision 2 still
// works), else through send_with_sources (email.send/2).
std::string send(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   const auto sources = pattern_sources(bag);
   const unsigned revision = bag.has("sources") ? 2 : 1;
   Sender sender(host, bag.string("session_name", "Default"), RPA_EMAIL_SEND_INTERFACE, revision);
   if (!rpa_email_send_has_revision(sender.get(), revision))
      throw ActionError(RPA_UNSUPPORTED, "an unknown send interface");
   const std::string request = json_member(bag, "message");
   TextOut result;
   if (revision == 1) {
      check(sender->send(sender.get(), host, request.c_str(), &result.sink, &message.sink), message);
      return result.text;
   }
   std::vector<const rpa_byte_source *> given;
   for (const auto &source : sources) given.push_back(source->get());
   check(sender->send_with_sources(sender.get(), host, request.c_str(), given.data(), given.size(),
                                   &result.sink, &message.sink),
         message);
   return result.text;
}

std::string send_raw(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Sender sender(host, bag.string("session_name", "Default"), RPA_EMAIL_SEND_INTERFACE,
                 RPA_EMAIL_SEND_REVISION);
   if (!rpa_email_send_is_compatible(sender.get()))
      throw ActionError(RPA_UNSUPPORTED, "an unknown send interface");
   std::ifstream in(std::filesystem::u8path(bag.required("file")), std::ios::binary);
   if (!in) throw ActionError(RPA_INVALID_PROPERTIES, "cannot read file " + bag.string("file"));
   std::ostringstream data;
   data << in.rdbuf();
   const std::string bytes = data.str();
   const std::string envelope = json_member(bag, "envelope");
   TextOut result;
   check(sender->send_raw(sender.get(), host, bytes.data(), bytes.size(),
                          envelope.empty() ? nullptr : envelope.c_str(), &result.sink, &message.sink),
         message);
   return result.text;
}

std::string answer(const Bag &bag, const rpa_host_services *host, TextOut &message, bool forward) {
   Sender sender(host, bag.string("session_name", "Default"), RPA_EMAIL_SEND_INTERFACE,
                 RPA_EMAIL_SEND_REVISION);
   if (!rpa_email_send_is_compatible(sender.get()))
      throw ActionError(RPA_UNSUPPORTED, "an unknown send interface");
   const std::string ref = bag.required("ref"), request = json_member(bag, "message");
   TextOut result;
   const char *json = request.empty() ? nullptr : request.c_str();
   check(forward ? sender->forward(sender.get(), host, ref.c_str(), json, &result.sink, &message.sink)
                 : sender->reply(sender.get(), host, ref.c_str(), json, &result.sink, &message.sink),
         message);
   return result.text;
}

// Waits through email.watch/1; the step's members but folder, cursor and timeout_seconds are the
// filter (subject_contains is search's subject).
std::string wait_for_mail(const Bag &bag, const rpa_host_services *host, TextOut &message) {
   Held<rpa_email_watch> watch(host, bag.string("session_name", "Default"), RPA_EMAIL_WATCH_INTERFACE,
                               RPA_EMAIL_WATCH_REVISION);
   if (!rpa_email_watch_is_compatible(watch.get()))
      throw ActionError(RPA_UNSUPPORTED, "an unknown watch interface");
   rapidjson::StringBuffer buffer;
   Writer w(buffer);
   w.StartObject();
   if (bag.has("from")) w.Key("from"), w.String(bag.string("from").c_str());
   if (bag.has("subject_contains")) w.Key("subject"), w.String(bag.string("subject_contains").c_str());
   if (bag.has("poll_seconds")) w.Key("poll_seconds"), bag.get("poll_seconds")->Accept(w);
   w.EndObject();
   const rapidjson::Value *seconds = bag.get("timeout_seconds");
   const unsigned timeout_ms = seconds && seconds->IsUint() ? seconds->GetUint() * 1000 : 30000;
   TextOut result;
   check(watch->wait(watch.get(), host, bag.string("folder", "inbox").c_str(), bag.string("cursor").c_str(),
                     timeout_ms, buffer.GetString(), &result.sink, &message.sink),
         message);
   return result.text;
}

// --- the table -----------------------------------------------------------------------------------

using Run = std::function<std::string(const Bag &, const rpa_host_services *, TextOut &)>;

struct Action {
   rpa_action_descriptor descriptor;
   Run run;
};

// Every action's schema: an object of the action's fields (checked again by the code above).
#define SIBLING_SCHEMA(ID, FIELDS)                                                                        \
  "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"id\":\"" ID                                 \
  "\",\"type\":\"object\","                                                                               \
  "\"additionalProperties\":false,\"properties\":{\"session_name\":{\"type\":\"string\",\"minLength\":1," \
  "\"default\":\"Default\"}" FIELDS "}}"
#define STR(NAME) ",\"" NAME "\":{\"type\":\"string\"}"
#define BOOL(NAME) ",\"" NAME "\":{\"type\":\"boolean\"}"

const Action kActions[] = {
    {{sizeof(rpa_action_descriptor), "sibling.info/1", "Sibling", "Info", "Session info", "セッション情報",
      "Gives an email session's info (test plugin).", SIBLING_SCHEMA("sibling.info/1", "")},
     session_info},
    {{sizeof(rpa_action_descriptor), "sibling.list-folders/1", "Sibling", "ListFolders", "List folders",
      "フォルダー一覧", "Lists the folders of an email session (test plugin).",
      SIBLING_SCHEMA("sibling.list-folders/1", "")},
     list_folders},
    {{sizeof(rpa_action_descriptor), "sibling.mailbox-folders/1", "Sibling", "MailboxFolders",
      "List folders with roles", "フォルダー一覧 (役割付き)",
      "Lists the folders of a mailbox with their roles (test plugin).",
      SIBLING_SCHEMA("sibling.mailbox-folders/1", "")},
     mailbox_folders},
    {{sizeof(rpa_action_descriptor), "sibling.find-folder/1", "Sibling", "FindFolder", "Find folder",
      "フォルダーを探す", "Finds a folder by role or path (test plugin).",
      SIBLING_SCHEMA("sibling.find-folder/1", STR("folder"))},
     find_folder},
    {{sizeof(rpa_action_descriptor), "sibling.list-messages/1", "Sibling", "ListMessages", "List messages",
      "メッセージ一覧", "Lists the messages of a folder (test plugin).",
      SIBLING_SCHEMA("sibling.list-messages/1",
                     STR("folder") BOOL("unseen_only") BOOL("seen") BOOL("flagged") STR("since") STR("before")
                         STR("from") STR("to") STR("subject_contains") STR("order") STR("cursor")
                             BOOL("has_attachments") ",\"limit\":{\"type\":\"integer\",\"minimum\":1}")},
     list_messages},
    {{sizeof(rpa_action_descriptor), "sibling.fetch/1", "Sibling", "Fetch", "Save message",
      "メッセージを保存", "Writes a raw message to a file (test plugin).",
      SIBLING_SCHEMA("sibling.fetch/1", STR("ref") STR("file"))},
     fetch},
    {{sizeof(rpa_action_descriptor), "sibling.save-attachments/1", "Sibling", "SaveAttachments",
      "Save attachments", "添付ファイルを保存", "Saves a message's attachments to a directory (test plugin).",
      SIBLING_SCHEMA("sibling.save-attachments/1", STR("ref") STR("directory"))},
     save_attachments},
    {{sizeof(rpa_action_descriptor), "sibling.read-bodies/1", "Sibling", "ReadBodies", "Read message text",
      "本文を読む", "Reads a message's text and HTML bodies (test plugin).",
      SIBLING_SCHEMA("sibling.read-bodies/1", STR("ref"))},
     read_bodies},
    {{sizeof(rpa_action_descriptor), "sibling.set-flags/1", "Sibling", "SetFlags", "Mark message",
      "メッセージに印を付ける", "Sets or clears seen and flagged (test plugin).",
      SIBLING_SCHEMA("sibling.set-flags/1", STR("ref") BOOL("seen") BOOL("flagged"))},
     set_flags},
    {{sizeof(rpa_action_descriptor), "sibling.move/1", "Sibling", "Move", "Move message", "メッセージを移動",
      "Moves a message to a folder (test plugin).",
      SIBLING_SCHEMA("sibling.move/1", STR("ref") STR("folder"))},
     [](const Bag &b, const rpa_host_services *h, TextOut &m) { return transfer(b, h, m, false); }},
    {{sizeof(rpa_action_descriptor), "sibling.copy/1", "Sibling", "Copy", "Copy message",
      "メッセージをコピー", "Copies a message to a folder (test plugin).",
      SIBLING_SCHEMA("sibling.copy/1", STR("ref") STR("folder"))},
     [](const Bag &b, const rpa_host_services *h, TextOut &m) { return transfer(b, h, m, true); }},
    {{sizeof(rpa_action_descriptor), "sibling.delete/1", "Sibling", "Delete", "Delete message",
      "メッセージを削除", "Deletes a message (test plugin).",
      SIBLING_SCHEMA("sibling.delete/1", STR("ref") BOOL("permanently"))},
     remove},
    {{sizeof(rpa_action_descriptor), "sibling.append/1", "Sibling", "Append", "Store message",
      "メッセージを保管", "Stores an RFC 5322 file in a folder (test plugin).",
      SIBLING_SCHEMA("sibling.append/1", STR("folder") STR("file"))},
     append},
    {{sizeof(rpa_action_descriptor), "sibling.send/1", "Sibling", "Send", "Send message", "メッセージを送信",
      "Sends a message through the session (test plugin).",
      SIBLING_SCHEMA("sibling.send/1",
                     ",\"message\":{\"type\":\"object\"},\"sources\":{\"type\":\"array\"}")},
     send},
    {{sizeof(rpa_action_descriptor), "sibling.send-raw/1", "Sibling", "SendRaw", "Send message file",
      "メッセージ ファイルを送信", "Sends an RFC 5322 file as it is through the session (test plugin).",
      SIBLING_SCHEMA("sibling.send-raw/1", STR("file") ",\"envelope\":{\"type\":\"object\"}")},
     send_raw},
    {{sizeof(rpa_action_descriptor), "sibling.reply/1", "Sibling", "Reply", "Reply", "返信",
      "Replies to a message through the session (test plugin).",
      SIBLING_SCHEMA("sibling.reply/1", STR("ref") ",\"message\":{\"type\":\"object\"}")},
     [](const Bag &b, const rpa_host_services *h, TextOut &m) { return answer(b, h, m, false); }},
    {{sizeof(rpa_action_descriptor), "sibling.forward/1", "Sibling", "Forward", "Forward", "転送",
      "Forwards a message through the session (test plugin).",
      SIBLING_SCHEMA("sibling.forward/1", STR("ref") ",\"message\":{\"type\":\"object\"}")},
     [](const Bag &b, const rpa_host_services *h, TextOut &m) { return answer(b, h, m, true); }},
    {{sizeof(rpa_action_descriptor), "sibling.wait/1", "Sibling", "Wait", "Wait for mail", "受信を待機",
      "Waits for new mail through the session (test plugin).",
      SIBLING_SCHEMA("sibling.wait/1", STR("folder") STR("cursor") STR("from") STR(
                                           "subject_contains") ",\"timeout_seconds\":{\"type\":\"integer\"},"
                                                               "\"poll_seconds\":{\"type\":\"integer\"}")},
     wait_for_mail},
};
constexpr uint32_t kActionCount = sizeof(kActions) / sizeof(kActions[0]);

bool init(const rpa_host_info *host) { return host && rpa_version_is_compatible(host->abi_version); }
void deinit() {}
uint32_t action_count() { return kActionCount; }
const rpa_action_descriptor *get_action(uint32_t index) {
   return index < kActionCount ? &kActions[index].descriptor : nullptr;
}

rpa_status invoke(const char *action_id, const char *json, size_t size, const rpa_host_services *host,
                  rpa_invoke_result *out) {
   try {
      const std::string id(action_id ? action_id : "");
      for (const Action &action : kActions) {
         if (id != action.descriptor.id) continue;
         if (!RPA_HOST_HAS(host, session_get)) {
            write(out->message, "this host has no session store");
            return RPA_UNSUPPORTED;
         }
         TextOut message;
         const std::string result = action.run(Bag(json, size), host, message);
         write(out->result, result);
         write(out->message, message.text);
         return RPA_OK;
      }
      return RPA_UNSUPPORTED;
   } catch (const ActionError &error) {
      write(out->message, error.what());
      return error.status;
   } catch (...) {
      write(out->message, "internal error in the sibling plugin");
      return RPA_INTERNAL;
   }
}

const rpa_plugin_actions kActionsExtension = {action_count, get_action, invoke};
const void *get_extension(const char *id) {
   return rpa_extension_id_is(id, RPA_EXT_ACTIONS) ? &kActionsExtension : nullptr;
}

}  // namespace

extern "C" RPA_EXPORT const rpa_plugin_entry rpa_entry = {
    RPA_VERSION_INIT, sizeof(rpa_plugin_entry), "org.rpa.test.sibling", "0.1.0", init, deinit, get_extension};
