// Libraries loaded on first use (util/lazy_library.h, cmake/LazyLibrary.cmake), on a probe library
// the unit tests do not link (lazy/lazy_probe.c): nothing is loaded before the first call, every
// argument reaches the function (registers, the stack, a variadic call's vector count), threads
// calling first at once all get through, and a library or function that is not there is a clear
// error that changes nothing. Linux only: Windows links these libraries statically.
#include <doctest/doctest.h>

#include <dlfcn.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "util/lazy_library.h"
#include "util/lazy_table.h"

extern "C" {
long lazy_probe_integers(long a, long b, long c, long d, long e, long f, long g, long h);
double lazy_probe_mixed(int n, double a, long m, double b, double c, double d, double e, double f, double g,
                        double h, double i);
double lazy_probe_variadic(int count, ...);
extern email::LazyTable rpa_lazy_table_probe;
extern email::LazyTable rpa_lazy_table_missing_library;
extern email::LazyTable rpa_lazy_table_missing_function;
}

namespace {

bool probe_loaded() {
   void *handle = ::dlopen(LAZY_PROBE_PATH, RTLD_NOW | RTLD_NOLOAD);
   if (handle) ::dlclose(handle);
   return handle != nullptr;
}

}  // namespace

TEST_SUITE("lazy libraries") {

TEST_CASE("a library behind stubs loads on the first call, and every argument reaches its functions") {
   REQUIRE_FALSE(probe_loaded());
   CHECK(rpa_lazy_table_probe.count == 3);
   void *const first_slot = rpa_lazy_table_probe.slots[0];

   // Eight threads make the first calls at once; each checks its own results.
   std::atomic<bool> go{false};
   std::atomic<int> wrong{0};
   std::vector<std::thread> threads;
   for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
         while (!go.load()) std::this_thread::yield();
         for (int round = 0; round < 100; ++round) {
            const long base = t * 1000 + round;
            if (lazy_probe_integers(base, 2, 3, 4, 5, 6, 7, 8) !=
                base + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5 + 6 * 6 + 7 * 7 + 8 * 8)
               ++wrong;
            const double mixed = lazy_probe_mixed(t, 0.5, round, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5);
            const double expected = t + 2 * 0.5 + 3.0 * round + 4 * 1.5 + 5 * 2.5 + 6 * 3.5 + 7 * 4.5 +
                                    8 * 5.5 + 9 * 6.5 + 10 * 7.5 + 11 * 8.5;
            if (mixed != expected) ++wrong;
            if (lazy_probe_variadic(3, 1.25, 2.5, static_cast<double>(t)) != 1.25 + 2 * 2.5 + 3.0 * t)
               ++wrong;
         }
      });
   go = true;
   for (auto &thread : threads) thread.join();
   CHECK(wrong.load() == 0);
   CHECK(probe_loaded());
   CHECK(rpa_lazy_table_probe.slots[0] != first_slot);  // now the function itself
   CHECK(email::load_lazy_table(rpa_lazy_table_probe).empty());
}

TEST_CASE("a library that is not there: an error naming it, and no slot changes") {
   email::LazyTable &table = rpa_lazy_table_missing_library;
   void *const before = table.slots[0];
   const std::string failure = email::load_lazy_table(table);
   CHECK(failure.find("librpa-no-such-library.so.0") != std::string::npos);
   CHECK(table.slots[0] == before);
   CHECK(email::load_lazy_table(table) == failure);  // kept: not tried again and again
}

TEST_CASE("a function the library lacks: an error naming it, and no slot changes, not even the found one") {
   email::LazyTable &table = rpa_lazy_table_missing_function;
   REQUIRE(table.count == 2);
   void *const name_before = table.slots[0];
   void *const absent_before = table.slots[1];
   const std::string failure = email::load_lazy_table(table);
   CHECK(failure == std::string(LAZY_PROBE_PATH) + " has no function lazy_probe_absent");
   CHECK(table.slots[0] == name_before);
   CHECK(table.slots[1] == absent_before);
}

TEST_CASE("where GMime and Kerberos are linked as usual (these tests), loading them is nothing to do") {
   CHECK(email::load_gmime().empty());
   CHECK(email::load_kerberos().empty());
}

}  // TEST_SUITE("lazy libraries")
