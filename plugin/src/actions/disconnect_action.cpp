#include "actions/disconnect_action.h"

#include "host/session_store.h"
#include "properties/connect_request.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/json_writer.h"

namespace email {

ActionOutcome run_disconnect(const ActionSchema &schema, const SecretDocument &bag,
                             const HostServices &host) {
   const std::string session_name = session_name_of(schema, bag);

   SessionReference session = get_email_session(host, session_name);
   StringSink close_message;
   rpa_status status = session.email()->close(session.email(), host.raw(), close_message.sink());
   remove_session(host, session_name);  // the name is free even when the goodbye failed
   if (status != RPA_OK)
      host.warning("Disconnect: \"" + session_name + "\" did not log out cleanly: " + close_message.text());

   ActionOutcome outcome;
   outcome.result_json =
       JsonWriter().string("session_name", session_name).boolean("logged_out", status == RPA_OK).finish();
   outcome.message = "disconnected session \"" + session_name + "\"";
   return outcome;
}

}  // namespace email
