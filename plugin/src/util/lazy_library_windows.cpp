#include "util/lazy_library.h"

// Windows: the plugin links GMime and its peers statically, and uses SSPI, not Kerberos libraries.
namespace email {

std::string load_gmime() { return ""; }

std::string load_kerberos() { return ""; }

}  // namespace email
