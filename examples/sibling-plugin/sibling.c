/* An example sibling plugin, in plain C, that uses a session another plugin opened.
 *
 * Action Example.SessionInfo ("example.session-info/1"), property `session_name` (default
 * "Default"): fetches the email session stored under that name from the host's session store,
 * checks it is alive (noop) and returns its `info` object as the action's result:
 *   {"session_name": "Mail", "alive": true, "session": {"protocol": "IMAP", ...}}
 *
 * It knows nothing of the Email plugin but the installed ABI headers (find_package(rpa)): the
 * entry (rpa/plugin.h), the actions extension (rpa/ext/actions.h) and the email session
 * interface (rpa/ext/email_session.h). */
#include <rpa/rpa.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_NAME_MAX 256

static const char kSchema[] =
    "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"id\": \"example.session-info/1\","
    " \"type\": \"object\", \"additionalProperties\": false,"
    " \"properties\": {\"session_name\": {\"type\": \"string\", \"minLength\": 1, \"default\": "
    "\"Default\"}}}";

static const rpa_action_descriptor kSessionInfo = {
    sizeof(rpa_action_descriptor),
    "example.session-info/1",
    "Example",
    "SessionInfo",
    "Session info",
    "セッション情報",
    "Shows what an email session is connected to (example sibling plugin).",
    kSchema};

static void write_text(const rpa_text_sink *sink, const char *text, size_t size) {
   if (rpa_text_sink_is_usable(sink)) sink->append(sink, text, size);
}
static void write_string(const rpa_text_sink *sink, const char *text) {
   write_text(sink, text, strlen(text));
}

/* A sink that collects into a fixed buffer; `overflow` is set when text did not fit. */
typedef struct buffer_sink {
   rpa_text_sink sink;
   char text[16384];
   size_t size;
   int overflow;
} buffer_sink;

static void buffer_append(const rpa_text_sink *sink, const char *data, size_t size) {
   buffer_sink *self = (buffer_sink *)sink->sink_data;
   if (size > sizeof self->text - 1 - self->size) {
      self->overflow = 1;
      return;
   }
   memcpy(self->text + self->size, data, size);
   self->size += size;
   self->text[self->size] = '\0';
}

static void buffer_init(buffer_sink *self) {
   self->sink.struct_size = sizeof(rpa_text_sink);
   self->sink.sink_data = self;
   self->sink.append = buffer_append;
   self->size = 0;
   self->overflow = 0;
   self->text[0] = '\0';
}

/* Reads the string member "session_name" of a flat JSON object into `name`. An example keeps it
 * small: names with escapes are refused (a real plugin uses a JSON parser). Returns 0 on a bag
 * that is not of that form, 1 with `name` set (to "Default" when the member is absent). */
