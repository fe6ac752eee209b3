#include "mime/gmime_runtime.h"

#include <mutex>

#include "util/failure.h"
#include "util/lazy_library.h"

namespace email::mime {

GMimeParserOptions *parser_options() {
   const std::string unloadable = load_gmime();  // on Linux, loaded on first use and kept loaded
   if (!unloadable.empty()) throw Failure(RPA_UNSUPPORTED, unloadable);
   static std::once_flag started;
   static GMimeParserOptions *options = nullptr;
   std::call_once(started, [] {
      g_mime_init();
      options = g_mime_parser_options_new();
      static const char *fallback[] = {"UTF-8", "CP932", "EUC-JP", "ISO-8859-1", nullptr};
      g_mime_parser_options_set_fallback_charsets(options, fallback);
   });
   return options;
}

}  // namespace email::mime
