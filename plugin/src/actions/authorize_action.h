// Email.Authorize ("email.authorize/1"): the Connect action's Authorize button. Takes a Connect
// property bag with auth_type "oauth2", runs the interactive sign-in once (browser through the
// host's open_url; see oauth/authorize_flow.h) and stores the refresh token in the Credential
// Vault, so that every later Connect with the same bag signs in silently, without a password.
// Opens no session.
#pragma once

#include "actions/action.h"

namespace email {

class AuthorizeAction final : public Action {
 public:
   // `connect_schema_text`: the bag is a Connect bag.
   explicit AuthorizeAction(const char *connect_schema_text);
   const rpa_action_descriptor &descriptor() const override { return descriptor_; }
   ActionOutcome invoke(const char *properties_json, std::size_t properties_size,
                        const HostServices &host) const override;

 private:
   ActionSchema schema_;
   rpa_action_descriptor descriptor_{};
};

}  // namespace email
