#include "ews/autodiscover.h"

#include "ews/ews_endpoint.h"

#include <optional>

#include <pugixml.hpp>

#include <map>
#include <mutex>
#include <sstream>

#include "ews/ews_soap.h"
#include "http/https_client.h"
#include "http/request_pipeline.h"
#include "net/resolver.h"
#include "windows_sign_in/negotiate_authorizer.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr int kMaxRedirections = 10;
constexpr const char *kRequestSchema =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
constexpr const char *kResponseSchema =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

std::mutex cache_mutex;
std::map<std::string, std::string> &cache() {
   static std::map<std::string, std::string> answers;
   return answers;
}

std::string domain_of(const std::string &email) {
   const std::size_t at = email.rfind('@');
   return at == std::string::npos ? std::string() : to_lower_ascii(email.substr(at + 1));
}

std::string pox_request(const std::string &email) {
   pugi::xml_document document;
   pugi::xml_node declaration = document.append_child(pugi::node_declaration);
   declaration.append_attribute("version") = "1.0";
   declaration.append_attribute("encoding") = "utf-8";
   pugi::xml_node root = document.append_child("Autodiscover");
   root.append_attribute("xmlns") = kRequestSchema;
   pugi::xml_node request = root.append_child("Request");
   request.append_child("EMailAddress").text().set(email.c_str());
   request.append_child("AcceptableResponseSchema").text().set(kResponseSchema);
   std::ostringstream out;
   document.save(out, "", pugi::format_raw);
   return out.str();
}

using Answer = AutodiscoverAnswer;

}  // namespace

AutodiscoverAnswer read_autodiscover_answer(const std::string &body) {
   pugi::xml_document document;
   if (!document.load_buffer(body.data(), body.size()))
      return {Answer::Kind::failed, "the answer is not XML"};
   pugi::xml_node response = ews::path(document, {"Autodiscover", "Response"});
   if (pugi::xml_node error = ews::child(response, "Error"))
      return {Answer::Kind::failed, "Autodiscover error " +
                                        printable(ews::child(error, "ErrorCode").child_value(), 20) + ": " +
                                        printable(ews::child(error, "Message").child_value(), 200)};
   pugi::xml_node account = ews::child(response, "Account");
   const std::string action = ews::child(account, "Action").child_value();
   if (action == "redirectAddr")
      return {Answer::Kind::redirect_address, ews::child(account, "RedirectAddr").child_value()};
   if (action == "redirectUrl")
      return {Answer::Kind::redirect_url, ews::child(account, "RedirectUrl").child_value()};
   if (action == "settings") {
      std::string found;
      for (const char *type : {"EXCH", "EXPR"})
         for (pugi::xml_node protocol : account.children())
            if (std::string(protocol.name()).find("Protocol") != std::string::npos &&
                std::string(ews::child(protocol, "Type").child_value()) == type && found.empty())
               found = ews::child(protocol, "EwsUrl").child_value();
      if (!found.empty()) return {Answer::Kind::ews_url, found};
      return {Answer::Kind::failed, "the settings name no EWS URL"};
   }
   return {Answer::Kind::failed, "the answer is not an Autodiscover response"};
}

namespace {

class Search {
 public:
   Search(const AutodiscoverRequest &request, CallContext &context)
       : request_(request), context_(context), http_(request.tls) {}

   std::string run() {
      std::string address = request_.email;
      std::string domain = request_.domain.empty() ? domain_of(address) : to_lower_ascii(request_.domain);
      while (hops_ <= kMaxRedirections) {
         if (domain.empty())
            throw Failure(RPA_INVALID_PROPERTIES, "username: \"" + address +
                                                      "\" is not an e-mail address, so "
                                                      "Autodiscover has no domain; set domain or ews_url");
         Answer answer = try_domain(address, domain);
         if (answer.kind == Answer::Kind::ews_url) return answer.value;
         if (answer.kind == Answer::Kind::redirect_address) {
            context_.host().info("Autodiscover: " + address + " is served as " + answer.value);
            address = answer.value;
            domain = domain_of(address);
            ++hops_;
            continue;
         }
         break;
      }
      if (hops_ > kMaxRedirections) tried_.push_back("more than 10 redirections");
      std::string list;
      for (const std::string &attempt : tried_) list += (list.empty() ? "" : "; ") + attempt;
      throw Failure(RPA_CONNECTION_FAILED, "Autodiscover found no EWS endpoint for \"" + request_.email +
                                               "\" (" + list + "); set ews_url to the server's EWS address");
   }

