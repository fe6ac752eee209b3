#include "session/email_session_object.h"

#include "session/mailbox_entry_points.h"
#include "session/send_entry_points.h"
#include "session/watch_entry_points.h"

#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/json_writer.h"

namespace email {

EmailSessionObject::EmailSessionObject(std::unique_ptr<MailClient> client, std::string user,
                                       std::chrono::milliseconds timeout, Reopener reopen,
                                       std::unique_ptr<MessageSender> sender)
    : sender_(std::move(sender)),
      client_(std::move(client)),
      reopen_(std::move(reopen)),
      user_(std::move(user)),
      timeout_(timeout) {
   interface_.handle.struct_size = sizeof(rpa_session_handle);
   interface_.handle.interface_id = RPA_EMAIL_SESSION_ID;
   interface_.handle.maker_data = this;
   interface_.handle.retain = &EmailSessionObject::retain;
   interface_.handle.release = &EmailSessionObject::release;
   interface_.handle.query_interface = &EmailSessionObject::query_interface;
   mailbox_interface_.handle = interface_.handle;
   mailbox_interface_.handle.interface_id = RPA_EMAIL_MAILBOX_ID;
   fill_mailbox_interface(mailbox_interface_);
   send_interface_.handle = interface_.handle;
   send_interface_.handle.interface_id = RPA_EMAIL_SEND_ID;
   fill_send_interface(send_interface_);
   watch_interface_.handle = interface_.handle;
   watch_interface_.handle.interface_id = RPA_EMAIL_WATCH_ID;
   fill_watch_interface(watch_interface_);
   watcher_ = std::make_unique<SessionWatcher>(
       [this](CallContext &context) -> std::unique_ptr<MailClient> {
          std::lock_guard<std::mutex> lock(mutex_);  // reopen_ holds the Connect credentials
          if (!client_ && !reopen_) throw Failure(RPA_SESSION_NOT_FOUND, "the session was closed");
          return reopen_ ? reopen_(context) : nullptr;  // HTTP services: borrowed, below
       },
       [this](const std::function<void(Mailbox &)> &work, CallContext &context) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (!client_ && !reopen_) throw Failure(RPA_SESSION_NOT_FOUND, "the session was closed");
          on_mailbox(context, work);
       });
   interface_.struct_size = sizeof(rpa_email_session);
   interface_.info = &EmailSessionObject::info;
   interface_.noop = &EmailSessionObject::noop;
   interface_.list_folders = &EmailSessionObject::list_folders;
   interface_.close = &EmailSessionObject::close;
   snapshot();
}

EmailSessionObject::~EmailSessionObject() {
   HostServices silent(nullptr);
   if (client_) {  // released without close: say goodbye, briefly and silently
      CallContext context(silent, std::min(timeout_, std::chrono::milliseconds(5000)), facts_.host);
      client_->logout(context);
   }
   if (sender_) {
      CallContext context(silent, std::min(timeout_, std::chrono::milliseconds(5000)), facts_.host);
      sender_->close(context);
   }
}

const rpa_email_session *EmailSessionObject::create(std::unique_ptr<MailClient> client, std::string user,
                                                    std::chrono::milliseconds timeout, Reopener reopen,
                                                    std::unique_ptr<MessageSender> sender) {
   auto *object = new EmailSessionObject(std::move(client), std::move(user), timeout, std::move(reopen),
                                         std::move(sender));
   return &object->interface_;
}

EmailSessionObject *EmailSessionObject::from(const rpa_email_session *self) {
   return static_cast<EmailSessionObject *>(self->handle.maker_data);
}
EmailSessionObject *EmailSessionObject::from(const rpa_session_handle *self) {
   return static_cast<EmailSessionObject *>(self->maker_data);
}
EmailSessionObject *EmailSessionObject::from(const rpa_email_mailbox *self) {
   return static_cast<EmailSessionObject *>(self->handle.maker_data);
}
EmailSessionObject *EmailSessionObject::from(const rpa_email_send *self) {
   return static_cast<EmailSessionObject *>(self->handle.maker_data);
}
EmailSessionObject *EmailSessionObject::from(const rpa_email_watch *self) {
   return static_cast<EmailSessionObject *>(self->handle.maker_data);
}

