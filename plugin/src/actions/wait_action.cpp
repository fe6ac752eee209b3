#include "actions/wait_action.h"

#include "host/session_store.h"
#include "properties/connect_request.h"
#include "rpa/ext/email_watch.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/json_writer.h"

namespace email {

namespace {

const SecretValue *member(const SecretDocument &bag, const char *name) {
   auto found = bag.FindMember(name);
   return found == bag.MemberEnd() ? nullptr : &found->value;
}

std::string text(const ActionSchema &schema, const SecretDocument &bag, const char *name) {
   if (const SecretValue *value = member(bag, name); value && value->IsString())
      return std::string(value->GetString(), value->GetStringLength());
   const rapidjson::Value *fallback = schema.default_of(name);
   return fallback && fallback->IsString() ? fallback->GetString() : "";
}

}  // namespace

ActionOutcome run_wait_for_message(const ActionSchema &schema, const SecretDocument &bag,
                                   const HostServices &host) {
   const std::string session_name = session_name_of(schema, bag);
   SessionReference session = get_email_session(host, session_name);
   const rpa_session_handle *handle = session.get();
   const rpa_session_handle *watch_handle =
       handle->query_interface
           ? handle->query_interface(handle, RPA_EMAIL_WATCH_INTERFACE, RPA_EMAIL_WATCH_REVISION)
           : nullptr;
   if (!watch_handle)
      throw Failure(RPA_UNSUPPORTED, "the session \"" + session_name + "\" cannot wait for new mail");
   const SessionReference watch_reference(watch_handle);
   const auto *watch = reinterpret_cast<const rpa_email_watch *>(watch_handle);
   if (!rpa_email_watch_is_compatible(watch))
      throw Failure(RPA_UNSUPPORTED,
                    "the session \"" + session_name + "\" offers an unknown watch interface");

   JsonWriter filter;
   if (const std::string from = text(schema, bag, "from"); !from.empty()) filter.string("from", from);
   if (const std::string subject = text(schema, bag, "subject_contains"); !subject.empty())
      filter.string("subject", subject);
   if (const SecretValue *attached = member(bag, "has_attachments");
       attached && attached->IsBool() && attached->GetBool())
      filter.boolean("has_attachments", true);
   const SecretValue *seconds = member(bag, "timeout_seconds");
   const long long timeout = seconds && seconds->IsInt64() ? seconds->GetInt64() : 60;

   StringSink result, message;
   const rpa_status status = watch->wait(
       watch, host.raw(), text(schema, bag, "folder").c_str(), text(schema, bag, "cursor").c_str(),
       static_cast<uint32_t>(timeout * 1000), filter.finish().c_str(), result.sink(), message.sink());
   if (status != RPA_OK) throw Failure(status, message.text());
   ActionOutcome outcome;
   outcome.result_json = result.text();
   outcome.message = message.text();
   return outcome;
}

}  // namespace email
