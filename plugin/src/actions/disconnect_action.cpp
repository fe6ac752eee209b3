#include "actions/disconnect_action.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actions/session_store.h"
#include "properties/connect_request.h"
#include "util/abi_boundary.h"
#include "util/failure.h"

namespace email {

DisconnectAction::DisconnectAction(const char *schema_text) : schema_(schema_text) {
   descriptor_.struct_size = sizeof(rpa_action_descriptor);
   descriptor_.id = "email.disconnect/1";
   descriptor_.package = "Email";
   descriptor_.name = "Disconnect";
   descriptor_.label_en = "Disconnect";
   descriptor_.label_ja = "切断";
   descriptor_.description_en = "Logs out of a session opened by Connect and frees its name.";
   descriptor_.schema_json = schema_.text();
}

ActionOutcome DisconnectAction::invoke(const char *properties_json, std::size_t properties_size,
                                       const HostServices &host) const {
   SecretDocument bag;
   parse_property_bag(properties_json, properties_size, bag);
   require_valid(schema_, bag);
   const std::string session_name = session_name_of(schema_, bag);

   SessionReference session = get_email_session(host, session_name);
   StringSink close_message;
   rpa_status status = session.email()->close(session.email(), host.raw(), close_message.sink());
   remove_session(host, session_name);  // the name is free even when the goodbye failed
   if (status != RPA_OK)
      host.warning("Disconnect: \"" + session_name + "\" did not log out cleanly: " + close_message.text());

   ActionOutcome outcome;
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   json.Key("session_name");
   json.String(session_name.c_str());
   json.Key("logged_out");
   json.Bool(status == RPA_OK);
   json.EndObject();
   outcome.result_json = buffer.GetString();
   outcome.message = "disconnected session \"" + session_name + "\"";
   return outcome;
}

}  // namespace email
