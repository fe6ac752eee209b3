#include "mime/gmime_runtime.h"

#include <mutex>

#include "util/library_pin.h"

namespace email::mime {

void keep_gmime_loaded() { pin_library(library_of(reinterpret_cast<const void *>(&g_mime_init))); }

GMimeParserOptions *parser_options() {
   static std::once_flag started;
   static GMimeParserOptions *options = nullptr;
   std::call_once(started, [] {
      keep_gmime_loaded();
      g_mime_init();
      options = g_mime_parser_options_new();
      static const char *fallback[] = {"UTF-8", "CP932", "EUC-JP", "ISO-8859-1", nullptr};
      g_mime_parser_options_set_fallback_charsets(options, fallback);
   });
   return options;
}

}  // namespace email::mime
