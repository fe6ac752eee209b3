// Environment variables for tests, the one place where setting them differs between Linux
// (setenv) and Windows (_wputenv_s, in UTF-16: the C runtime's _wgetenv and GetEnvironmentVariableW see
// the UTF-8 value whole).
#pragma once

#include <string>

namespace test {

void set_environment(const char *name, const std::string &value);
void unset_environment(const char *name);

// Sets an environment variable for a scope and unsets it on the way out.
class ScopedEnvironment {
 public:
   ScopedEnvironment(const char *name, const std::string &value) : name_(name) {
      set_environment(name, value);
   }
   ~ScopedEnvironment() { unset_environment(name_); }
   ScopedEnvironment(const ScopedEnvironment &) = delete;
   ScopedEnvironment &operator=(const ScopedEnvironment &) = delete;

 private:
   const char *name_;
};

}  // namespace test
