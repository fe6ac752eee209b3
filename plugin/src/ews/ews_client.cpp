#include "ews/ews_client.h"

#include <map>

#include <cpprest/uri.h>

#include "ews/ews_endpoint.h"
#include "ews/ews_errors.h"
#include "ews/ews_retirement.h"
#include "ews/ews_mailbox.h"
#include "ews/ews_sender.h"
#include "http/www_authenticate.h"
#include "oauth/bearer_authorizer.h"
#include "util/failure.h"
#include "windows_sign_in/negotiate_authorizer.h"
#include "util/text.h"

namespace email {

namespace {

constexpr unsigned kFolderPageSize = 500;
constexpr unsigned kMaxFolderPages = 200;  // 100 000 folders

std::string diagnostics_reason(const HttpResponse &response) {
   // x-ms-diagnostics: 2000001;reason="The token has expired.";error_category="invalid_token"
   const std::string value = response.header("x-ms-diagnostics");
   const std::size_t start = value.find("reason=\"");
   if (start == std::string::npos) return printable(value, 200);
   const std::size_t end = value.find('"', start + 8);
   return printable(value.substr(start + 8, end == std::string::npos ? std::string::npos : end - start - 8),
                    200);
}

}  // namespace

EwsClient::EwsClient(EwsSettings settings) : settings_(std::move(settings)), http_(settings_.tls) {
   web::uri uri(settings_.url);
   host_ = to_lower_ascii(uri.host());
   port_ = uri.port() > 0 ? static_cast<unsigned>(uri.port()) : 443;
   capabilities_ = {
       "EWS", "RequestServerVersion=" + settings_.server_version,
       settings_.windows
           ? (settings_.windows->mechanism == WindowsMechanism::ntlm ? "AUTH=NTLM" : "AUTH=Negotiate")
       : !settings_.oauth                             ? "AUTH=Basic"
       : settings_.oauth->flow == OAuthFlow::app_only ? "AUTH=OAuth2-AppOnly"
                                                      : "AUTH=OAuth2"};
}

std::unique_ptr<EwsClient> EwsClient::open(EwsSettings settings, CallContext &context) {
   std::unique_ptr<EwsClient> client(new EwsClient(std::move(settings)));
   client->get_inbox(context);
   context.host().info("EWS: signed in to " + client->settings_.url + " as \"" + client->settings_.username +
                       "\" (server " + client->server_version_ + ")");
   return client;
}

ConnectionFacts EwsClient::facts() const {
   const char *method = settings_.windows
                            ? ((windows_ ? windows_->sign_in().mechanism() : settings_.windows->mechanism) ==
                                       WindowsMechanism::ntlm
                                   ? "NTLM"
                                   : "Negotiate (Kerberos)")
                        : !settings_.oauth                             ? "Basic"
                        : settings_.oauth->flow == OAuthFlow::app_only ? "Bearer (app-only, impersonation)"
                                                                       : "Bearer";
   ConnectionFacts facts;
   facts.host = host_;
   facts.port = port_;
   facts.tls_version = http_.tls_version();
   facts.server_version = server_version_;
   facts.login_method = method;
   facts.stats = http_.stats();
   facts.mailbox = settings_.mailbox;
   return facts;
}

ews::RequestHeader EwsClient::header() const {
   const bool app_only = settings_.oauth && settings_.oauth->flow == OAuthFlow::app_only;
   if (app_only) return {settings_.server_version, mailbox_address(), ""};
   return {settings_.server_version, "", settings_.mailbox};
}

const std::string &EwsClient::mailbox_address() const {
   return settings_.mailbox.empty() ? settings_.username : settings_.mailbox;
}

Authorizer &EwsClient::authorizer(CallContext &context) {
   if (authorizer_) return *authorizer_;
   if (settings_.windows) {
      // Gets the service ticket now: a missing SPN shows here.
      auto negotiate = std::make_unique<NegotiateAuthorizer>(
          WindowsSignIn::negotiate(settings_.windows->clone(), host_, context, "EWS"), http_, host_, "EWS");
      settings_.windows->password = SecretString();  // it went with the sign-in
      context.host().debug("EWS: " + negotiate->sign_in().description());
      windows_ = negotiate.get();
      authorizer_ = std::move(negotiate);
   } else if (settings_.oauth) {
      authorizer_ = std::make_unique<BearerAuthorizer>(*settings_.oauth, http_, "EWS");
   } else {
      authorizer_ = std::make_unique<FixedAuthorizer>(
          basic_authorization(settings_.username, settings_.password.view()));
   }
   return *authorizer_;
}

HttpRequest EwsClient::request_of(const std::string &request_xml, const char *operation,
                                  const HttpHeaders &headers, CallContext &context) {
   HttpRequest request;
   request.url = settings_.url;
   request.content_type = "text/xml; charset=utf-8";
   request.headers = {{"Accept", "text/xml"}};
   request.headers.insert(request.headers.end(), headers.begin(), headers.end());
   // Routing by mailbox address; a Windows DOMAIN\user name is no address, so none is named then.
   if (mailbox_address().find('\\') == std::string::npos)
      request.headers.emplace_back("X-AnchorMailbox", mailbox_address());
   request.body = SecretString(request_xml);
   context.host().debug(std::string("EWS: POST ") + settings_.url + " " + operation);
   return request;
}

HttpResponse EwsClient::call(const std::string &request_xml, ews::Response &response, CallContext &context,
                             const char *operation, const HttpHeaders &headers) {
   return post(request_xml, response, context, operation, headers, nullptr, nullptr);
}

std::optional<ews::LargeElementSplitter::Span> EwsClient::call_spooled(
    const std::string &request_xml, const char *element, SpooledBody &spool, ews::Response &response,
    CallContext &context, const char *operation) {
   std::optional<ews::LargeElementSplitter::Span> text;
   post(request_xml, response, context, operation, {}, &spool, [&](HttpResponse &answer) {
      if (answer.status < 200 || answer.status >= 300) return;  // an error's body was read back whole
      ews::LargeElementSplitter splitter(element);
      spool.read([&](std::string_view chunk) {
         splitter.feed(chunk);
         return true;
      });
      splitter.finish();
      answer.body = splitter.skeleton();
      text = splitter.text();
   });
   return text;
}

HttpResponse EwsClient::post(const std::string &request_xml, ews::Response &response, CallContext &context,
                             const char *operation, const HttpHeaders &headers, SpooledBody *spool,
                             const std::function<void(HttpResponse &)> &unspool) {
   RequestRules rules;
   rules.server = server();
   rules.judge = [&](HttpResponse &answer, int) {
      if (unspool) unspool(answer);
      return judge(answer, response, operation);
   };
   const auto make = [&] {
      HttpRequest request = request_of(request_xml, operation, headers, context);
      request.spool = spool;
      return request;
   };
   const HttpSend transport = [&](const HttpRequest &request) {
      return http_.send(request, context, "the EWS request");
   };
   return send_request(make, authorizer(context), transport, rules, context);
}

void EwsClient::open_event_stream(Http1Connection &connection, const std::string &request_xml,
                                  const HttpHeaders &headers, CallContext &context) {
   ews::Response response;
   RequestRules rules;
   rules.server = server();
   rules.judge = [&](HttpResponse &answer, int) -> std::optional<Throttled> {
      if (answer.status == 200 && connection.streaming()) return std::nullopt;  // the events follow
      return judge(answer, response, "GetStreamingEvents");
   };
   const auto make = [&] {
      HttpRequest request = request_of(request_xml, "GetStreamingEvents", headers, context);
      request.own_connection = true;
      return request;
   };
   const HttpSend transport = [&](const HttpRequest &request) {
      return http_.send_streamed(connection, request, context, "the EWS request");
   };
   send_request(make, authorizer(context), transport, rules, context);
   if (!connection.streaming())  // a 2xx that judge() took: an answer, not a stream
      throw Failure(RPA_PROTOCOL_ERROR, server() + " answered GetStreamingEvents without streaming events");
}

std::string EwsClient::server() const { return endpoint_label(host_, static_cast<std::uint16_t>(port_)); }

std::optional<Throttled> EwsClient::judge(HttpResponse &http, ews::Response &response,
                                          const char *operation) {
   const std::string server = endpoint_label(host_, static_cast<std::uint16_t>(port_));
   if (http.status == 401 && windows_) {
      const std::string offered = http.header("www-authenticate");
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "authentication failed: " + server + " refused the Windows sign-in (" +
                        windows_->sign_in().description() + ") (HTTP 401" +
                        (offered.empty() ? "" : "; it offers: " + printable(offered, 200)) + ")" +
                        (!offers_scheme(offered, windows_->sign_in().scheme())
                             ? std::string(". The server does not offer ") + windows_->sign_in().scheme() +
                                   "; use the auth_type it offers"
                             : ""));
   }
   if (http.status == 401 && settings_.oauth && http.header("x-ms-diagnostics").rfind("2000008;", 0) == 0) {
      // The token is valid but lacks the permission: a fresh one would lack it too.
      const bool app_only = settings_.oauth->flow == OAuthFlow::app_only;
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "authentication failed: " + server + " refused the OAuth2 access token of \"" +
                        settings_.username + "\": it does not carry the permission EWS needs (HTTP 401; " +
                        diagnostics_reason(http) + "). " +
                        (app_only ? "Grant the app the application permission full_access_as_app (Office "
                                    "365 Exchange Online, admin consent)"
                                  : "Grant the app the delegated permission EWS.AccessAsUser.All (Office 365 "
                                    "Exchange Online)"));
   }
   if (http.status == 401) {
      const std::string reason = diagnostics_reason(http);
      const std::string message =
          "authentication failed: " + server + " refused " +
          (settings_.oauth ? "the OAuth2 access token" : "the username or password") + " of \"" +
          settings_.username + "\" (HTTP 401" + (reason.empty() ? "" : "; " + reason) + ")" +
          (settings_.oauth ? ""
                           : ". Exchange Online has turned Basic authentication off; use "
                             "auth_type \"oauth2\" there");
      if (settings_.oauth) throw TokenRefused(message);
      throw Failure(RPA_AUTHENTICATION_FAILED, message);
   }
   if (http.status == 403) {
      // EWS itself refused: turned off for the mailbox, the app or the organization. In
      // Exchange Online that is the retirement (blocked since October 2026 unless allowed).
      const EwsSignIn sign_in = !settings_.oauth                               ? EwsSignIn::basic
                                : settings_.oauth->flow == OAuthFlow::app_only ? EwsSignIn::app_only
                                                                               : EwsSignIn::delegated;
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    ews_refused_message(server, settings_.username, is_exchange_online_host(host_), sign_in,
                                        diagnostics_reason(http)));
   }
   if (http.status == 413)  // IIS's request limit (maxAllowedContentLength), before EWS reads a byte
      throw Failure(RPA_INVALID_PROPERTIES,
                    server + " refused the " + operation +
                        " request as too large (HTTP 413): an Exchange administrator sets how large an EWS "
                        "request may be; nothing was done");
   if (http.status >= 300 && http.status < 400)
      throw Failure(RPA_PROTOCOL_ERROR, server + " redirected the EWS request (HTTP " +
                                            std::to_string(http.status) + ") to \"" +
                                            printable(http.header("location"), 200) +
                                            "\"; set ews_url to the mailbox's EWS address");
   response.document.reset();
   response.server_version.clear();
   response.fault.reset();
   response.messages.clear();
   if (!ews::parse_response(std::move(http.body), response))  // nothing reads the body after judge()
      throw Failure(http.status == 404 ? RPA_CONNECTION_FAILED : RPA_PROTOCOL_ERROR,
                    server + " answered HTTP " + std::to_string(http.status) +
                        " without a SOAP envelope; is \"" + settings_.url + "\" an EWS endpoint?");
   if (!response.server_version.empty()) server_version_ = response.server_version;

   long long back_off_ms = -1;
   if (response.fault && classify_ews_error(response.fault->code) == EwsErrorKind::server_busy)
      back_off_ms = std::max(0LL, response.fault->back_off_ms);
   for (const auto &message : response.messages)
      if (classify_ews_error(message.code) == EwsErrorKind::server_busy)
         back_off_ms = std::max(0LL, message.back_off_ms);
   if (back_off_ms >= 0)
      return Throttled{std::chrono::milliseconds(back_off_ms == 0 ? 1000 : back_off_ms), true,
                       "is busy (ErrorServerBusy)"};
   if (response.fault) fail(response.fault->code, response.fault->text, operation, "a SOAP fault");
   if (response.messages.empty())
      throw Failure(RPA_PROTOCOL_ERROR, server + " answered " + operation + " with no response message");
   return std::nullopt;
}

