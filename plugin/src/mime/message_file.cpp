#include "mime/message_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "mime/attachment_rule.h"
#include "mime/spool_stream.h"
#include "util/failure.h"
#include "util/files.h"

namespace email::mime {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

struct Leaf {
   GMimeObject *object;
   AttachmentInfo info;
};

std::string content_type_of(GMimeObject *object, std::string &type, std::string &subtype) {
   GMimeContentType *content_type = g_mime_object_get_content_type(object);
   const char *t = content_type ? g_mime_content_type_get_media_type(content_type) : nullptr;
   const char *s = content_type ? g_mime_content_type_get_media_subtype(content_type) : nullptr;
   type = t ? to_lower_ascii(t) : "text";
   subtype = s ? to_lower_ascii(s) : "plain";
   return type + "/" + subtype;
}

std::string disposition_of(GMimeObject *object) {
   GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
   const char *value = disposition ? g_mime_content_disposition_get_disposition(disposition) : nullptr;
   return value ? value : "";
}

std::string filename_of(GMimeObject *object) {
   const char *name = nullptr;
   if (GMIME_IS_PART(object)) {
      name = g_mime_part_get_filename(GMIME_PART(object));
   } else {
      name = g_mime_object_get_content_disposition_parameter(object, "filename");
      if (!name) name = g_mime_object_get_content_type_parameter(object, "name");
   }
   return name && g_utf8_validate(name, -1, nullptr) ? name : "";
}

// Visits the leaves depth-first; attached messages are leaves.
template <typename Visit>
void walk(GMimeObject *object, Visit &visit, int depth = 0) {
   if (!object || depth > 64) return;
   if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart *multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int i = 0; i < count; ++i) walk(g_mime_multipart_get_part(multipart, i), visit, depth + 1);
      return;
   }
   visit(object);
}

std::vector<Leaf> attachment_leaves(GMimeMessage *message) {
   std::vector<Leaf> leaves;
   auto visit = [&](GMimeObject *object) {
      std::string type, subtype;
      const std::string content_type = content_type_of(object, type, subtype);
      std::string name = filename_of(object);
      if (!is_attachment(disposition_of(object), name, type, subtype)) return;
      AttachmentInfo info;
      info.index = static_cast<unsigned>(leaves.size());
      info.content_type = content_type;
      if (name.empty() && GMIME_IS_MESSAGE_PART(object)) {
         GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
         const char *subject = inner ? g_mime_message_get_subject(inner) : nullptr;
         name = std::string(subject && *subject ? subject : "message") + ".eml";
      }
      info.name = name;
      leaves.push_back({object, info});
   };
   walk(message ? g_mime_message_get_mime_part(message) : nullptr, visit);
   return leaves;
}

std::uint64_t stream_size(GMimeStream *stream) {
   const gint64 length = stream ? g_mime_stream_length(stream) : -1;
   return length > 0 ? static_cast<std::uint64_t>(length) : 0;
}

