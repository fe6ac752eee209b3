#include "graph/graph_client.h"

#include <cpprest/uri.h>

#include <algorithm>
#include <map>

#include "graph/graph_json.h"
#include "graph/graph_mailbox.h"
#include "graph/graph_sender.h"
#include "session/exchange_refusals.h"
#include "graph/mailbox_request_slot.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxFolders = 100000;
constexpr int kMaxDepth = 32;

}  // namespace

GraphClient::GraphClient(GraphSettings settings)
    : settings_(std::move(settings)), http_(settings_.tls), authorizer_(settings_.oauth, http_, "Graph") {
   web::uri uri(settings_.graph_url);
   host_ = to_lower_ascii(uri.host());
   port_ = uri.port() > 0 ? static_cast<unsigned>(uri.port()) : 443;
   const bool app_only = settings_.oauth.flow == OAuthFlow::app_only;
   // App-only access has no signed-in user: the mailbox is named (username, or mailbox).
   address_ = !settings_.mailbox.empty() ? settings_.mailbox : to_lower_ascii(settings_.username);
   const bool me = !app_only && settings_.mailbox.empty();
   base_ = settings_.graph_url + "/v1.0/" + (me ? std::string("me") : "users/" + address_);
   slot_key_ = settings_.graph_url + "\n" + settings_.oauth.client_id + "\n" + address_;
   capabilities_ = {"Graph", app_only ? "AUTH=OAuth2-AppOnly" : "AUTH=OAuth2", "IdType=ImmutableId"};
}

std::unique_ptr<GraphClient> GraphClient::open(GraphSettings settings, CallContext &context) {
   std::unique_ptr<GraphClient> client(new GraphClient(std::move(settings)));
   client->get_inbox(context);
   context.host().info("Graph: opened the mailbox \"" + client->address_ + "\" at " +
                       client->settings_.graph_url);
   return client;
}

ConnectionFacts GraphClient::facts() const {
   ConnectionFacts facts;
   facts.host = host_;
   facts.port = port_;
   facts.tls_version = http_.tls_version();
   facts.login_method = settings_.oauth.flow == OAuthFlow::app_only ? "Bearer (app-only)" : "Bearer";
   facts.stats = http_.stats();
   facts.mailbox = address_;
   return facts;
}

void GraphClient::get_inbox(CallContext &context) {
   // A 2xx answer is not proof of a mailbox: it must be the mailFolder resource itself.
   const std::string body = get("/mailFolders/inbox", context, "the inbox");
   if (graph::parse_id(body).empty())
      throw Failure(RPA_PROTOCOL_ERROR,
                    "Microsoft Graph at " + settings_.graph_url +
                        " answered the request for the inbox with something that is not a "
                        "mail folder (an object with an id): " +
                        graph::describe_body(body));
}

void GraphClient::noop(CallContext &context) { get_inbox(context); }

void GraphClient::logout(CallContext &) {}

std::string GraphClient::get(const std::string &path_or_url, CallContext &context, const char *what) {
   return send("GET", path_or_url, "", "", context, what);
}

std::string GraphClient::send(const char *method, const std::string &path_or_url, const char *content_type,
                              const std::string &body, CallContext &context, const char *what,
                              SpooledBody *spool) {
   return exchange(method, path_or_url, content_type, body, context, what, spool, 1);
}