 private:
   // Whether a failure ends Autodiscover: cancelled, or the call's deadline has passed. A
   // candidate that used up its own share of the time is skipped like one that failed.
   // A cancel, or a timeout that left the whole call too little time for another candidate (a
   // candidate's deadline and the call's may part by a few milliseconds, and so may the HTTP
   // library's own timer: nothing useful fits in what is left then).
   bool ends_the_search(const Failure &failure) const {
      return failure.status() == RPA_CANCELLED ||
             (failure.status() == RPA_TIMEOUT && context_.remaining() < kTooLittleTime);
   }

   static constexpr std::chrono::milliseconds kTooLittleTime{100};

   // One candidate's share of the time left: half of it, or all of it when that is short, so a
   // blackholed https://<domain>/ does not use up the time the SRV candidate needs.
   CallContext candidate_context(const std::string &url) const {
      const auto left = context_.remaining();
      return CallContext(
          context_, std::max(left / 2, std::min<std::chrono::milliseconds>(left, std::chrono::seconds(5))),
          url);
   }

   // The proxy for `host` resolves names itself (http://, socks5h://): the local DNS of a network
   // behind a proxy may know no outside names, so such names are left to the proxy.
   bool proxy_resolves(const std::string &host) const {
      const ProxySettings::Kind kind = proxy_for(request_.tls, host, context_).kind;
      return kind == ProxySettings::Kind::http || kind == ProxySettings::Kind::socks5h;
   }

   bool resolves(const std::string &host) {
      if (proxy_resolves(host)) return true;
      try {
         resolve_host(host, 443, context_);
         return true;
      } catch (const Failure &failure) {
         if (ends_the_search(failure)) throw;
         tried_.push_back(host + ": " + failure.what());
         return false;
      }
   }

   Answer try_domain(const std::string &address, const std::string &domain) {
      for (const std::string &host : {domain, "autodiscover." + domain}) {
         if (!resolves(host)) continue;
         Answer answer = post("https://" + host + "/autodiscover/autodiscover.xml", address);
         if (answer.kind != Answer::Kind::failed) return answer;
      }
      const std::string plain_host = "autodiscover." + domain;
      if (resolves(plain_host)) {
         Answer answer = redirect_check("http://" + plain_host + "/autodiscover/autodiscover.xml", address);
         if (answer.kind != Answer::Kind::failed) return answer;
      }
      const std::string srv = "_autodiscover._tcp." + domain;
      const ProxySettings proxy = proxy_for(request_.tls, domain, context_);
      if (proxy.kind == ProxySettings::Kind::socks5h) {
         // DNS does not go through a proxy; a local query would tell the network what socks5h hides.
         tried_.push_back(srv + ": not looked up (the proxy " + proxy.label() +
                          " resolves names, and SRV lookups cannot go through it)");
         return {};
      }
      std::vector<SrvRecord> records;
      try {
         records = resolve_srv(srv, context_);
      } catch (const Failure &failure) {
         if (failure.status() == RPA_CANCELLED || failure.status() == RPA_TIMEOUT) throw;
      }
      if (records.empty()) tried_.push_back(srv + ": no SRV record");
      for (const SrvRecord &record : records) {
         std::string target = record.target;
         if (!target.empty() && target.back() == '.') target.pop_back();
         Answer answer =
             post("https://" + target + (record.port == 443 ? "" : ":" + std::to_string(record.port)) +
                      "/autodiscover/autodiscover.xml",
                  address);
         if (answer.kind != Answer::Kind::failed) return answer;
      }
      return {};
   }

