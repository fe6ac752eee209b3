#include "environment.h"

#include <cstdlib>

namespace test {

#ifdef _WIN32
void set_environment(const char *name, const std::string &value) { _putenv_s(name, value.c_str()); }
void unset_environment(const char *name) { _putenv_s(name, ""); }  // "" removes it on Windows
#else
void set_environment(const char *name, const std::string &value) { ::setenv(name, value.c_str(), 1); }
void unset_environment(const char *name) { ::unsetenv(name); }
#endif

}  // namespace test