std::string GraphClient::exchange(const char *method, const std::string &path_or_url,
                                  const char *content_type, const std::string &body, CallContext &context,
                                  const char *what, SpooledBody *spool, int slots) {
   const std::string url = path_or_url.rfind("https://", 0) == 0 ? path_or_url : base_ + path_or_url;
   // A nextLink must stay on the Graph endpoint the bag named: the token goes only there.
   if (url.rfind(settings_.graph_url + "/", 0) != 0)
      throw Failure(RPA_PROTOCOL_ERROR, settings_.graph_url + " sent a next page link to another host (\"" +
                                            printable(url, 200) + "\"); not followed");
   RequestRules rules;
   rules.server = endpoint_label(host_, static_cast<std::uint16_t>(port_));
   rules.judge = [&](HttpResponse &answer, int attempt) -> std::optional<Throttled> {
      if (answer.status >= 200 && answer.status < 300) return std::nullopt;
      if (std::optional<Throttled> later = http_throttling(answer, attempt)) return later;
      fail(answer, what);
   };
   const HttpSend transport = [&](const HttpRequest &request) {
      const MailboxRequestSlot slot(slot_key_, context, slots);  // at most 4 in flight for the mailbox
      return http_.send(request, context, "the Graph request");
   };
   const auto make = [&] {
      HttpRequest request;
      request.method = method;
      if (*content_type) {
         request.content_type = content_type;
         request.body = SecretString(body);
      }
      request.url = url;
      request.headers = {{"Accept", "application/json"}, {"Prefer", "IdType=\"ImmutableId\""}};
      request.spool = spool;
      context.host().debug(std::string("Graph: ") + method + " " + url);
      return request;
   };
   return std::move(send_request(make, authorizer_, transport, rules, context).body);
}

void GraphClient::fail(const HttpResponse &response, const char *what) const {
   const graph::Error error = graph::parse_error(response.body);
   const std::string &code = error.code, &message = error.message;
   const std::string server = endpoint_label(host_, static_cast<std::uint16_t>(port_));
   const std::string said = "HTTP " + std::to_string(response.status) + (code.empty() ? "" : " " + code) +
                            (message.empty() ? "" : ": " + message);
   const bool app_only = settings_.oauth.flow == OAuthFlow::app_only;
   const bool shared = !app_only && !settings_.mailbox.empty();
   if (response.status == 401)
      throw TokenRefused("authentication failed: " + server + " refused the access token for \"" + address_ +
                         "\" (" + said + ")");
   if (std::string(what) == kSendingWhat) refuse_sending(response.status, code, said);
   if (response.status == 410 && std::string(what) == kDeltaWhat)
      throw SyncStateGone(server + " no longer knows the cursor's state (" + said + ")");
   if (response.status == 403)
      throw Failure(
          RPA_AUTHENTICATION_FAILED,
          "authentication failed: Microsoft Graph denied access to the mailbox \"" + address_ + "\" (" +
              said + "). " +
              (app_only
                   ? "Grant the app the application permission Mail.ReadWrite (admin consent), and if an "
                     "Exchange administrator limited it (RBAC for Applications or an application access "
                     "policy), include this mailbox"
               : shared ? "Opening another user's or a shared mailbox needs the delegated permission "
                          "Mail.ReadWrite.Shared and the user's access to that mailbox"
                        : "Grant the app the delegated permission Mail.ReadWrite"));
   if (response.status == 404 && (code == "ErrorInvalidUser" || code == "MailboxNotEnabledForRESTAPI" ||
                                  code == "ResourceNotFound" || code == "ErrorNonExistentMailbox")) {
      const char *field = settings_.mailbox.empty() ? "username" : "mailbox";
      throw Failure(
          RPA_INVALID_PROPERTIES,
          std::string("invalid properties: ") + field + ": \"" + address_ +
              "\" is not a mailbox in Exchange Online (" + said + ")" +
              (code == "MailboxNotEnabledForRESTAPI"
                   ? ". It may be inactive or on an on-premises Exchange server: use connection \"ews\" there"
                   : ""));
   }
   if (response.status == 404 && std::string(what) == "the message")
      throw Failure(RPA_MESSAGE_NOT_FOUND, server + " has no such message any more (" + said + ")");
   if (response.status == 404)
      throw Failure(RPA_FOLDER_NOT_FOUND, server + " has no " + what + " (" + said + ")");
   throw Failure(
       RPA_PROTOCOL_ERROR,
       "Microsoft Graph at " + server + " answered the request for " + what + " with " + said +
           (code.empty() ? ", and a body that is not a Graph error: " + graph::describe_body(response.body)
                         : std::string()));
}

