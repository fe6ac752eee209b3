// GMime (libgmime-3.0) inside a plugin: started once, never shut down, and kept mapped.
//
// GMime registers GObject types and keeps global tables; unloading it while the process runs (the
// host unloads this plugin) would leave GObject pointing into unmapped code. On Linux the plugin
// loads GMime, with GObject and GLib, on first use and keeps it mapped until the process ends
// (util/lazy_library.h: RTLD_NODELETE), like libgobject itself (built unloadable-never); a plugin
// that never parses or composes a message does not load them at all. On Windows GMime is part of
// the plugin's DLL.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace email::mime {

// Loads GMime where it is loaded on first use, starts it once (thread-safe) and returns the parser
// options every parse uses: fallback charsets for undeclared 8-bit header text (UTF-8, then the
// Japanese CP932 and EUC-JP, then Latin-1). Every use of GMime or GLib starts here. Throws
// Failure(RPA_UNSUPPORTED) when GMime cannot be loaded.
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
