#include "util/authorization.h"

namespace email {

SecretString basic_authorization(std::string_view user, std::string_view password) {
   SecretString pair;
   pair.reserve(user.size() + password.size() + 1);
   pair.append(user);
   pair.append(':');
   pair.append(password);
   SecretString encoded = base64_encode(pair.view());
   SecretString value;
   value.reserve(encoded.size() + 6);
   value.append("Basic ");
   value.append(encoded.view());
   return value;
}

SecretString bearer_authorization(std::string_view token) {
   SecretString value;
   value.reserve(token.size() + 7);
   value.append("Bearer ");
   value.append(token);
   return value;
}

}  // namespace email
