// DovecotPeer: what tests/peers/dovecot/dovecot-peer.sh started for this test run (its state
// file: ports, CA files, password files). Passwords are read from files, never printed.
#pragma once

#include <map>
#include <string>

namespace test {

class DovecotPeer {
 public:
   // The running peer; FAILs the test with instructions when the state file is missing.
   static const DovecotPeer &get();

   std::string value(const std::string &name) const;
   int port(const std::string &name) const { return std::stoi(value(name)); }
   std::string ca_file() const { return value("PEER_CA_FILE"); }
   std::string other_ca_file() const { return value("PEER_OTHER_CA_FILE"); }
   std::string password(const std::string &user) const;    // "alice" or "bob"
   std::string log_of(const std::string &instance) const;  // "secure", "plain", "strict"
   // Every name=value of the state file whose name ends in `suffix` ("_PASSWORD_FILE").
   std::map<std::string, std::string> values_ending_in(const std::string &suffix) const;

 private:
   std::map<std::string, std::string> values_;
};

}  // namespace test
