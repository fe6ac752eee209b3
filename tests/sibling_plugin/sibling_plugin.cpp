// A sibling plugin built only for tests. It knows nothing of the Email plugin but its ABI
// headers: it fetches a session from the host by name and lists its folders through the
// "email.session/1" interface, proving a separately built plugin can use the session.
//
// Action: Sibling.ListFolders ("sibling.list-folders/1"), property session_name,
// result {"folders": ["INBOX", ...]}.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "rpa/rpa.h"

namespace {

const char kSchema[] = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "id": "sibling.list-folders/1",
  "type": "object",
  "additionalProperties": false,
  "properties": {"session_name": {"type": "string", "minLength": 1, "default": "Default"}}
})";

const rpa_action_descriptor kListFolders = {sizeof(rpa_action_descriptor),
                                            "sibling.list-folders/1",
                                            "Sibling",
                                            "ListFolders",
                                            "List folders",
                                            "フォルダー一覧",
                                            "Lists the folders of an email session (test plugin).",
                                            kSchema};

void write(const rpa_text_sink *sink, const std::string &text) {
   if (rpa_text_sink_is_usable(sink)) sink->append(sink, text.data(), text.size());
}

void append_to_string(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<std::string *>(sink->sink_data)->append(data, size);
}

rpa_status list_folders(const char *json, size_t size, const rpa_host_services *host,
                        rpa_invoke_result *out) {
   rapidjson::Document bag;
   bag.Parse(json, size);
   if (bag.HasParseError() || !bag.IsObject()) {
      write(out->message, "invalid properties: not a JSON object");
      return RPA_INVALID_PROPERTIES;
   }
   std::string name = "Default";
   if (bag.HasMember("session_name")) {
      if (!bag["session_name"].IsString()) {
         write(out->message, "invalid properties: session_name must be a string");
         return RPA_INVALID_PROPERTIES;
      }
      name = bag["session_name"].GetString();
   }
   const rpa_session_handle *handle = nullptr;
   rpa_status status = host->session_get(host->host_data, name.c_str(), RPA_EMAIL_SESSION_INTERFACE,
                                         RPA_EMAIL_SESSION_REVISION, &handle);
   if (status != RPA_OK) {
      write(out->message, "no email session named \"" + name + "\" (" + rpa_status_name(status) + ")");
      return status;
   }
   const auto *session = reinterpret_cast<const rpa_email_session *>(handle);
   std::string folders_json, message;
   rpa_text_sink folders_sink{sizeof(rpa_text_sink), &folders_json, &append_to_string};
   rpa_text_sink message_sink{sizeof(rpa_text_sink), &message, &append_to_string};
   status = rpa_email_session_is_compatible(session)
                ? session->list_folders(session, host, &folders_sink, &message_sink)
                : RPA_UNSUPPORTED;
   handle->release(handle);
   if (status != RPA_OK) {
      write(out->message, message);
      return status;
   }
   rapidjson::Document folders;
   folders.Parse(folders_json.c_str());
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> result(buffer);
   result.StartObject();
   result.Key("folders");
   result.StartArray();
   if (folders.IsObject() && folders.HasMember("folders") && folders["folders"].IsArray())
      for (auto &folder : folders["folders"].GetArray())
         if (folder.IsObject() && folder.HasMember("name") && folder["name"].IsString())
            result.String(folder["name"].GetString(), folder["name"].GetStringLength());
   result.EndArray();
   result.EndObject();
   write(out->result, buffer.GetString());
   write(out->message, message);
   return RPA_OK;
}

bool init(const rpa_host_info *host) { return host && rpa_version_is_compatible(host->abi_version); }
void deinit() {}
uint32_t action_count() { return 1; }
const rpa_action_descriptor *get_action(uint32_t index) { return index == 0 ? &kListFolders : nullptr; }
rpa_status invoke(const char *action_id, const char *json, size_t size, const rpa_host_services *host,
                  rpa_invoke_result *out);
const rpa_plugin_actions kActions = {action_count, get_action, invoke};
const void *get_extension(const char *id) {
   return rpa_extension_id_is(id, RPA_EXT_ACTIONS) ? &kActions : nullptr;
}

rpa_status invoke(const char *action_id, const char *json, size_t size, const rpa_host_services *host,
                  rpa_invoke_result *out) {
   try {
      if (std::string(action_id ? action_id : "") != kListFolders.id) return RPA_UNSUPPORTED;
      if (!RPA_HOST_HAS(host, session_get)) {
         write(out->message, "this host has no session store");
         return RPA_UNSUPPORTED;
      }
      return list_folders(json, size, host, out);
   } catch (...) {
      write(out->message, "internal error in the sibling plugin");
      return RPA_INTERNAL;
   }
}

}  // namespace

extern "C" RPA_EXPORT const rpa_plugin_entry rpa_entry = {
    RPA_VERSION_INIT, sizeof(rpa_plugin_entry), "org.rpa.test.sibling", "0.1.0", init, deinit, get_extension};
