#include "dovecot_peer.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "files.h"
#include "test_paths.h"

namespace test {

const DovecotPeer &DovecotPeer::get() {
   static DovecotPeer peer =
       [] {
          DovecotPeer loaded;
          const char *override_path = std::getenv("RPA_TEST_PEER_ENV");
          const std::string path = override_path ? override_path : RPA_TEST_PEER_ENV_FILE;
          std::ifstream file(path);
          if (!file)
             FAIL("no Dovecot peer: "
                  << path
                  << " is missing. Run the tests through ctest (its "
                     "dovecot_start fixture starts the peer) or tests/peers/dovecot/dovecot-peer.sh start "
                  << path);
          std::string line;
          while (std::getline(file, line)) {
             auto equals = line.find('=');
             if (equals != std::string::npos)
                loaded.values_[line.substr(0, equals)] = line.substr(equals + 1);
          }
          return loaded;
       }();
   return peer;
}

std::string DovecotPeer::value(const std::string &name) const {
   auto found = values_.find(name);
   REQUIRE_MESSAGE(found != values_.end(), "the peer state has no " << name);
   return found->second;
}

std::string DovecotPeer::password(const std::string &user) const {
   std::string upper;
   for (char c : user) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
   return read_file(value("PEER_" + upper + "_PASSWORD_FILE"));
}

std::string DovecotPeer::log_of(const std::string &instance) const {
   return read_file(value("PEER_DIR") + "/" + instance + "/dovecot.log");
}

std::map<std::string, std::string> DovecotPeer::values_ending_in(const std::string &suffix) const {
   std::map<std::string, std::string> found;
   for (const auto &[name, value] : values_)
      if (name.size() >= suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
         found.emplace(name, value);
   return found;
}

}  // namespace test
