// Environment variables for tests, the one place where setting them differs between Linux
// (setenv) and Windows (_putenv_s, which the C runtime's getenv and GetEnvironmentVariable both see).
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