const rpa_session_handle *EmailSessionObject::query_interface(const rpa_session_handle *self,
                                                              const char *interface_name,
                                                              unsigned min_revision) {
   try {
      EmailSessionObject *object = from(self);
      const rpa_session_handle *found = nullptr;
      if (rpa_interface_id_matches(RPA_EMAIL_SESSION_ID, interface_name, min_revision))
         found = &object->interface_.handle;
      else if (rpa_interface_id_matches(RPA_EMAIL_MAILBOX_ID, interface_name, min_revision))
         found = &object->mailbox_interface_.handle;
      else if (rpa_interface_id_matches(RPA_EMAIL_SEND_ID, interface_name, min_revision))
         found = &object->send_interface_.handle;
      else if (rpa_interface_id_matches(RPA_EMAIL_WATCH_ID, interface_name, min_revision))
         found = &object->watch_interface_.handle;
      if (found) retain(found);
      return found;
   } catch (...) {
      return nullptr;
   }
}

void EmailSessionObject::snapshot() {
   if (!client_) return;
   protocol_ = client_->protocol();
   facts_ = client_->facts();
   capabilities_ = client_->capabilities();
   mailbox_can_ = client_->mailbox().capabilities();
}

namespace {

// The email.mailbox/1 functions a mailbox that `can` this performs.
std::vector<std::string> mailbox_operations(const MailboxCapabilities &can) {
   std::vector<std::string> names{"list_folders", "find_folder"};
   if (!can.messages) return names;
   names.insert(names.end(), {"search", "fetch_raw", "fetch_attachment", "fetch_bodies"});
   if (can.flags) names.emplace_back("set_flags");
   if (can.move) names.emplace_back("move");
   if (can.copy) names.emplace_back("copy");
   names.emplace_back("delete_message");
   if (can.append) names.emplace_back("append");
   return names;
}

// The search members (email_mailbox.h) it takes.
std::vector<std::string> search_filters(const MailboxCapabilities &can) {
   if (!can.messages) return {};
   std::vector<std::string> names{"since", "before", "from", "to", "subject"};
   if (can.flags) names.insert(names.begin(), {"seen", "flagged"});
   if (can.attachment_search) names.emplace_back("has_attachments");
   return names;
}

}  // namespace

std::string EmailSessionObject::describe() const {
   JsonWriter json;
   json.string("protocol", protocol_).string("server", facts_.host).number("port", facts_.port);
   json.string("user", user_);
   if (!facts_.mailbox.empty()) json.string("mailbox", facts_.mailbox);
   json.string_or_null("tls_version", facts_.tls_version).boolean("tls_resumed", facts_.tls_resumed);
   if (!facts_.login_method.empty()) json.string("login_method", facts_.login_method);
   if (!facts_.server_version.empty()) json.string("server_version", facts_.server_version);
   if (!facts_.server_id_json.empty()) json.raw("server_id", facts_.server_id_json, rapidjson::kObjectType);
   json.strings("capabilities", capabilities_)
       .strings("mailbox_operations", mailbox_operations(mailbox_can_))
       .strings("search_filters", search_filters(mailbox_can_))
       .string("state", client_   ? "authenticated"
                        : reopen_ ? "disconnected"
                                  : "closed");
   if (MessageSender *sender = sender_ ? sender_.get() : client_ ? client_->sender() : nullptr) {
      const ConnectionFacts sending = sender->facts();
      json.begin_object("sending")
          .string("protocol", sender->protocol())
          .string("server", sending.host)
          .number("port", sending.port)
          .string_or_null("tls_version", sending.tls_version)
          .string("login_method", sending.login_method)
          .end_object();
   }
   json.number("bytes_sent", facts_.stats.bytes_sent)
       .number("bytes_received", facts_.stats.bytes_received)
       .number("round_trips", facts_.stats.round_trips)
       .number("reconnects", reconnects_);
   const SessionWatcher::Tally waits = watcher_->tally();
   if (waits.looks > 0)
      json.begin_object("waiting")
          .number("looks", waits.looks)
          .number("connections", waits.connections)
          .number("bytes_sent", waits.bytes_sent)
          .number("bytes_received", waits.bytes_received)
          .end_object();
   return json.finish();
}

