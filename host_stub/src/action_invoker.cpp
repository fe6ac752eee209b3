#include "action_invoker.h"

namespace rpa_host {

namespace {
void append_to_string(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<std::string *>(sink->sink_data)->append(data, size);
}
}  // namespace

ActionOutcome invoke_action(const FoundAction &action, const std::string &properties_json,
                            const HostServicesTable &host) {
   ActionOutcome outcome;
   rpa_text_sink message{sizeof(rpa_text_sink), &outcome.message, &append_to_string};
   rpa_text_sink result{sizeof(rpa_text_sink), &outcome.result_json, &append_to_string};
   rpa_invoke_result out{sizeof(rpa_invoke_result), &message, &result, nullptr};
   outcome.status = action.plugin->actions->invoke(action.descriptor->id, properties_json.data(),
                                                   properties_json.size(), host.services(), &out);
   if (outcome.result_json.empty()) outcome.result_json = "{}";
   outcome.session = out.session;
   return outcome;
}

}  // namespace rpa_host