void GraphClient::refuse_sending(int status, const std::string &code, const std::string &said) const {
   throw_if_sending_refused(code, status == 413, "Exchange Online", address_, said);
   if (status == 403)
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "Microsoft Graph refused to send from the mailbox \"" + address_ + "\" (" + said + "). " +
                        (settings_.oauth.flow == OAuthFlow::app_only
                             ? "Grant the app the application permission Mail.Send (admin consent)"
                             : "Grant the app the delegated permission Mail.Send (Mail.Send.Shared for "
                               "another or a shared mailbox), and sign in once more with Authorize so "
                               "the user consents to it: a sign-in kept from before may lack it") +
                        "; nothing was sent");
}

void GraphClient::not_a_collection(const std::string &body, const char *what) const {
   throw Failure(RPA_PROTOCOL_ERROR,
                 "Microsoft Graph at " + settings_.graph_url + " answered " + what +
                     " with something that is not a collection: " + graph::describe_body(body));
}

GraphClient::~GraphClient() = default;

Mailbox &GraphClient::mailbox() {
   if (!mailbox_) mailbox_ = std::make_unique<GraphMailbox>(*this);
   return *mailbox_;
}

MessageSender *GraphClient::sender() {
   if (!sender_) sender_ = std::make_unique<GraphSender>(*this);
   return sender_.get();
}

void GraphClient::upload_range(const std::string &upload_url, std::string_view bytes, std::uint64_t first,
                               std::uint64_t total, CallContext &context) {
   if (upload_url.rfind("https://", 0) != 0)
      throw Failure(RPA_PROTOCOL_ERROR, "Microsoft Graph's upload session has no https uploadUrl (\"" +
                                            printable(upload_url, 200) + "\"); nothing was sent");
   HttpRequest request;
   request.method = "PUT";
   request.url = upload_url;
   request.content_type = "application/octet-stream";
   request.body = SecretString(bytes);
   request.headers = {{"Content-Range", "bytes " + std::to_string(first) + "-" +
                                            std::to_string(first + bytes.size() - 1) + "/" +
                                            std::to_string(total)}};
   context.host().debug("Graph: PUT " + std::to_string(bytes.size()) + " bytes to the upload session");
   const MailboxRequestSlot slot(slot_key_, context);
   const HttpResponse response = http_.send(request, context, "the attachment upload");
   if (response.status != 200 && response.status != 201) fail(response, kSendingWhat);
}

std::vector<FolderInfo> GraphClient::find_folders(CallContext &context) {
   std::vector<FolderInfo> found;
   std::vector<bool> has_children;  // of each found folder
   // Reads every page of a folder collection into `found` under `parent` ("" at the top).
   auto read_collection = [&](std::string url, const std::string &parent) {
      std::vector<std::size_t> added;
      while (!url.empty()) {
         graph::FolderPage page = get_page(url, &graph::parse_folder_page, context, "the folder list");
         for (graph::FolderEntry &folder : page.folders) {
            if (found.size() >= kMaxFolders)
               throw Failure(RPA_PROTOCOL_ERROR, settings_.graph_url + " listed more than " +
                                                     std::to_string(kMaxFolders) + " folders");
            found.push_back(folder_at(
                folder.id, parent.empty() ? folder.display_name : parent + "/" + folder.display_name,
                folder.has_children));
            has_children.push_back(folder.has_children);
            added.push_back(found.size() - 1);
         }
         url = page.next_link;
      }
      return added;
   };
   std::vector<std::pair<std::size_t, int>> pending;  // folders with children, and their depth
   for (std::size_t index : read_collection("/mailFolders?$top=100", "")) pending.emplace_back(index, 1);
   while (!pending.empty()) {
      const auto [index, depth] = pending.back();
      pending.pop_back();
      if (!has_children[index] || depth > kMaxDepth) continue;
      const std::string id = web::uri::encode_data_string(found[index].wire_name);
      const std::string path = found[index].path;
      for (std::size_t child : read_collection("/mailFolders/" + id + "/childFolders?$top=100", path))
         pending.emplace_back(child, depth + 1);
   }
   return found;
}

}  // namespace email