void EwsClient::fail(const std::string &code, const std::string &text, const char *operation,
                     const char *answer) const {
   const std::string server = endpoint_label(host_, static_cast<std::uint16_t>(port_));
   const std::string said = code + (text.empty() ? "" : ": " + printable(text, 300));
   switch (classify_ews_error(code)) {
   case EwsErrorKind::no_mailbox:
      throw Failure(RPA_INVALID_PROPERTIES,
                    "username: " + server + " has no mailbox \"" + settings_.username + "\" (" + said + ")");
   case EwsErrorKind::access_denied:
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "authentication failed: \"" + settings_.username + "\" signed in, but " + server +
                        " denied access to the mailbox (" + said + "). Check the account's permissions" +
                        (settings_.oauth && settings_.oauth->flow == OAuthFlow::app_only
                             ? " (app-only access needs the full_access_as_app permission and, where "
                               "used, an application access policy that includes this mailbox)"
                             : ""));
   case EwsErrorKind::no_item:
      throw Failure(RPA_MESSAGE_NOT_FOUND, server + " has no such message any more (" + said + ")");
   case EwsErrorKind::no_folder:
      throw Failure(RPA_FOLDER_NOT_FOUND, server + " has no such folder (" + said + ")");
   case EwsErrorKind::sync_state:
      throw SyncStateRefused(server + " no longer accepts the sync state " + operation + " was given (" +
                             said + ")");
   default:
      throw Failure(RPA_PROTOCOL_ERROR, server + " answered " + operation + " with " + answer + ": " + said);
   }
}

