// How a wait for new mail over EWS is told of changes (Mailbox::listen): streaming notifications
// (learn.microsoft.com/exchange/client-developer/exchange-web-services/streaming-notifications-
// and-ews-in-exchange). One streaming subscription per session, to the folder waited on, kept
// from wait to wait (Exchange Online allows an account 20 subscriptions, EWSMaxSubscriptions) and
// ended with the session; each wait opens one GetStreamingEvents connection of its own (Exchange
// Online allows 10 open per account, HangingConnectionLimit; Exchange Server 3 by default), kept
// up to the wait's time or 25 minutes (ConnectionTimeout in whole minutes, at most 30), then
// opened anew. An event of the folder makes the wait look (SyncFolderItems keeps the cursor exact:
// the events only say when to look).
//
// A subscription Exchange no longer knows (it lapses 30 minutes after its last connection) is
// made anew; a refusal (ErrorExceededSubscriptionCount, ErrorExceededConnectionCount, a server
// without streaming) is named in a warning and the wait polls instead, as it did before.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "ews/ews_streaming_events.h"
#include "http/http1_connection.h"
#include "mailbox/mailbox.h"

namespace email {

// A streaming subscription Exchange gave, to one folder. Set by the waits that stream it (any
// thread): `heard` once the server streamed anything for it, `lost` once it said it no longer
// knows it; the next listen then subscribes anew, unless it was lost before it was ever heard
// (a server that does not keep subscriptions: polled instead).
struct EwsSubscription {
   std::string folder_id;
   std::string id;
   // Affinity ("Maintain affinity between a group of subscriptions and the Mailbox server"): the
   // Subscribe asked for it (X-PreferServerAffinity) and its answer's X-BackEndOverrideCookie
   // goes with every request about the subscription, so that Exchange Online routes them to the
   // Mailbox server that keeps it; "" when the server sent none.
   std::string affinity_cookie;  // "X-BackEndOverrideCookie=<value>"
   std::atomic<bool> heard{false};
   std::atomic<bool> lost{false};
};

// One GetStreamingEvents connection's events, read outside the session's lock.
class EwsEventStream final : public ChangeListener {
 public:
   EwsEventStream(std::unique_ptr<Http1Connection> connection, std::shared_ptr<EwsSubscription> subscription,
                  std::string server);
   bool wait(std::chrono::milliseconds wait, std::chrono::milliseconds poll,
             const std::function<bool()> &stop, CallContext &context) override;
   bool open() const override { return open_; }
   TransportStats stats() const override { return connection_ ? connection_->stats() : closed_; }

 private:
   // Takes an error the stream said: a lost subscription ends the stream; anything else turns the
   // wait to polling, with a warning.
   void refused(const ews::StreamedEvents &said, std::chrono::milliseconds poll, CallContext &context);

   std::unique_ptr<Http1Connection> connection_;
   std::shared_ptr<EwsSubscription> subscription_;
   std::string server_;
   ews::EwsEnvelopeSplitter splitter_;
   bool open_ = true;
   bool polling_ = false;
   TransportStats closed_;  // of the connection, once dropped for polling
};

// The X-BackEndOverrideCookie a Subscribe answer set ("X-BackEndOverrideCookie=<value>", from its
// Set-Cookie headers, joined by ", " or not), or "".
std::string affinity_cookie_of(const std::string &set_cookie);
// The headers of a request about `subscription`: its affinity cookie, if any.
HttpHeaders affinity_headers(const EwsSubscription &subscription);

// The sentence a warning gives when Exchange refuses streaming with `code`: what the limit is.
std::string streaming_refusal(const std::string &server, const std::string &code, const std::string &text,
                              std::chrono::milliseconds poll);

}  // namespace email