// Reads `stream` from its start kChunk at a time, handing each piece to `chunk`; returns the
// bytes read. A bounded stream answers -1 once at its end: eos tells that from a failure.
std::uint64_t read_chunks(GMimeStream *stream, const std::function<void(std::string_view piece)> &chunk) {
   g_mime_stream_reset(stream);
   std::string buffer(kChunk, '\0');
   std::uint64_t total = 0;
   for (;;) {
      const ssize_t got =
          g_mime_stream_eos(stream) ? 0 : g_mime_stream_read(stream, buffer.data(), buffer.size());
      if (got < 0 && !g_mime_stream_eos(stream))
         throw Failure(RPA_INTERNAL, "the spooled message could not be read back");
      if (got <= 0) return total;
      chunk(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      total += static_cast<std::uint64_t>(got);
   }
}

// Copies `stream` from its start to `sink`; returns the bytes copied.
std::uint64_t copy_stream(GMimeStream *stream, const ByteSink &sink) { return read_chunks(stream, sink); }

// The inline parts: leaves that are no attachment by the rule and carry a Content-ID.
std::vector<std::pair<GMimeObject *, InlinePart>> inline_leaves(GMimeMessage *message) {
   std::vector<std::pair<GMimeObject *, InlinePart>> leaves;
   auto visit = [&](GMimeObject *object) {
      std::string type, subtype;
      const std::string content_type = content_type_of(object, type, subtype);
      const std::string name = filename_of(object);
      const char *id = g_mime_object_get_content_id(object);
      if (!GMIME_IS_PART(object) || !id || !*id || !g_utf8_validate(id, -1, nullptr) ||
          is_attachment(disposition_of(object), name, type, subtype))
         return;
      leaves.push_back({object, InlinePart{id, name, content_type}});
   };
   walk(message ? g_mime_message_get_mime_part(message) : nullptr, visit);
   return leaves;
}

// Decodes the content of the leaf part `object` to `sink`; returns the bytes written. The part
// is read kChunk at a time (read_chunks) and fed to the decoder by hand: GMime's filter stream
// would read it 4 KiB at a time.
std::uint64_t decode_part(GMimeObject *object, const ByteSink &sink) {
   GMimeDataWrapper *content = GMIME_IS_PART(object) ? g_mime_part_get_content(GMIME_PART(object)) : nullptr;
   if (!content) return 0;
   GObjectPtr<GMimeFilter> decoder(g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(content), FALSE));
   std::uint64_t total = 0;
   const auto decode = [&](std::string_view piece, bool last) {
      char *decoded = nullptr;
      std::size_t decoded_size = 0, prespace = 0;
      char *in = const_cast<char *>(piece.data());  // GMime's filters take char *; they do not write it
      if (last)
         g_mime_filter_complete(decoder.get(), in, piece.size(), 0, &decoded, &decoded_size, &prespace);
      else
         g_mime_filter_filter(decoder.get(), in, piece.size(), 0, &decoded, &decoded_size, &prespace);
      if (decoded_size > 0) sink(std::string_view(decoded, decoded_size));
      total += decoded_size;
   };
   read_chunks(g_mime_data_wrapper_get_stream(content),
               [&](std::string_view piece) { decode(piece, false); });
   char none = 0;
   decode(std::string_view(&none, 0), true);
   return total;
}

}  // namespace

MessageFile::MessageFile(const std::function<void(const ByteSink &sink)> &fetch) {
   GMimeParserOptions *options = parser_options();
   std::string error;
   file_ = open_temporary_file(error);
   if (!file_) throw Failure(RPA_INTERNAL, "no temporary file for the message: " + error);
   fetch([this](std::string_view chunk) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size())
         throw Failure(RPA_INTERNAL, std::string("the message could not be written to a temporary file: ") +
                                         std::strerror(errno));
      size_ += chunk.size();
   });
   if (std::fflush(file_) != 0)
      throw Failure(RPA_INTERNAL, "the temporary message file could not be written");
   stream_.reset(open_spool_stream(file_));  // mapped where the system can (mime/spool_stream.h)
   if (!stream_) throw Failure(RPA_INTERNAL, "the temporary message file could not be read");
   g_mime_stream_reset(stream_.get());
   GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream_.get()));
   g_mime_parser_set_persist_stream(parser.get(), TRUE);
   message_.reset(g_mime_parser_construct_message(parser.get(), options));
   if (!message_)
      throw Failure(RPA_PROTOCOL_ERROR, "the server's message could not be read as a MIME message");
}

MessageFile::~MessageFile() {
   message_.reset();
   stream_.reset();
   if (file_) std::fclose(file_);
}

std::vector<AttachmentInfo> MessageFile::attachments() const {
   std::vector<AttachmentInfo> infos;
   for (Leaf &leaf : attachment_leaves(message_.get())) {
      if (GMIME_IS_PART(leaf.object)) {
         GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(leaf.object));
         const GMimeContentEncoding encoding =
             content ? g_mime_data_wrapper_get_encoding(content) : GMIME_CONTENT_ENCODING_DEFAULT;
         const std::uint64_t encoded = content ? stream_size(g_mime_data_wrapper_get_stream(content)) : 0;
         leaf.info.size =
             decoded_size_estimate(encoded, encoding == GMIME_CONTENT_ENCODING_BASE64 ? "base64" : "");
      }
      infos.push_back(leaf.info);
   }
   return infos;
}

