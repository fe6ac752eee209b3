#include "sasl/sasl_mechanism.h"

#include "util/failure.h"
#include "util/text.h"

namespace email {
namespace {

class PlainMechanism final : public SaslMechanism {
 public:
   PlainMechanism(std::string_view username, std::string_view password) {
      message_.reserve(username.size() + password.size() + 2);
      message_.append('\0');
      message_.append(username);
      message_.append('\0');
      message_.append(password);
   }
   const char *name() const override { return "PLAIN"; }
   std::optional<SecretString> initial_response() override { return std::move(message_); }
   // The exchange sends the initial response itself, with or without a first empty challenge;
   // PLAIN has nothing more to say.
   SecretString respond(std::string_view) override {
      throw Failure(RPA_PROTOCOL_ERROR, "the server sent an unexpected PLAIN challenge");
   }

 private:
   SecretString message_;
};

class LoginMechanism final : public SaslMechanism {
 public:
   LoginMechanism(std::string_view username, std::string_view password)
       : username_(username), password_(password) {}
   const char *name() const override { return "LOGIN"; }
   std::optional<SecretString> initial_response() override { return std::nullopt; }
   SecretString respond(std::string_view challenge) override {
      // Servers send "Username:" and "Password:" (some send other prompts); answer in order.
      if (step_ == 0 || istarts_with(challenge, "User")) {
         step_ = 1;
         return username_.clone();
      }
      if (step_ == 1) {
         step_ = 2;
         return password_.clone();
      }
      throw Failure(RPA_PROTOCOL_ERROR, "the server sent an unexpected LOGIN challenge");
   }

 private:
   SecretString username_;
   SecretString password_;
   int step_ = 0;
};

}  // namespace

std::unique_ptr<SaslMechanism> make_plain_mechanism(std::string_view username,
                                                    std::string_view password) {
   return std::make_unique<PlainMechanism>(username, password);
}

std::unique_ptr<SaslMechanism> make_login_mechanism(std::string_view username,
                                                    std::string_view password) {
   return std::make_unique<LoginMechanism>(username, password);
}

}  // namespace email
