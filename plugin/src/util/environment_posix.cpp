// util/environment.h on Linux: the bytes as they are.
#include "util/environment.h"

#include <cstdlib>

namespace email {

std::optional<std::string> environment_variable(const char *name) {
   const char *value = std::getenv(name);
   if (!value) return std::nullopt;
   return std::string(value);
}

}  // namespace email
