#include "mime/content_types.h"

#include <utility>

#include "util/text.h"

namespace email {

namespace {
std::string lower_extension(const std::string &name) {
   const std::size_t dot = name.rfind('.');
   return dot == std::string::npos ? "" : to_lower_ascii(name.substr(dot + 1));
}

}  // namespace

std::string content_type_for(const std::string &name) {
   static const std::pair<const char *, const char *> kTypes[] = {
       {"pdf", "application/pdf"},
       {"txt", "text/plain"},
       {"csv", "text/csv"},
       {"htm", "text/html"},
       {"html", "text/html"},
       {"xml", "application/xml"},
       {"json", "application/json"},
       {"png", "image/png"},
       {"jpg", "image/jpeg"},
       {"jpeg", "image/jpeg"},
       {"gif", "image/gif"},
       {"bmp", "image/bmp"},
       {"svg", "image/svg+xml"},
       {"tif", "image/tiff"},
       {"tiff", "image/tiff"},
       {"zip", "application/zip"},
       {"gz", "application/gzip"},
       {"7z", "application/x-7z-compressed"},
       {"doc", "application/msword"},
       {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
       {"xls", "application/vnd.ms-excel"},
       {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
       {"ppt", "application/vnd.ms-powerpoint"},
       {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
       {"ics", "text/calendar"},
   };
   const std::string extension = lower_extension(name);
   for (const auto &[known, type] : kTypes)
      if (extension == known) return type;
   return "application/octet-stream";
}

}  // namespace email
