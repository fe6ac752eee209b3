// SASL challenges: every mechanism answers (or refuses) any decoded challenge, and the shared
// exchange survives any sequence of server replies (one per input line; the first byte of a
// line picks challenge, success or failure).
#include <sstream>

#include "fuzz_host.h"
#include "sasl/sasl_exchange.h"
#include "sasl/sasl_mechanism.h"
#include "util/failure.h"

namespace {

class ScriptedCarrier final : public email::SaslCarrier {
 public:
   explicit ScriptedCarrier(const std::string &script) : script_(script) {}
   void send_start(const char *, const email::SecretString *) override {}
   bool can_send_initial_response(std::size_t) const override { return initial_; }
   email::SaslServerReply read_reply() override {
      std::string line;
      if (!std::getline(script_, line)) return {email::SaslServerReply::Kind::failure, "end"};
      const char kind = line.empty() ? 'c' : line[0];
      const std::string payload = line.empty() ? "" : line.substr(1);
      if (kind == '+') return {email::SaslServerReply::Kind::success, payload};
      if (kind == '-') return {email::SaslServerReply::Kind::failure, payload};
      return {email::SaslServerReply::Kind::challenge, payload};
   }
   bool initial_ = true;

 protected:
   void write_line(std::string_view, std::string_view) override {}

 private:
   std::istringstream script_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   for (int which = 0; which < 4; ++which) {
      std::unique_ptr<email::SaslMechanism> mechanism =
          which == 0   ? email::make_plain_mechanism("alice", "pw")
          : which == 1 ? email::make_login_mechanism("alice", "pw")
          : which == 2 ? email::make_xoauth2_mechanism("alice", "token")
                       : email::make_oauthbearer_mechanism("alice", "token", "imap.example.com", 993);
      try {
         (void)mechanism->respond(input);
         (void)mechanism->server_error();
      } catch (const email::Failure &) {}
   }
   for (bool initial : {true, false}) {
      ScriptedCarrier carrier(input);
      carrier.initial_ = initial;
      auto mechanism = email::make_oauthbearer_mechanism("alice", "token", "imap.example.com", 993);
      try {
         (void)email::run_sasl(carrier, *mechanism);
      } catch (const email::Failure &) {}
   }
   return 0;
}
