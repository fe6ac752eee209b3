#include "session/email_session_object.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/abi_boundary.h"
#include "util/failure.h"

namespace email {


EmailSessionObject::EmailSessionObject(std::unique_ptr<MailClient> client, std::string user,
                                       std::chrono::milliseconds timeout)
    : client_(std::move(client)), user_(std::move(user)), timeout_(timeout) {
   interface_.handle.struct_size = sizeof(rpa_session_handle);
   interface_.handle.interface_id = RPA_EMAIL_SESSION_ID;
   interface_.handle.maker_data = this;
   interface_.handle.retain = &EmailSessionObject::retain;
   interface_.handle.release = &EmailSessionObject::release;
   interface_.struct_size = sizeof(rpa_email_session);
   interface_.info = &EmailSessionObject::info;
   interface_.noop = &EmailSessionObject::noop;
   interface_.list_folders = &EmailSessionObject::list_folders;
   interface_.close = &EmailSessionObject::close;
   snapshot();
}

EmailSessionObject::~EmailSessionObject() {
   if (client_) {  // released without close: say goodbye, briefly and silently
      HostServices silent(nullptr);
      CallContext context(silent, std::min(timeout_, std::chrono::milliseconds(5000)), facts_.host);
      client_->logout(context);
   }
}

const rpa_email_session *EmailSessionObject::create(std::unique_ptr<MailClient> client,
                                                    std::string user,
                                                    std::chrono::milliseconds timeout) {
   auto *object = new EmailSessionObject(std::move(client), std::move(user), timeout);
   return &object->interface_;
}

EmailSessionObject *EmailSessionObject::from(const rpa_email_session *self) {
   return static_cast<EmailSessionObject *>(self->handle.maker_data);
}
EmailSessionObject *EmailSessionObject::from(const rpa_session_handle *self) {
   return static_cast<EmailSessionObject *>(self->maker_data);
}

void EmailSessionObject::snapshot() {
   if (!client_) return;
   protocol_ = client_->protocol();
   facts_ = client_->facts();
   capabilities_ = client_->capabilities();
}

std::string EmailSessionObject::describe() const {
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   json.Key("protocol");
   json.String(protocol_.c_str());
   json.Key("server");
   json.String(facts_.host.c_str());
   json.Key("port");
   json.Uint(facts_.port);
   json.Key("user");
   json.String(user_.c_str());
   json.Key("tls_version");
   facts_.tls_version.empty() ? json.Null() : json.String(facts_.tls_version.c_str());
   if (!facts_.login_method.empty()) {
      json.Key("login_method");
      json.String(facts_.login_method.c_str());
   }
   if (!facts_.server_version.empty()) {
      json.Key("server_version");
      json.String(facts_.server_version.c_str());
   }
   json.Key("capabilities");
   json.StartArray();
   for (const auto &capability : capabilities_) json.String(capability.c_str());
   json.EndArray();
   json.Key("state");
   json.String(client_ ? "authenticated" : "closed");
   json.Key("bytes_sent");
   json.Uint64(facts_.stats.bytes_sent);
   json.Key("bytes_received");
   json.Uint64(facts_.stats.bytes_received);
   json.Key("round_trips");
   json.Uint64(facts_.stats.round_trips);
   json.EndObject();
   return buffer.GetString();
}

std::string EmailSessionObject::info_json(const rpa_email_session *session) {
   EmailSessionObject *self = from(session);
   std::lock_guard<std::mutex> lock(self->mutex_);
   self->snapshot();
   return self->describe();
}

CallContext EmailSessionObject::open_call(const HostServices &host) const {
   if (!client_) throw Failure(RPA_SESSION_NOT_FOUND, "the session was closed");
   return CallContext(host, timeout_, facts_.host);
}

void EmailSessionObject::retain(const rpa_session_handle *self) {
   from(self)->references_.fetch_add(1, std::memory_order_relaxed);
}

void EmailSessionObject::release(const rpa_session_handle *self) {
   EmailSessionObject *object = from(self);
   if (object->references_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      try {
         delete object;
      } catch (...) {  // a destructor that throws must not cross the boundary
      }
   }
}

rpa_status EmailSessionObject::info(const rpa_email_session *self, const rpa_text_sink *out_json) {
   return guard_boundary(nullptr, "the email session", [&] {
      write_text(out_json, info_json(self));
      return RPA_OK;
   });
}

rpa_status EmailSessionObject::noop(const rpa_email_session *self, const rpa_host_services *host,
                                    const rpa_text_sink *message) {
   return guard_boundary(message, "the email session", [&] {
      EmailSessionObject *object = from(self);
      std::lock_guard<std::mutex> lock(object->mutex_);
      HostServices services(host);
      CallContext context = object->open_call(services);
      object->client_->noop(context);
      write_text(message, "the connection is alive");
      return RPA_OK;
   });
}

rpa_status EmailSessionObject::list_folders(const rpa_email_session *self,
                                            const rpa_host_services *host,
                                            const rpa_text_sink *out_json,
                                            const rpa_text_sink *message) {
   return guard_boundary(message, "the email session", [&] {
      EmailSessionObject *object = from(self);
      std::lock_guard<std::mutex> lock(object->mutex_);
      HostServices services(host);
      CallContext context = object->open_call(services);
      std::vector<Folder> folders = object->client_->list_folders(context);
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
      json.StartObject();
      json.Key("folders");
      json.StartArray();
      for (const Folder &folder : folders) {
         json.StartObject();
         json.Key("name");
         json.String(folder.name.c_str(), static_cast<rapidjson::SizeType>(folder.name.size()));
         json.Key("delimiter");
         json.String(folder.delimiter.c_str());
         json.Key("attributes");
         json.StartArray();
         for (const auto &attribute : folder.attributes) json.String(attribute.c_str());
         json.EndArray();
         json.EndObject();
      }
      json.EndArray();
      json.EndObject();
      write_text(out_json, buffer.GetString());
      std::string names;
      for (std::size_t i = 0; i < folders.size() && i < 20; ++i)
         names += (i ? ", " : ": ") + folders[i].name;
      if (folders.size() > 20) names += ", ...";
      write_text(message, std::to_string(folders.size()) + (folders.size() == 1 ? " folder" : " folders") + names);
      return RPA_OK;
   });
}

rpa_status EmailSessionObject::close(const rpa_email_session *self, const rpa_host_services *host,
                                     const rpa_text_sink *message) {
   return guard_boundary(message, "the email session", [&] {
      EmailSessionObject *object = from(self);
      std::lock_guard<std::mutex> lock(object->mutex_);
      if (!object->client_) {
         write_text(message, "the session was already closed");
         return RPA_OK;
      }
      HostServices services(host);
      CallContext context(services, object->timeout_, object->facts_.host);
      object->snapshot();
      object->client_->logout(context);
      object->client_.reset();
      write_text(message, "logged out of " + object->facts_.host);
      return RPA_OK;
   });
}

}  // namespace email