void EwsClient::fail(const ews::ResponseMessage &message, const char *operation) const {
   fail(message.code, message.text, operation, "an error");
}

void EwsClient::get_inbox(CallContext &context) {
   ews::Response response;
   call(ews::get_folder_request(header(), "inbox"), response, context, "GetFolder");
   for (const auto &message : response.messages)
      if (message.response_class == "Error") fail(message, "GetFolder");
   // A SOAP envelope is not proof of a mailbox: the answer must carry the inbox's FolderId.
   const pugi::xml_node folders =
       response.messages.empty() ? pugi::xml_node() : ews::child(response.messages.front().node, "Folders");
   pugi::xml_node folder = folders.first_child();
   while (folder && folder.type() != pugi::node_element) folder = folder.next_sibling();
   if (!*ews::child(folder, "FolderId").attribute("Id").value())
      throw Failure(RPA_PROTOCOL_ERROR,
                    endpoint_label(host_, static_cast<std::uint16_t>(port_)) +
                        " answered GetFolder for the inbox without the folder (" +
                        (response.messages.empty() ? std::string("no response message")
                         : !folders                ? "a " + response.messages.front().response_class +
                                          " response message with no Folders element"
                                    : std::string("no FolderId with an Id in its Folders")) +
                        ")");
}

void EwsClient::noop(CallContext &context) { get_inbox(context); }

