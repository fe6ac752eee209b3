// One lazily loaded library's table of stubs, as cmake/LazyLibrary.cmake lays it out (ELF, x86-64;
// the manual is util/lazy_library.h). Included by util/lazy_library_posix.cpp and its unit test.
#pragma once

#include <cstddef>
#include <string>

namespace email {

struct LazyTable {
   const char *const *sonames;  // loaded in order; nullptr-terminated
   const char *const *names;    // the functions, `count` of them
   void **slots;                // where each stub jumps: first the resolver, then the function
   std::size_t count;
};

// Loads the table's libraries and resolves every one of its functions, once for the process
// (thread-safe; the outcome, good or bad, is kept). "" when every slot holds its function;
// otherwise why not, naming the library or the function, and no slot has changed.
std::string load_lazy_table(LazyTable &table);

}  // namespace email

// What a stub calls on its first use (hidden; the stubs' assembly calls it by this name): loads
// `table` and returns the function for slot `index`. Aborts, with the reason on stderr, when the
// library cannot load: the stub has nothing it could return instead.
extern "C" void *rpa_lazy_resolve(email::LazyTable *table, std::size_t index);
