// cpprest_home on Windows (http/cpprest_home.h): cpprestsdk is inside the plugin's DLL, linked
// statically: the pool is the plugin's own, run with the same copy of asio that cpprestsdk uses.
#include "http/cpprest_home.h"

namespace email::http_runtime {

CpprestHome find_cpprest_home() {
   CpprestHome home;
   home.run = [](boost::asio::io_service &service) {
      boost::system::error_code ignored;
      service.run(ignored);
   };
   return home;
}

}  // namespace email::http_runtime
