// Email.Connect ("email.connect/1"): validates the bag, resolves credentials, opens an IMAP or
// POP3 session and stores it in the host under the session name.
#pragma once

#include "actions/action.h"

namespace email {

class ConnectAction final : public Action {
 public:
   explicit ConnectAction(const char *schema_text);
   const rpa_action_descriptor &descriptor() const override { return descriptor_; }
   ActionOutcome invoke(const char *properties_json, std::size_t properties_size,
                        const HostServices &host) const override;

 private:
   ActionSchema schema_;
   rpa_action_descriptor descriptor_{};
};

}  // namespace email
