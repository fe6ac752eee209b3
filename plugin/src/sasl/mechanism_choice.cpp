#include "sasl/mechanism_choice.h"

namespace email {

std::unique_ptr<SaslMechanism> choose_oauth2_mechanism(const OffersMechanism &offers,
                                                       std::string_view username,
                                                       std::string_view access_token, std::string_view host,
                                                       unsigned port) {
   if (offers("OAUTHBEARER")) return make_oauthbearer_mechanism(username, access_token, host, port);
   if (offers("XOAUTH2")) return make_xoauth2_mechanism(username, access_token);
   return nullptr;
}

std::unique_ptr<SaslMechanism> choose_password_mechanism(const OffersMechanism &offers,
                                                         std::string_view username, std::string_view password,
                                                         bool login_allowed, std::string_view authzid) {
   if (offers("PLAIN")) return make_plain_mechanism(username, password, authzid);
   if (!authzid.empty()) return nullptr;
   if (login_allowed && offers("LOGIN")) return make_login_mechanism(username, password);
   return nullptr;
}

}  // namespace email
