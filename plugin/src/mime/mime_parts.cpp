#include "mime/mime_parts.h"

#include "mime/gmime_runtime.h"
#include "util/text.h"

namespace email::mime {

GMimeObject *text_part(const char *subtype, const std::string &text, const char *charset) {
   GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
   if (!charset) {
      g_mime_text_part_set_text(part, text.c_str());  // charset utf-8 (us-ascii when it is)
   } else {
      GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
      GObjectPtr<GMimeDataWrapper> content(
          g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
      g_mime_part_set_content(GMIME_PART(part), content.get());
      g_mime_text_part_set_charset(part, charset);
   }
   g_mime_part_set_content_encoding(GMIME_PART(part), g_mime_part_get_best_content_encoding(
                                                          GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
   return GMIME_OBJECT(part);
}

GMimeObject *multipart(const char *subtype, const std::vector<GMimeObject *> &parts) {
   GMimeMultipart *made = g_mime_multipart_new_with_subtype(subtype);
   for (GMimeObject *part : parts) {
      g_mime_multipart_add(made, part);
      g_object_unref(part);
   }
   return GMIME_OBJECT(made);
}

GMimeObject *message_part(GMimeStream *stream, const std::string &filename) {
   GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream));
   GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), parser_options()));
   if (!message || !g_mime_message_get_mime_part(message.get())) return nullptr;
   GMimeMessagePart *part = g_mime_message_part_new_with_message("rfc822", message.get());
   g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
   if (!filename.empty())
      g_mime_object_set_content_disposition_parameter(GMIME_OBJECT(part), "filename", filename.c_str());
   return GMIME_OBJECT(part);
}

GMimeObject *file_part(GMimeStream *stream, const std::string &content_type, const std::string &name,
                       const std::string &content_id) {
   GObjectPtr<GMimeContentType> type(g_mime_content_type_parse(parser_options(), content_type.c_str()));
   GMimePart *part = g_mime_part_new_with_type("application", "octet-stream");
   if (type && g_mime_content_type_get_media_subtype(type.get()))
      g_mime_object_set_content_type(GMIME_OBJECT(part), type.get());
   GObjectPtr<GMimeDataWrapper> content(
       g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT));
   g_mime_part_set_content(part, content.get());
   g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
   g_mime_object_set_disposition(GMIME_OBJECT(part), content_id.empty() ? "attachment" : "inline");
   if (!name.empty()) {
      g_mime_part_set_filename(part, name.c_str());  // Content-Disposition filename, Content-Type name
      GMimeParamList *params =
          g_mime_content_type_get_parameters(g_mime_object_get_content_type(GMIME_OBJECT(part)));
      GMimeParam *param = params ? g_mime_param_list_get_parameter(params, "name") : nullptr;
      if (param && !is_ascii(name))
         g_mime_param_set_encoding_method(param, GMIME_PARAM_ENCODING_METHOD_RFC2047);
   }
   if (!content_id.empty()) {
      std::string id = content_id;
      if (id.size() > 1 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
      g_mime_object_set_content_id(GMIME_OBJECT(part), id.c_str());
   }
   return GMIME_OBJECT(part);
}

GMimeObject *message_body(const std::optional<std::string> &text, const std::optional<std::string> &html,
                          std::vector<GMimeObject *> inline_parts, std::vector<GMimeObject *> attached,
                          const char *charset) {
   GMimeObject *bodies = nullptr;
   if (text && html)
      bodies =
          multipart("alternative", {text_part("plain", *text, charset), text_part("html", *html, charset)});
   else if (html)
      bodies = text_part("html", *html, charset);
   else
      bodies = text_part("plain", text.value_or(""), charset);
   if (!inline_parts.empty()) {
      inline_parts.insert(inline_parts.begin(), bodies);
      bodies = multipart("related", inline_parts);
   }
   if (attached.empty()) return bodies;
   attached.insert(attached.begin(), bodies);
   return multipart("mixed", attached);
}

}  // namespace email::mime
