#include "ews/ews_streaming.h"

#include "ews/ews_client.h"
#include "ews/ews_mailbox.h"
#include "ews/ews_notification_requests.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

using Clock = std::chrono::steady_clock;

// After a refusal, this session's waits poll for this long before they ask to stream again.
constexpr std::chrono::minutes kPollAfterRefusal{15};

bool subscription_gone(const std::string &code) {
   return code == "ErrorSubscriptionNotFound" || code == "ErrorInvalidSubscription" ||
          code == "ErrorExpiredSubscription";
}

std::string seconds_of(std::chrono::milliseconds poll) {
   return std::to_string(
       std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(poll).count()));
}

}  // namespace

std::string affinity_cookie_of(const std::string &set_cookie) {
   static constexpr std::string_view kName = "X-BackEndOverrideCookie=";
   for (std::size_t at = set_cookie.find(kName); at != std::string::npos;
        at = set_cookie.find(kName, at + 1)) {
      if (at > 0 && set_cookie[at - 1] != ' ' && set_cookie[at - 1] != ',' && set_cookie[at - 1] != ';')
         continue;
      const std::size_t end = set_cookie.find_first_of(";, \t", at + kName.size());
      const std::string cookie = set_cookie.substr(at, end == std::string::npos ? end : end - at);
      if (cookie.size() > kName.size() && cookie.size() <= 1024) return cookie;
   }
   return "";
}

HttpHeaders affinity_headers(const EwsSubscription &subscription) {
   if (subscription.affinity_cookie.empty()) return {};
   return {{"Cookie", subscription.affinity_cookie}};
}

std::string streaming_refusal(const std::string &server, const std::string &code, const std::string &text,
                              std::chrono::milliseconds poll) {
   const std::string said = code + (text.empty() ? "" : ": " + printable(text, 200));
   std::string why;
   if (code == "ErrorExceededConnectionCount")
      why =
          server + " refused another streaming connection for this account (" + said +
          "): Exchange Online keeps at most 10 open per account (HangingConnectionLimit), Exchange Server 3 "
          "by default; other waits or applications of the account hold them";
   else if (code == "ErrorExceededSubscriptionCount")
      why = server + " refused another subscription for this account (" + said +
            "): Exchange Online allows 20 per account (EWSMaxSubscriptions); other sessions or applications "
            "of the account hold them";
   else
      why = server + " refused streaming notifications (" + said + ")";
   return "EWS: " + why + "; this wait asks for new mail every " + seconds_of(poll) + " s instead";
}

EwsEventStream::EwsEventStream(std::unique_ptr<Http1Connection> connection,
                               std::shared_ptr<EwsSubscription> subscription, std::string server)
    : connection_(std::move(connection)),
      subscription_(std::move(subscription)),
      server_(std::move(server)) {}

void EwsEventStream::refused(const ews::StreamedEvents &said, std::chrono::milliseconds poll,
                             CallContext &context) {
   if (subscription_gone(said.error_code)) {
      context.host().info("EWS: " + server_ + " no longer knows this wait's subscription (" +
                          said.error_code + "); subscribing anew");
      subscription_->lost = true;
      open_ = false;
      return;
   }
   context.host().warning(streaming_refusal(server_, said.error_code, said.error_text, poll));
   closed_ = connection_->stats();
   connection_.reset();
   polling_ = true;
}

bool EwsEventStream::wait(std::chrono::milliseconds wait, std::chrono::milliseconds poll,
                          const std::function<bool()> &stop, CallContext &context) {
   const auto until = Clock::now() + wait;
   for (;;) {
      if (polling_) return Mailbox::sleep_until_next_look(std::min(wait, poll), stop, context);
      bool changed = false;
      while (std::optional<std::string> envelope = splitter_.next()) {
         const ews::StreamedEvents said = ews::read_streamed_events(*envelope);
         if (!said.error_code.empty()) {
            refused(said, poll, context);
            break;
         }
         subscription_->heard = true;
         changed = changed || said.events > 0;
         if (said.closed) open_ = false;  // the ConnectionTimeout's minutes are up
      }
      if (changed) return true;
      if (!open_) return false;  // listened to anew by the next look
      if (polling_) continue;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 || stop()) return false;
      std::optional<std::string> part = connection_->next_part(context.idle_step(left), context);
      if (!part) continue;  // silence, or the alarm: stop() says which
      if (part->empty()) {  // the response ended without saying Closed
         open_ = false;
         return false;
      }
      splitter_.feed(*part);
   }
}

std::unique_ptr<ChangeListener> EwsMailbox::listen(const std::string &folder, std::chrono::milliseconds wait,
                                                   std::chrono::milliseconds poll, CallContext &context) {
   if (Clock::now() < poll_until_) return nullptr;
   const FolderInfo where = find_folder(folder, context);
   const auto refuse = [&](const std::string &code, const std::string &text) {
      context.host().warning(streaming_refusal(client_.server(), code, text, poll));
      poll_until_ = Clock::now() + kPollAfterRefusal;
      return nullptr;
   };
   try {
      if (subscription_ && subscription_->lost && !subscription_->heard) {
         subscription_.reset();
         return refuse("ErrorSubscriptionNotFound", "a new subscription was not found at once");
      }
      if (!subscription_ || subscription_->lost || subscription_->folder_id != where.wire_name) {
         if (subscription_ && !subscription_->lost) unsubscribe(context);
         subscription_.reset();
         ews::Response response;
         const HttpResponse answer =
             client_.call(ews::subscribe_streaming_request(client_.header(), where.wire_name), response,
                          context, "Subscribe", {{"X-PreferServerAffinity", "true"}});
         const ews::ResponseMessage &message = response.messages.front();  // judge() saw one
         if (message.response_class == "Error") return refuse(message.code, message.text);
         auto made = std::make_shared<EwsSubscription>();
         made->folder_id = where.wire_name;
         made->id = ews::child(message.node, "SubscriptionId").child_value();
         if (made->id.empty()) return refuse("no SubscriptionId", "Subscribe succeeded without one");
         made->affinity_cookie = affinity_cookie_of(answer.header("set-cookie"));
         subscription_ = std::move(made);
      }
      auto connection = client_.stream_connection();
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(wait + std::chrono::seconds(59));
      client_.open_event_stream(
          *connection,
          ews::get_streaming_events_request(client_.header(), subscription_->id,
                                            static_cast<unsigned>(std::min<long long>(30, minutes.count()))),
          affinity_headers(*subscription_), context);
      return std::make_unique<EwsEventStream>(std::move(connection), subscription_, client_.server());
   } catch (const Failure &failure) {
      // A server without streaming answers with a fault (protocol_error); the wait still works by polling.
      if (failure.status() != RPA_PROTOCOL_ERROR) throw;
      return refuse("a fault", failure.what());
   }
}

void EwsMailbox::unsubscribe(CallContext &context) {
   if (!subscription_) return;
   const std::shared_ptr<EwsSubscription> ending = std::move(subscription_);
   if (ending->lost) return;
   try {
      ews::Response response;
      client_.call(ews::unsubscribe_request(client_.header(), ending->id), response, context, "Unsubscribe",
                   affinity_headers(*ending));
   } catch (const Failure &failure) {  // it lapses by itself within 30 minutes
      context.host().debug(std::string("EWS: Unsubscribe failed: ") + failure.what());
   }
}

}  // namespace email