std::string EmailSessionObject::info_json(const rpa_email_session *session) {
   EmailSessionObject *self = from(session);
   std::lock_guard<std::mutex> lock(self->mutex_);
   self->snapshot();
   return self->describe();
}

CallContext EmailSessionObject::open_call(const HostServices &host) const {
   if (!client_ && !reopen_) throw Failure(RPA_SESSION_NOT_FOUND, "the session was closed");
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

rpa_status EmailSessionObject::call(const rpa_host_services *host, const rpa_text_sink *message,
                                    const Work &work) {
   return guard_boundary(message, "the email session", [&] {
      std::lock_guard<std::mutex> lock(mutex_);
      HostServices services(host);
      CallContext context = open_call(services);
      if (!client_) reconnect("an earlier reconnect failed", context);
      output_started_ = false;
      try {
         work(*client_, context);
         return RPA_OK;
      } catch (const Failure &lost) {
         if (!output_started_ && shows_stale_view(lost)) {
            renew_view(context);
            work(*client_, context);
            return RPA_OK;
         }
         if (lost.status() != RPA_CONNECTION_FAILED || !reopen_) throw;
         if (output_started_) {  // the caller holds part of the answer: do not send it twice
            client_.reset();
            throw Failure(lost.status(), std::string(lost.what()) +
                                             " (after part of the answer was written; the call was not "
                                             "repeated, the next call reconnects)");
         }
         reconnect(lost.what(), context);
      }
      work(*client_, context);  // once more, on the new connection
      return RPA_OK;
   });
}

rpa_status EmailSessionObject::send_call(const rpa_host_services *host, const rpa_text_sink *message,
                                         const SendWork &work) {
   return guard_boundary(message, "the email session", [&] {
      std::lock_guard<std::mutex> lock(mutex_);
      HostServices services(host);
      CallContext context = open_call(services);
      MessageSender *sender = sender_ ? sender_.get() : client_ ? client_->sender() : nullptr;
      if (!sender) {
         if (protocol_ == "IMAP" || protocol_ == "POP3")
            throw Failure(RPA_UNSUPPORTED,
                          "this session cannot send: its Connect named no SMTP server; fill "
                          "smtp_host (and smtp_port, smtp_tls_mode if the defaults do not fit) "
                          "in the Connect action");
         throw Failure(RPA_UNSUPPORTED,
                       "this session cannot send: its " + protocol_ + " connection offers no way to");
      }
      work(*sender, context);
      return RPA_OK;
   });
}

rpa_status EmailSessionObject::watch_call(const rpa_host_services *host, const rpa_text_sink *message,
                                          std::chrono::milliseconds wait, const WatchWork &work) {
   return guard_boundary(message, "the email session", [&] {
      HostServices services(host);
      std::string server;
      {
         std::lock_guard<std::mutex> lock(mutex_);
         if (!client_ && !reopen_) throw Failure(RPA_SESSION_NOT_FOUND, "the session was closed");
         server = facts_.host;
      }
      CallContext context(services, wait + timeout_, server);
      context.poll_cancel_every(std::chrono::milliseconds(900));  // "within a second" (email_watch.h)
      work(*watcher_, context);
      return RPA_OK;
   });
}

std::string EmailSessionObject::own_address() const {
   if (facts_.mailbox.find('@') != std::string::npos) return facts_.mailbox;
   if (user_.find('@') != std::string::npos) return user_;
   return "";
}

void EmailSessionObject::on_mailbox(CallContext &context, const std::function<void(Mailbox &)> &work) {
   if (!client_) reconnect("an earlier reconnect failed", context);
   try {
      work(client_->mailbox());
      return;
   } catch (const Failure &lost) {
      if (lost.status() != RPA_CONNECTION_FAILED || !reopen_) throw;
      reconnect(lost.what(), context);
   }
   work(client_->mailbox());
}

Appended EmailSessionObject::save_sent_copy(const ComposedMessage &message, CallContext &context) {
   Appended appended;
   on_mailbox(context, [&](Mailbox &mailbox) {
      ComposedReader reader(message);  // from the first byte on every try
      const MessageReader read = [&reader](char *buffer, std::size_t capacity) {
         return reader.read(buffer, capacity);
      };
      appended = mailbox.append_streamed("sent", message.size, read, context);
   });
   return appended;
}

void EmailSessionObject::mark_answered(const std::string &ref, Answered how, CallContext &context) {
   on_mailbox(context, [&](Mailbox &mailbox) { mailbox.mark_answered(ref, how, context); });
}

void EmailSessionObject::fetch_original(const std::string &ref, const ByteSink &sink, CallContext &context) {
   if (!client_) reconnect("an earlier reconnect failed", context);
   bool written = false;
   const ByteSink counting = [&](std::string_view chunk) {
      written = written || !chunk.empty();
      sink(chunk);
   };
   try {
      client_->mailbox().fetch_raw(ref, counting, context);
      return;
   } catch (const Failure &lost) {
      if (lost.status() != RPA_CONNECTION_FAILED || !reopen_ || written) throw;
      reconnect(lost.what(), context);
   }
   client_->mailbox().fetch_raw(ref, counting, context);
}

rpa_status EmailSessionObject::noop(const rpa_email_session *self, const rpa_host_services *host,
                                    const rpa_text_sink *message) {
   return from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      client.noop(context);
      write_text(message, "the connection is alive");
   });
}

