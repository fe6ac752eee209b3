// EwsClient: an Exchange Web Services mailbox as a MailClient (email.session/1).
//
// open() verifies the connection with one GetFolder for the inbox and keeps the server's
// ServerVersionInfo; noop() repeats it; find_folders() pages through FindFolder (Deep, from
// msgfolderroot) and returns the mail folders (FolderClass IPF.Note) as "Parent/Child" paths.
//
// Every call: POST text/xml to the EWS URL through the request pipeline (http/request_pipeline.h),
// signed in with Basic, Bearer or the Windows sign-in (and, app-only, ExchangeImpersonation plus
// X-AnchorMailbox); judge() is the EWS error table:
//   HTTP 401 -> authentication_failed, with x-ms-diagnostics' reason; a Bearer token is
//               refreshed once first (it may have been revoked or expired early)
//   ErrorServerBusy -> waits BackOffMilliseconds and retries while the call's timeout allows,
//               else throttled, saying when to retry
//   ErrorNonExistentMailbox, ErrorMailboxNotFound -> invalid_properties (no such mailbox)
//   ErrorAccessDenied, ErrorImpersonateUserDenied, ErrorImpersonationDenied -> authentication_failed
//   ErrorInvalidSyncStateData -> SyncStateRefused (a protocol_error the wait turns into a reset)
//   (one table for faults and response messages: ews/ews_errors.h)
//   other SOAP faults and error messages -> protocol_error with the server's text
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ews/ews_soap.h"
#include "ews/large_element_splitter.h"
#include "windows_sign_in/negotiate_authorizer.h"
#include "http/http1_connection.h"
#include "http/https_client.h"
#include "http/spooled_body.h"
#include "http/request_pipeline.h"
#include "oauth/oauth_settings.h"
#include "session/mail_client.h"

namespace email {

struct EwsSettings {
   std::string url;             // https://.../EWS/Exchange.asmx
   std::string server_version;  // RequestServerVersion, e.g. "Exchange2013_SP1"
   std::string username;        // the signed-in user (app-only: the mailbox impersonated)
   // Another mailbox to open (Connect's `mailbox`), or "": delegate access names it in every
   // distinguished folder id; app-only impersonates it; X-AnchorMailbox names it.
   std::string mailbox;
   SecretString password;  // Basic; empty with OAuth2
   std::optional<OAuthSettings> oauth;
   // Negotiate (Windows sign-in: Kerberos) instead of Basic; its password may be empty (the
   // runner's ticket cache).
   std::optional<WindowsSignInSettings> windows;
   TlsSettings tls;
};

// A mail folder: its EWS FolderId and its path of display names ("Inbox/Projects").
class EwsMailbox;
class EwsSender;

class EwsClient final : public MailClient {
 public:
   static std::unique_ptr<EwsClient> open(EwsSettings settings, CallContext &context);

   const char *protocol() const override { return "EWS"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   ConnectionFacts facts() const override;
   void noop(CallContext &context) override;
   void logout(CallContext &context) override;  // ends the wait's subscription, if any
   Mailbox &mailbox() override;                 // ews/ews_mailbox.h
   MessageSender *sender() override;            // ews/ews_sender.h
   ~EwsClient() override;

   // The mail folders (FolderClass IPF.Note or none), paged through FindFolder Deep.
   std::vector<FolderInfo> find_folders(CallContext &context);

   // What the mailbox (ews/ews_mailbox.h) sends its item operations through:
   // Posts one SOAP request and returns the parsed response, after 401 and throttling handling.
   // Throws Failure for faults; response messages are left to the caller (see fail()). `headers`
   // go with the request (routing: X-PreferServerAffinity, a Cookie); returns the HTTP answer
   // (its headers: Set-Cookie).
   HttpResponse call(const std::string &request_xml, ews::Response &response, CallContext &context,
                     const char *operation, const HttpHeaders &headers = {});
   // As call(), for an answer that may be far larger than HttpsClient::kMaxResponseBytes because
   // one element's text is (GetItem's MimeContent: a message of up to 150 MB, in base64): the
   // answer is spooled to `spool`, `response` is parsed from it without that element's text
   // (ews/large_element_splitter.h), and where the text lies in the spool is returned (nullopt
   // when the answer has no such element, or an empty one).
   std::optional<ews::LargeElementSplitter::Span> call_spooled(const std::string &request_xml,
                                                               const char *element, SpooledBody &spool,
                                                               ews::Response &response, CallContext &context,
                                                               const char *operation);
   // GetStreamingEvents (`request_xml`) on `connection`, a connection of the caller's
   // (HttpsClient::stream_connection: this client's TLS settings and proxy), signed in as every
   // request is. Returns once the server answered 200 and its events stream, to be read with
   // connection.next_part(); other answers throw Failure as call() does.
   void open_event_stream(Http1Connection &connection, const std::string &request_xml,
                          const HttpHeaders &headers, CallContext &context);
   std::unique_ptr<Http1Connection> stream_connection() const { return http_.stream_connection(); }
   // "host:port" of the EWS server, for messages.
   std::string server() const;

   // The SOAP header every request carries (version, impersonation or the delegate's mailbox).
   ews::RequestHeader header() const;
   // Throws the Failure an Error response message stands for.
   [[noreturn]] void fail(const ews::ResponseMessage &message, const char *operation) const;
   // What fail() throws for ErrorInvalidSyncStateData: SyncFolderItems was given a SyncState the
   // server no longer takes (ews/ews_arrivals.cpp starts from now on, and says so).
   class SyncStateRefused : public Failure {
    public:
      explicit SyncStateRefused(const std::string &message) : Failure(RPA_PROTOCOL_ERROR, message) {}
   };
   // The mailbox the requests are about: `mailbox`, else the signed-in user's own.
   const std::string &mailbox_address() const;

 private:
   explicit EwsClient(EwsSettings settings);
   // How requests are signed in (Basic, Bearer, or Windows sign-in, which may ask the KDC now),
   // made at the first request.
   Authorizer &authorizer(CallContext &context);
   // call() and call_spooled(): one request through the pipeline, its answer spooled to `spool`
   // when set and handed to `unspool` (when set) before judge() reads it.
   HttpResponse post(const std::string &request_xml, ews::Response &response, CallContext &context,
                     const char *operation, const HttpHeaders &headers, SpooledBody *spool,
                     const std::function<void(HttpResponse &)> &unspool);
   // The EWS error table (http/request_pipeline.h): parses `http` into `response`; throws for an
   // error, returns Throttled for ErrorServerBusy.
   std::optional<Throttled> judge(HttpResponse &http, ews::Response &response, const char *operation);
   // Throws the Failure that response code `code` stands for (ews/ews_errors.h); `answer` says
   // what carried it ("a SOAP fault", "an error").
   [[noreturn]] void fail(const std::string &code, const std::string &text, const char *operation,
                          const char *answer) const;
   void get_inbox(CallContext &context);
   // The POST of one SOAP request, routed to the mailbox (X-AnchorMailbox), not yet signed in.
   HttpRequest request_of(const std::string &request_xml, const char *operation, const HttpHeaders &headers,
                          CallContext &context);

   EwsSettings settings_;
   HttpsClient http_;
   std::string host_;
   unsigned port_ = 443;
   std::string server_version_;
   std::vector<std::string> capabilities_;
   std::unique_ptr<EwsMailbox> mailbox_;
   std::unique_ptr<EwsSender> sender_;
   std::unique_ptr<Authorizer> authorizer_;
   NegotiateAuthorizer *windows_ = nullptr;  // authorizer_, when it is the Windows sign-in
};

}  // namespace email
