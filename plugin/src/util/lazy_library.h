// Libraries the plugin loads when it first needs them, not when the host loads the plugin.
//
// On Linux the plugin reaches GMime (with GObject and GLib) and MIT Kerberos (GSSAPI and krb5)
// through stubs made by cmake/LazyLibrary.cmake, and does not NEED them: loading the plugin maps
// neither them nor the two dozen libraries they pull in (GIO, gpgme, libmount, SELinux, ...), whose
// symbol lookups were a third of the dynamic loader's work in a bot run that only connects. The
// first call through any stub of a library loads it (RTLD_NODELETE: never unloaded, as GObject's
// types and GLib's tables require) and resolves all of its functions at once; later calls cost
// one indirect jump. Implementation: util/lazy_library_posix.cpp with util/lazy_table.h.
//
// Code that starts using one of them calls its load function first: a library that cannot load
// is then an error the action reports ("GMime could not be loaded: libgmime-3.0.so.0: cannot open
// shared object file ..."). A stub has no such way out (it cannot know what its function would
// return): if its library cannot load, it writes why to stderr and aborts the process. The load
// functions are there so that it never comes to that; the Debian package depends on the libraries.
//
// Where the plugin links these libraries as usual (Windows, where they are linked statically, and
// the unit tests), the load functions return "" at once: util/lazy_library_windows.cpp.
#pragma once

#include <string>

namespace email {

// "" when GMime, GObject and GLib are loaded (now or before); otherwise why not. Thread-safe.
std::string load_gmime();

// "" when MIT Kerberos (libgssapi_krb5, libkrb5) is loaded (now or before); otherwise why not.
std::string load_kerberos();

}  // namespace email
