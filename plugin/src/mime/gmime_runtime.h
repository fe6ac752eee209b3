// GMime (libgmime-3.0) inside a plugin: started once, never shut down, and kept mapped.
//
// GMime registers GObject types and keeps global tables; unloading it while the process runs (the
// host unloads this plugin, which pulled GMime in) would leave GObject pointing into unmapped
// code. So the first use pins libgmime (util/library_pin.h) and GMime lives until the process
// ends, like libgobject itself (which is built unloadable-never). The plugin pins it at init
// already (keep_gmime_loaded): GLib's own constructor allocates at load time.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace email::mime {

// Pins libgmime, and with it GLib, before any use: GLib's library constructor allocates tables
// that an unload would leak (the plugin's init calls this). Cheap; starts nothing.
void keep_gmime_loaded();

// Starts GMime once (thread-safe) and returns the parser options every parse uses: fallback
// charsets for undeclared 8-bit header text (UTF-8, then the Japanese CP932 and EUC-JP, then
// Latin-1).
GMimeParserOptions *parser_options();

// Owns one reference to a GObject.
struct GObjectUnref {
   void operator()(void *object) const {
      if (object) g_object_unref(object);
   }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace email::mime
