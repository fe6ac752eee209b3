// Names that travel into log lines and messages (session names, action ids, vault entry names)
// must not be able to forge a line: no control characters at all.
#pragma once

#include <string_view>

namespace rpa {

// True when `name` is non-empty and holds no C0 control character (CR, LF, NUL, TAB, ...) and no
// DEL. Other bytes, UTF-8 included, are fine.
inline bool is_clean_name(std::string_view name) {
   if (name.empty()) return false;
   for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) return false;
   }
   return true;
}

}  // namespace rpa
