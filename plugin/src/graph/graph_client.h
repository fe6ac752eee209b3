// GraphClient: an Exchange Online mailbox through Microsoft Graph (learn.microsoft.com/graph),
// as a MailClient (email.session/1).
//
// open() verifies the connection with one GET of the mailbox's inbox (`/me/mailFolders/inbox`, or
// `/users/{mailbox}/mailFolders/inbox` for another user's or a shared mailbox, and always for
// app-only access, which has no "me"); noop() repeats it; find_folders() walks `mailFolders` and
// `childFolders`, following `@odata.nextLink`, and returns "Parent/Child" paths.
//
// Every request: GET with `Authorization: Bearer`, `Accept: application/json` and
// `Prefer: IdType="ImmutableId"` (ids that survive moves). Errors (Graph's
// {"error": {"code", "message"}} bodies):
//   401 -> the token is refreshed once (oauth/bearer_authorizer.h), then authentication_failed
//          with Graph's reason
//   403 -> authentication_failed naming the permission to grant: Mail.ReadWrite (delegated), its
//          .Shared form for another mailbox, or the application permission (and, where an
//          admin scoped it, RBAC for Applications) for app-only
//   404 ErrorInvalidUser, MailboxNotEnabledForRESTAPI, ResourceNotFound on the mailbox ->
//          invalid_properties naming `mailbox` (or `username`)
//   429, 503 -> waits Retry-After (seconds or an HTTP-date; 1, 2, 4 ... s when absent) while the
//          call's timeout allows, else throttled saying when to retry (http/request_pipeline.h)
//   anything else -> protocol_error with Graph's code and message, or what arrived instead of a
//          Graph error (first bytes, printable).
// A 2xx answer is read with the one bounded JSON reader (rpa::parse_json): the inbox must be a
// mailFolder (an object with an id) and a list a collection, else protocol_error saying what came.
// At most 4 requests in flight per mailbox (Graph's MailboxConcurrency): a session sends one at a
// time, and MailboxRequestSlot (graph/mailbox_request_slot.h) counts every session of the process
// on one mailbox together.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "http/https_client.h"
#include "oauth/bearer_authorizer.h"
#include "oauth/oauth_settings.h"
#include "session/mail_client.h"
#include "util/failure.h"

namespace email {

struct GraphSettings {
   std::string graph_url;  // https://graph.microsoft.com, no trailing slash
   std::string username;   // the signed-in user (delegated) or the mailbox (app-only)
   std::string mailbox;    // another user's or a shared mailbox, or ""
   OAuthSettings oauth;    // scope set (graph/graph_backend.cpp)
   TlsSettings tls;
};

class GraphMailbox;
class GraphSender;

class GraphClient final : public MailClient {
 public:
   static std::unique_ptr<GraphClient> open(GraphSettings settings, CallContext &context);

