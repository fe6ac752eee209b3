// Email.Disconnect ("email.disconnect/1"): logs out of the named session and frees the name.
// Works on any session implementing "email.session/1", whichever plugin made it.
#pragma once

#include "actions/action.h"

namespace email {

class DisconnectAction final : public Action {
 public:
   explicit DisconnectAction(const char *schema_text);
   const rpa_action_descriptor &descriptor() const override { return descriptor_; }
   ActionOutcome invoke(const char *properties_json, std::size_t properties_size,
                        const HostServices &host) const override;

 private:
   ActionSchema schema_;
   rpa_action_descriptor descriptor_{};
};

}  // namespace email
