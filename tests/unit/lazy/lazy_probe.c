/* A library the unit tests reach only through stubs (cmake/LazyLibrary.cmake): each function
 * weighs its arguments by position, so that one lost, moved or clobbered register shows. */
#include <stdarg.h>

long lazy_probe_integers(long a, long b, long c, long d, long e, long f, long g, long h) {
   return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h; /* g and h: on the stack */
}

double lazy_probe_mixed(int n, double a, long m, double b, double c, double d, double e, double f, double g,
                        double h, double i) {
   return n + 2 * a + 3 * m + 4 * b + 5 * c + 6 * d + 7 * e + 8 * f + 9 * g + 10 * h + 11 * i;
}

double lazy_probe_variadic(int count, ...) { /* %al carries the count of vector registers */
   va_list values;
   va_start(values, count);
   double sum = 0;
   for (int i = 0; i < count; ++i) sum += (i + 1) * va_arg(values, double);
   va_end(values);
   return sum;
}

const char *lazy_probe_name(void) { return "lazy probe"; }