   const char *protocol() const override { return "Graph"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   ConnectionFacts facts() const override;
   void noop(CallContext &context) override;
   void logout(CallContext &context) override;  // nothing to do: HTTP keeps no session
   Mailbox &mailbox() override;                 // graph/graph_mailbox.h
   MessageSender *sender() override;            // graph/graph_sender.h
   ~GraphClient() override;

   // Every mail folder, paged through mailFolders and childFolders.
   std::vector<FolderInfo> find_folders(CallContext &context);

   // The mailbox the session opens (`mailbox`, or the user), and its inbox's display name.
   const std::string &mailbox_address() const { return address_; }
   // Where Graph requests go (https://graph.microsoft.com, or the bag's graph_url), for messages.
   const std::string &graph_url() const { return settings_.graph_url; }

   // What the mailbox (graph/graph_mailbox.h) sends its requests through:
   // GET `path_or_url` (a path under /v1.0/{me|users/x}, or an absolute @odata.nextLink) with the
   // token, retrying throttling; returns the body of a 2xx answer. Throws Failure.
   std::string get(const std::string &path_or_url, CallContext &context, const char *what);
   // One page of a collection at `path_or_url` (a path, or the @odata.nextLink of the page before)
   // read with `parse` (graph/graph_json.h): every collection is paged through this, following
   // nextLink. A body that is not a collection is a protocol_error naming `what`.
   template <typename Page>
   Page get_page(const std::string &path_or_url, Page (*parse)(const std::string &), CallContext &context,
                 const char *what) {
      return read_page(get(path_or_url, context, what), parse, what);
   }
   // A page's `body` that came another way (a JSON batch's answer), read as get_page() reads it.
   template <typename Page>
   Page read_page(const std::string &body, Page (*parse)(const std::string &), const char *what) const {
      try {
         return parse(body);
      } catch (const std::invalid_argument &) {
         not_a_collection(body, what);
      }
   }
   // One GET for get_each(): a path under the mailbox, and what it asks for, named in errors as
   // get()'s `what` is ("the message list" for a page, "the message" for a message, ...).
   struct Lookup {
      std::string path;
      const char *what;
   };
   // GETs of `lookups` in JSON batches of at most 4 (graph/json_batch.h): one round trip for up to
   // 4 independent requests. Each outcome is what get() would give: its 2xx body, or the Failure
   // get() would throw (as an exception_ptr). A Failure that concerns every request
   // (authentication, timeout, cancellation, connection, TLS, throttling) is thrown instead. A
   // request that a batch answered 429 or 503, or left unanswered, is sent again on its own
   // through get(), which waits as Retry-After says. A batch the server refuses as a whole makes
   // this client send every later request one by one.
   struct Fetched {
      std::string body;
      std::exception_ptr failure;  // null when `body` is the answer
   };
   std::vector<Fetched> get_each(const std::vector<Lookup> &lookups, CallContext &context);
   // Any method: `body` of `content_type` ("" for none); returns the 2xx body.
   // With `spool`, a 2xx body goes to that file instead (and "" is returned).
   std::string send(const char *method, const std::string &path_or_url, const char *content_type,
                    const std::string &body, CallContext &context, const char *what,
                    SpooledBody *spool = nullptr);
   // `what` of the requests that send (graph/graph_sender.h): a 403 then names Mail.Send, and
   // ErrorSendAsDenied says whom the mailbox may not send as.
   static constexpr const char *kSendingWhat = "the message to send";
   // `what` of a delta round's pages (graph/graph_arrivals.cpp): a 410 Gone (the state token
   // expired, SyncStateNotFound) is then thrown as SyncStateGone, to start a new round.
   static constexpr const char *kDeltaWhat = "the new messages since the cursor";
   class SyncStateGone : public Failure {
    public:
      explicit SyncStateGone(const std::string &message) : Failure(RPA_PROTOCOL_ERROR, message) {}
   };
   // PUT of `bytes`, the range from `first` of an attachment of `total` bytes, to an upload
   // session's `upload_url`: an https address Graph made, pre-authenticated, so no token goes
   // with it (learn.microsoft.com/graph/outlook-large-attachments). Throws Failure for an answer
   // other than 200 (more expected) or 201 (complete), with Graph's error.
   void upload_range(const std::string &upload_url, std::string_view bytes, std::uint64_t first,
                     std::uint64_t total, CallContext &context);
   // GET of a body that may be large (a message's /$value) into `spool`, in bounded memory.
   void download(const std::string &path, CallContext &context, const char *what, SpooledBody &spool) {
      send("GET", path, "", "", context, what, &spool);
   }

 private:
   explicit GraphClient(GraphSettings settings);
   // send() holding `slots` of the mailbox's request slots (a batch holds one per request).
   std::string exchange(const char *method, const std::string &path_or_url, const char *content_type,
                        const std::string &body, CallContext &context, const char *what, SpooledBody *spool,
                        int slots);
   // get_each() for one batch of at most 4 lookups, into `out` from `first`.
   void get_batch(const std::vector<Lookup> &lookups, std::size_t first, std::size_t count,
                  std::vector<Fetched> &out, CallContext &context);
   [[noreturn]] void fail(const HttpResponse &response, const char *what) const;
   // Throws what a refusal of sending means (permission, send-as, size, recipients); returns for
   // any other, which fail() reports as for every request.
   void refuse_sending(int status, const std::string &code, const std::string &said) const;
   [[noreturn]] void not_a_collection(const std::string &body, const char *what) const;
   void get_inbox(CallContext &context);

   GraphSettings settings_;
   HttpsClient http_;
   BearerAuthorizer authorizer_;  // over settings_.oauth, tokens through http_
   std::string base_;             // <graph_url>/v1.0/me or /v1.0/users/<mailbox>
   std::string address_;          // the mailbox opened
   std::string slot_key_;  // graph_url, client and mailbox: its 4 request slots (mailbox_request_slot.h)
   std::string host_;
   unsigned port_ = 443;
   bool batches_refused_ = false;  // the server refused a JSON batch: get_each() sends one by one
   std::vector<std::string> capabilities_;
   std::unique_ptr<GraphMailbox> mailbox_;
   std::unique_ptr<GraphSender> sender_;
};

}  // namespace email