static int read_session_name(const char *json, size_t size, char name[SESSION_NAME_MAX]) {
   static const char kKey[] = "\"session_name\"";
   const char *end = json + size, *at = NULL;
   for (const char *p = json; p + sizeof kKey - 1 <= end; ++p)
      if (memcmp(p, kKey, sizeof kKey - 1) == 0) {
         at = p + sizeof kKey - 1;
         break;
      }
   if (!at) {
      strcpy(name, "Default");
      return 1;
   }
   while (at < end && (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r')) ++at;
   if (at == end || *at++ != ':') return 0;
   while (at < end && (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r')) ++at;
   if (at == end || *at++ != '"') return 0;
   size_t length = 0;
   while (at < end && *at != '"') {
      if (*at == '\\' || (unsigned char)*at < 0x20 || length + 1 >= SESSION_NAME_MAX) return 0;
      name[length++] = *at++;
   }
   name[length] = '\0';
   return at < end && length > 0;
}

static rpa_status session_info(const char *json, size_t size, const rpa_host_services *host,
                               rpa_invoke_result *out) {
   char name[SESSION_NAME_MAX];
   if (!read_session_name(json, size, name)) {
      write_string(out->message, "session_name: must be a non-empty string without escapes");
      return RPA_INVALID_PROPERTIES;
   }
   if (!RPA_HOST_HAS(host, session_get)) {
      write_string(out->message, "this host has no session store");
      return RPA_UNSUPPORTED;
   }
   const rpa_session_handle *handle = NULL;
   rpa_status status = host->session_get(host->host_data, name, RPA_EMAIL_SESSION_INTERFACE,
                                         RPA_EMAIL_SESSION_REVISION, &handle);
   if (status != RPA_OK) {
      char message[SESSION_NAME_MAX + 64];
      snprintf(message, sizeof message, "no email session named \"%s\" (%s)", name, rpa_status_name(status));
      write_string(out->message, message);
      return status;
   }
   const rpa_email_session *session = (const rpa_email_session *)handle;
   if (!rpa_email_session_is_compatible(session)) {
      handle->release(handle);
      write_string(out->message, "the session is not an " RPA_EMAIL_SESSION_ID);
      return RPA_UNSUPPORTED;
   }
   /* Large buffers on the heap, one pair per call: invoke may run on several threads at once. */
   buffer_sink *buffers = malloc(2 * sizeof(buffer_sink));
   if (!buffers) {
      handle->release(handle);
      write_string(out->message, "out of memory");
      return RPA_INTERNAL;
   }
   buffer_sink *info = &buffers[0], *noop_message = &buffers[1];
   buffer_init(info);
   buffer_init(noop_message);
   const rpa_status alive = session->noop(session, host, &noop_message->sink);
   status = session->info(session, &info->sink);
   handle->release(handle);
   if (status != RPA_OK || info->overflow) {
      free(buffers);
      write_string(out->message, "the session did not describe itself");
      return status != RPA_OK ? status : RPA_INTERNAL;
   }
   char head[SESSION_NAME_MAX + 64];
   snprintf(head, sizeof head, "{\"session_name\":\"%s\",\"alive\":%s,\"session\":", name,
            alive == RPA_OK ? "true" : "false");
   write_string(out->result, head);
   write_text(out->result, info->text, info->size);
   write_string(out->result, "}");
   char message[SESSION_NAME_MAX + 128];
   snprintf(message, sizeof message, "session \"%s\" is %s", name,
            alive == RPA_OK ? "alive" : "not answering: ");
   write_string(out->message, message);
   if (alive != RPA_OK) write_text(out->message, noop_message->text, noop_message->size);
   free(buffers);
   return RPA_OK;
}

static uint32_t action_count(void) { return 1; }
static const rpa_action_descriptor *get_action(uint32_t index) { return index == 0 ? &kSessionInfo : NULL; }

static rpa_status invoke(const char *action_id, const char *json, size_t size, const rpa_host_services *host,
                         rpa_invoke_result *out) {
   if (!out || out->struct_size < sizeof(rpa_invoke_result)) return RPA_INVALID_PROPERTIES;
   out->session = NULL;
   if (!action_id || strcmp(action_id, kSessionInfo.id) != 0) {
      write_string(out->message, "the example plugin has no such action");
      return RPA_UNSUPPORTED;
   }
   return session_info(json, size, host, out);
}

static const rpa_plugin_actions kActions = {action_count, get_action, invoke};

static bool init(const rpa_host_info *host) {
   return host && host->struct_size >= sizeof(rpa_host_info) && rpa_version_is_compatible(host->abi_version);
}
static void deinit(void) {}
static const void *get_extension(const char *id) {
   return rpa_extension_id_is(id, RPA_EXT_ACTIONS) ? &kActions : NULL;
}

RPA_EXPORT const rpa_plugin_entry rpa_entry = {
    RPA_VERSION_INIT, sizeof(rpa_plugin_entry), "org.example.rpa.sibling", "1.0.0", init, deinit,
    get_extension};