rpa_status EmailSessionObject::list_folders(const rpa_email_session *self, const rpa_host_services *host,
                                            const rpa_text_sink *out_json, const rpa_text_sink *message) {
   return from(self)->call(host, message, [&](MailClient &client, CallContext &context) {
      Mailbox &mailbox = client.mailbox();
      mailbox.forget_folders();  // this call lists anew
      std::vector<FolderInfo> folders = mailbox.folders(context);
      JsonWriter json;
      json.begin_array("folders");
      for (const FolderInfo &folder : folders)
         json.begin_element()
             .string("name", folder.listed_name)
             .string("delimiter", folder.delimiter)
             .strings("attributes", folder.attributes)
             .end_object();
      json.end_array();
      write_text(out_json, json.finish());
      std::string names;
      for (std::size_t i = 0; i < folders.size() && i < 20; ++i)
         names += (i ? ", " : ": ") + folders[i].listed_name;
      if (folders.size() > 20) names += ", ...";
      write_text(message,
                 std::to_string(folders.size()) + (folders.size() == 1 ? " folder" : " folders") + names);
   });
}

rpa_status EmailSessionObject::close(const rpa_email_session *self, const rpa_host_services *host,
                                     const rpa_text_sink *message) {
   return guard_boundary(message, "the email session", [&] {
      EmailSessionObject *object = from(self);
      object->watcher_->close();  // a wait in progress ends within a second
      std::lock_guard<std::mutex> lock(object->mutex_);
      if (!object->client_) {
         const bool lost = object->reopen_ != nullptr;
         object->reopen_ = nullptr;  // wipes the secrets kept for reconnecting
         write_text(message, lost ? "the connection was already lost; the session is closed"
                                  : "the session was already closed");
         return RPA_OK;
      }
      HostServices services(host);
      CallContext context(services, object->timeout_, object->facts_.host);
      object->snapshot();
      object->reopen_ = nullptr;  // wipes the secrets kept for reconnecting
      object->client_->logout(context);
      object->client_.reset();
      if (object->sender_) object->sender_->close(context);
      write_text(message, "logged out of " + object->facts_.host);
      return RPA_OK;
   });
}

}  // namespace email
