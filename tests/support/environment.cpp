#include "environment.h"

#include <cstdlib>

#ifdef _WIN32
#  include "rpa_common/utf16.h"
#endif

namespace test {

#ifdef _WIN32
// UTF-16, as Windows keeps the environment: a UTF-8 value arrives whole.
void set_environment(const char *name, const std::string &value) {
   _wputenv_s(rpa::widen(name).c_str(), rpa::widen(value).c_str());
}
void unset_environment(const char *name) { _wputenv_s(rpa::widen(name).c_str(), L""); }  // "" removes it
#else
void set_environment(const char *name, const std::string &value) { ::setenv(name, value.c_str(), 1); }
void unset_environment(const char *name) { ::unsetenv(name); }
#endif

}  // namespace test
