#include "sasl/sasl_mechanism.h"

#include "util/failure.h"
#include "util/text.h"

namespace email {
namespace {

class PlainMechanism final : public SaslMechanism {
 public:
   PlainMechanism(std::string_view username, std::string_view password, std::string_view authzid) {
      message_.reserve(authzid.size() + username.size() + password.size() + 2);
      message_.append(authzid);
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

// ^A, which separates the key=value pairs of XOAUTH2 and OAUTHBEARER. (Never write "\x01a..."
// in a literal: 'a' is a hex digit and joins the escape.)
constexpr char kSeparator = '\x01';

// The OAuth2 mechanisms send everything at once; a challenge can only be the error JSON.
class BearerMechanism final : public SaslMechanism {
 public:
   BearerMechanism(const char *name, SecretString message, std::string_view error_answer)
       : name_(name), message_(std::move(message)), error_answer_(error_answer) {}
   const char *name() const override { return name_; }
   std::optional<SecretString> initial_response() override { return std::move(message_); }
   SecretString respond(std::string_view challenge) override {
      if (answered_error_)
         throw Failure(RPA_PROTOCOL_ERROR,
                       std::string("the server sent a second ") + name_ + " challenge after its error");
      answered_error_ = true;
      server_error_ = printable(challenge, 300);
      return SecretString(error_answer_);
   }
   std::string server_error() const override { return server_error_; }

 private:
   const char *name_;
   SecretString message_;
   std::string_view error_answer_;
   bool answered_error_ = false;
   std::string server_error_;
};

}  // namespace

std::unique_ptr<SaslMechanism> make_xoauth2_mechanism(std::string_view username,
                                                      std::string_view access_token) {
   SecretString message;
   message.append("user=");
   message.append(username);
   message.append(kSeparator);
   message.append("auth=Bearer ");
   message.append(access_token);
   message.append(kSeparator);
   message.append(kSeparator);
   return std::make_unique<BearerMechanism>("XOAUTH2", std::move(message), std::string_view());
}

std::unique_ptr<SaslMechanism> make_oauthbearer_mechanism(std::string_view username,
                                                          std::string_view access_token,
                                                          std::string_view host, unsigned port) {
   SecretString message;
   message.append("n,a=");
   for (char c : username) {
      if (c == ',')
         message.append("=2C");
      else if (c == '=')
         message.append("=3D");
      else
         message.append(c);
   }
   message.append(',');
   message.append(kSeparator);
   message.append("host=");
   message.append(host);
   message.append(kSeparator);
   message.append("port=");
   message.append(std::to_string(port));
   message.append(kSeparator);
   message.append("auth=Bearer ");
   message.append(access_token);
   message.append(kSeparator);
   message.append(kSeparator);
   return std::make_unique<BearerMechanism>("OAUTHBEARER", std::move(message), "\x01");
}

std::unique_ptr<SaslMechanism> make_plain_mechanism(std::string_view username, std::string_view password,
                                                    std::string_view authzid) {
   return std::make_unique<PlainMechanism>(username, password, authzid);
}

std::unique_ptr<SaslMechanism> make_login_mechanism(std::string_view username, std::string_view password) {
   return std::make_unique<LoginMechanism>(username, password);
}

}  // namespace email