   // POSTs the POX request; follows redirectUrl and HTTP redirects to https URLs.
   Answer post(std::string url, const std::string &address) {
      for (; hops_ <= kMaxRedirections; ++hops_) {
         std::unique_ptr<Authorizer> authorizer = authorizer_for(url);
         if (!authorizer) return {};
         HttpRequest request;
         request.url = url;
         request.content_type = "text/xml; charset=utf-8";
         request.body = SecretString(pox_request(address));
         context_.host().debug("Autodiscover: POST " + url + " for " + address);
         // Each candidate once, signed in by its authorizer; its status is judged below (a failure
         // moves on to the next candidate).
         struct CandidateFailed {};
         const HttpSend deliver = [&](const HttpRequest &signed_in) {
            std::optional<HttpResponse> sent = send_candidate(signed_in, "the Autodiscover request");
            if (!sent) throw CandidateFailed{};
            return std::move(*sent);
         };
         HttpResponse response;
         try {
            response = authorizer->send(request, deliver, context_);
         } catch (const CandidateFailed &) {
            return {};
         }
         if (response.status >= 300 && response.status < 400) {
            const std::string location = response.header("location");
            if (location.rfind("https://", 0) != 0) {
               tried_.push_back(url + ": redirected to a non-https address, not followed");
               return {};
            }
            url = location;
            continue;
         }
         if (response.status != 200) {
            tried_.push_back(url + ": HTTP " + std::to_string(response.status));
            return {};
         }
         Answer answer = read_autodiscover_answer(response.body);
         if (answer.kind == Answer::Kind::redirect_url) {
            if (answer.value.rfind("https://", 0) != 0) {
               tried_.push_back(url + ": redirectUrl to a non-https address, not followed");
               return {};
            }
            url = answer.value;
            continue;
         }
         if (answer.kind == Answer::Kind::failed) tried_.push_back(url + ": " + answer.value);
         return answer;
      }
      return {};
   }

   // How the request to the candidate at `url` signs in: Basic, none, or the Windows sign-in for
   // that candidate, which is its own service (HTTP/<its host>). A refused password ends the search
   // (thrown); where Kerberos is not possible for this host, NTLM with the password as Windows'
   // Negotiate does, else the candidate is skipped (nullptr).
   std::unique_ptr<Authorizer> authorizer_for(const std::string &url) {
      if (!request_.windows)
         return std::make_unique<FixedAuthorizer>(
             request_.password && !request_.password->empty()
                 ? basic_authorization(request_.email, request_.password->view())
                 : SecretString());
      WindowsSignInSettings settings = request_.windows->clone();
      settings.spn.clear();
      try {
         return std::make_unique<NegotiateAuthorizer>(
             WindowsSignIn::negotiate(std::move(settings), url_host(url), context_, "Autodiscover " + url),
             http_, url_host(url), "Autodiscover");
      } catch (const KerberosUnavailable &unavailable) {
         tried_.push_back(url + ": " + unavailable.what());
         return nullptr;
      }
   }

   // Sends one candidate's request under its own share of the deadline. A failure that ends
   // the whole search (timeout, cancel) is thrown; any other is noted in tried_ and gives nullopt.
   std::optional<HttpResponse> send_candidate(const HttpRequest &request, const char *what) {
      try {
         CallContext attempt = candidate_context(request.url);
         return http_.send(request, attempt, what);
      } catch (const Failure &failure) {
         if (ends_the_search(failure)) throw;
         tried_.push_back(request.url + ": " + failure.what());
         return std::nullopt;
      }
   }

   // The unauthenticated HTTP step: only its redirect to https is used.
   Answer redirect_check(const std::string &url, const std::string &address) {
      HttpRequest request;
      request.method = "GET";
      request.url = url;
      request.allow_plain_http = true;
      std::optional<HttpResponse> sent = send_candidate(request, "the Autodiscover redirect check");
      if (!sent) return {};
      HttpResponse &response = *sent;
      const std::string location = response.header("location");
      if ((response.status == 301 || response.status == 302) && location.rfind("https://", 0) == 0) {
         ++hops_;
         return post(location, address);
      }
      tried_.push_back(url + ": no redirect to https");
      return {};
   }

   const AutodiscoverRequest &request_;
   CallContext &context_;
   HttpsClient http_;
   int hops_ = 0;
   std::vector<std::string> tried_;
};

}  // namespace

std::string autodiscover_ews_url(const AutodiscoverRequest &request, CallContext &context) {
   const std::string key = to_lower_ascii(request.email) + "\n" + to_lower_ascii(request.domain);
   {
      std::lock_guard<std::mutex> lock(cache_mutex);
      auto found = cache().find(key);
      if (found != cache().end()) {
         context.host().debug("Autodiscover: cached EWS URL for " + request.email);
         return found->second;
      }
   }
   std::string url = Search(request, context).run();
   if (url.rfind("https://", 0) != 0)
      throw Failure(RPA_TLS_FAILED, "Autodiscover named an EWS URL that is not https (\"" +
                                        printable(url, 200) + "\"); refusing to send credentials there");
   context.host().info("Autodiscover: EWS for " + request.email + " is " + url);
   std::lock_guard<std::mutex> lock(cache_mutex);
   cache()[key] = url;
   return url;
}

}  // namespace email
