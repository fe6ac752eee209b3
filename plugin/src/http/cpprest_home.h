// cpprest_home: where the process's cpprestsdk lives, for http/http_runtime.h, and how a thread of
// the plugin's runs its pool. The one place this differs between the systems:
//  - Linux (http/cpprest_home_posix.cpp): libcpprest.so is shared by everything in the process that
//    links it. It is pinned (RTLD_NODELETE); when another object needs it too, its pool is theirs;
//    the run loop is libcpprest's own compiled scheduler::run (asio keeps the running scheduler in
//    a thread-local that each shared object has its own copy of).
//  - Windows (http/cpprest_home_windows.cpp): cpprestsdk is linked statically into the plugin's
//    DLL: its pool is the plugin's alone, unloaded with it, and run by io_service::run().
#pragma once

#include <boost/asio/io_service.hpp>

#include <functional>

namespace email::http_runtime {

struct CpprestHome {
   bool theirs = false;  // another part of the process uses this cpprestsdk: leave its pool as it is
   // Runs the pool's io_service on the calling thread until it is stopped; empty when the plugin
   // cannot run it (then cpprestsdk keeps its own threads).
   std::function<void(boost::asio::io_service &)> run;
};

// Looks the library up (and pins it where it is a shared library of its own).
CpprestHome find_cpprest_home();

}  // namespace email::http_runtime
