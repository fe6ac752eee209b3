// util/environment.h on Windows: the UTF-16 environment, as UTF-8.
#include "util/environment.h"

#include <cstdlib>

#include "rpa_common/utf16.h"

namespace email {

std::optional<std::string> environment_variable(const char *name) {
   const wchar_t *value = _wgetenv(rpa::widen(name).c_str());
   if (!value) return std::nullopt;
   return rpa::narrow(value);
}

}  // namespace email