AttachmentInfo MessageFile::write_attachment(unsigned index, const ByteSink &sink) const {
   std::vector<Leaf> leaves = attachment_leaves(message_.get());
   if (index >= leaves.size()) throw Failure(RPA_MESSAGE_NOT_FOUND, no_such_attachment(leaves.size(), index));
   Leaf &leaf = leaves[index];
   if (GMIME_IS_MESSAGE_PART(leaf.object)) {  // the attached message, as an .eml file
      GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(leaf.object));
      GObjectPtr<GMimeStream> spool(g_mime_stream_mem_new());
      if (inner) g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, spool.get());
      leaf.info.size = copy_stream(spool.get(), sink);
      return leaf.info;
   }
   leaf.info.size = decode_part(leaf.object, sink);
   return leaf.info;
}

std::vector<InlinePart> MessageFile::inline_parts() const {
   std::vector<InlinePart> parts;
   for (auto &leaf : inline_leaves(message_.get())) parts.push_back(std::move(leaf.second));
   return parts;
}

void MessageFile::write_inline_part(unsigned index, const ByteSink &sink) const {
   auto leaves = inline_leaves(message_.get());
   if (index >= leaves.size())
      throw Failure(RPA_MESSAGE_NOT_FOUND, "the message has no inline part " + std::to_string(index));
   decode_part(leaves[index].first, sink);
}

std::string MessageFile::without_attachments(const std::vector<unsigned> &indexes) {
   std::vector<Leaf> leaves = attachment_leaves(message_.get());
   GMimeObject *root = g_mime_message_get_mime_part(message_.get());
   std::vector<GObjectPtr<GMimeObject>> removed_parts;  // alive until the end: leaves point at them
   for (unsigned index : indexes) {
      if (index >= leaves.size()) continue;
      GMimeObject *leaf = leaves[index].object;
      if (leaf == root) {  // the whole body is the attachment: an empty text stays
         removed_parts.emplace_back(GMIME_OBJECT(g_object_ref(root)));
         GObjectPtr<GMimeTextPart> empty(g_mime_text_part_new_with_subtype("plain"));
         g_mime_text_part_set_text(empty.get(), "");
         g_mime_message_set_mime_part(message_.get(), GMIME_OBJECT(empty.get()));
         root = nullptr;
         continue;
      }
      // Its multipart: the one whose parts include it, found from the root down.
      std::vector<GMimeObject *> pending{root};
      while (!pending.empty()) {
         GMimeObject *object = pending.back();
         pending.pop_back();
         if (!object || !GMIME_IS_MULTIPART(object)) continue;
         GMimeMultipart *multipart = GMIME_MULTIPART(object);
         const int count = g_mime_multipart_get_count(multipart);
         bool removed = false;
         for (int i = 0; i < count && !removed; ++i) {
            GMimeObject *part = g_mime_multipart_get_part(multipart, i);
            if (part == leaf) {
               removed_parts.emplace_back(g_mime_multipart_remove_at(multipart, i));  // transfer full
               removed = true;
            } else {
               pending.push_back(part);
            }
         }
         if (removed) break;
      }
   }
   GObjectPtr<GMimeStream> memory(g_mime_stream_mem_new());
   std::unique_ptr<GMimeFormatOptions, void (*)(GMimeFormatOptions *)> format(g_mime_format_options_new(),
                                                                              &g_mime_format_options_free);
   g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
   if (g_mime_object_write_to_stream(GMIME_OBJECT(message_.get()), format.get(), memory.get()) < 0)
      throw Failure(RPA_INTERNAL, "the message without its large attachments could not be written");
   GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
   return std::string(reinterpret_cast<const char *>(bytes->data), bytes->len);
}

std::optional<std::string> MessageFile::body(const char *wanted) const {
   GMimeObject *found = nullptr;
   auto visit = [&](GMimeObject *object) {
      if (found || !GMIME_IS_TEXT_PART(object)) return;
      std::string type, subtype;
      content_type_of(object, type, subtype);
      if (subtype != wanted || is_attachment(disposition_of(object), filename_of(object), type, subtype))
         return;
      found = object;
   };
   walk(g_mime_message_get_mime_part(message_.get()), visit);
   if (!found) return std::nullopt;
   gchar *text = g_mime_text_part_get_text(GMIME_TEXT_PART(found));
   if (!text) return std::string();
   std::string result = g_utf8_validate(text, -1, nullptr) ? text : "";
   g_free(text);
   return result;
}

}  // namespace email::mime