EwsClient::~EwsClient() = default;

Mailbox &EwsClient::mailbox() {
   if (!mailbox_) mailbox_ = std::make_unique<EwsMailbox>(*this);
   return *mailbox_;
}

MessageSender *EwsClient::sender() {
   if (!sender_) sender_ = std::make_unique<EwsSender>(*this);
   return sender_.get();
}

std::vector<FolderInfo> EwsClient::find_folders(CallContext &context) {
   struct Entry {
      std::string name, parent, folder_class;
      bool children = false;
   };
   std::map<std::string, Entry> by_id;
   std::vector<std::string> order;
   unsigned offset = 0;
   for (unsigned page = 0;; ++page) {
      if (page == kMaxFolderPages)
         throw Failure(RPA_PROTOCOL_ERROR, settings_.url + " listed more than " +
                                               std::to_string(kMaxFolderPages * kFolderPageSize) +
                                               " folders");
      ews::Response response;
      call(ews::find_folder_request(header(), offset, kFolderPageSize), response, context, "FindFolder");
      const ews::ResponseMessage &message = response.messages.front();
      if (message.response_class == "Error") fail(message, "FindFolder");
      pugi::xml_node root = ews::child(message.node, "RootFolder");
      for (pugi::xml_node folder : ews::child(root, "Folders").children()) {
         const std::string id = ews::child(folder, "FolderId").attribute("Id").value();
         if (id.empty() || by_id.count(id)) continue;
         by_id[id] = {ews::child(folder, "DisplayName").child_value(),
                      ews::child(folder, "ParentFolderId").attribute("Id").value(),
                      ews::child(folder, "FolderClass").child_value(),
                      std::atoi(ews::child(folder, "ChildFolderCount").child_value()) > 0};
         order.push_back(id);
      }
      const unsigned next = root.attribute("IndexedPagingOffset").as_uint(offset);
      if (root.attribute("IncludesLastItemInRange").as_bool(true) || next <= offset) break;
      offset = next;
   }
   std::vector<FolderInfo> folders;
   for (const std::string &id : order) {
      const Entry &entry = by_id[id];
      if (!ews::is_mail_folder_class(entry.folder_class)) continue;
      std::string name = entry.name;
      std::string parent = entry.parent;
      for (int depth = 0; depth < 64 && by_id.count(parent); ++depth) {
         name = by_id[parent].name + "/" + name;
         parent = by_id[parent].parent;
      }
      folders.push_back(folder_at(id, name, entry.children));
   }
   return folders;
}

// HTTP keeps no session (the token stays cached for reuse); a wait's streaming subscription ends.
void EwsClient::logout(CallContext &context) {
   if (mailbox_) mailbox_->unsubscribe(context);
}

}  // namespace email
