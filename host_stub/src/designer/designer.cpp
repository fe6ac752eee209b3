#include "designer/designer.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cpprest/http_listener.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <openssl/crypto.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "bot_folder.h"
#include "rpa_common/random_hex.h"
#include "bot_runner.h"
#include "designer/designer_api.h"
#include "plugin_registry.h"
#include "session_table.h"
#include "vault.h"

namespace rpa_host {

namespace designer_assets {
extern const char index_html[];
extern const char designer_js[];
extern const char designer_css[];
extern const char favicon_svg[];
}  // namespace designer_assets

namespace {

using web::http::http_request;
using web::http::status_codes;

std::string random_token() { return rpa::random_hex(24); }

// A free loopback port (the listener's own port cannot be asked for afterwards).
std::uint16_t free_port() {
   boost::asio::io_context context;
   boost::system::error_code error;
   boost::asio::ip::tcp::acceptor probe(context);
   probe.open(boost::asio::ip::tcp::v4(), error);
   if (!error) probe.bind({boost::asio::ip::address_v4::loopback(), 0}, error);
   const std::uint16_t port = error ? 0 : probe.local_endpoint(error).port();
   if (error || port == 0) throw std::runtime_error("no free loopback port: " + error.message());
   return port;
}

// A request header's value, or "".
std::string header_of(const http_request &request, const char *name) {
   const auto found = request.headers().find(name);
   return found == request.headers().end() ? "" : found->second;
}

bool same_secret(const std::string &given, const std::string &expected) {
   return given.size() == expected.size() &&
          CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(const std::string &header, const std::string &name) {
   std::size_t at = 0;
   while (at < header.size()) {
      std::size_t end = header.find(';', at);
      if (end == std::string::npos) end = header.size();
      std::string pair = header.substr(at, end - at);
      pair.erase(0, pair.find_first_not_of(' '));
      if (pair.compare(0, name.size() + 1, name + "=") == 0) return pair.substr(name.size() + 1);
      at = end + 1;
   }
   return "";
}

// The sign-in address an action (Authorize) asked the host to open, for the page to show as a link
// while that action waits: opening it in the page's own browser is the user's sign-in.
class SignInSlot {
 public:
   void offer(const std::string &url) {
      std::lock_guard<std::mutex> lock(mutex_);
      url_ = url;
   }
   void clear() { offer(""); }
   std::string url() const {
      std::lock_guard<std::mutex> lock(mutex_);
      return url_;
   }

 private:
   mutable std::mutex mutex_;
   std::string url_;
};

// The largest request body the page sends (a bot with its steps, a secret): 1 MiB.
constexpr std::size_t kMaxBody = 1024 * 1024;

// A page of text for a refused page load (the API answers JSON).
std::string refusal_page(const std::string &title, const std::string &text) {
   return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
          "</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head><body><h1>" +
          title + "</h1><p>" + text + "</p></body></html>";
}

class DesignerServer {
 public:
   DesignerServer(DesignerApi &api, SignInSlot &sign_in, std::uint16_t port, std::string token,
                  std::ostream &errors)
       : api_(api),
         sign_in_(sign_in),
         port_(port),
         token_(std::move(token)),
         errors_(errors),
         listener_(web::uri("http://127.0.0.1:" + std::to_string(port))) {
      listener_.support([this](http_request request) { handle(std::move(request)); });
   }
   void open() { listener_.open().wait(); }
   void close() { listener_.close().wait(); }
   std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/?token=" + token_; }

 private:
   // `cookie`: a Set-Cookie value to send along, or "". `location`: a redirect's target, or "".
   static void reply(http_request &request, int status, const std::string &body, const std::string &type,
                     const std::string &cookie = "", const std::string &location = "") {
      web::http::http_response response(static_cast<web::http::status_code>(status));
      response.headers().add("Content-Type", type);
      if (!cookie.empty()) response.headers().add("Set-Cookie", cookie);
      if (!location.empty()) response.headers().add("Location", location);
      response.headers().add("Cache-Control", "no-store");
      response.headers().add("X-Content-Type-Options", "nosniff");
      response.headers().add(
          "Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'");
      response.set_body(body, type);
      request.reply(response).then([](pplx::task<void> sent) {
         try {
            sent.get();
         } catch (...) {  // the page went away
         }
      });
   }
   static void refuse(http_request &request, const std::string &why) {
      reply(request, status_codes::Forbidden, api_error(403, why).json, "application/json");
   }

   bool host_allowed(const http_request &request) const {
      const std::string host = header_of(request, "Host");
      return host == "127.0.0.1:" + std::to_string(port_) || host == "localhost:" + std::to_string(port_);
   }
   bool origin_allowed(const http_request &request) const {
      const std::string origin = header_of(request, "Origin");
      if (origin.empty()) return true;
      return origin == "http://127.0.0.1:" + std::to_string(port_) ||
             origin == "http://localhost:" + std::to_string(port_);
   }

   void handle(http_request request) {
      try {
         route(request);
      } catch (const std::exception &failure) {
         // A library's words stay in the terminal; the page gets ours.
         {
            std::lock_guard<std::mutex> lock(errors_mutex_);
            errors_ << "rpa-host: designer: a request failed: " << failure.what() << std::endl;
         }
         reply(request, 500,
               api_error(500, "the designer could not answer this request; its terminal says why").json,
               "application/json");
      }
   }

   // The session secret, once the one-time token was exchanged for it ("" before).
   std::string session() const {
      std::lock_guard<std::mutex> lock(session_mutex_);
      return session_;
   }
   bool session_ok(const std::string &given) const {
      const std::string expected = session();
      return !expected.empty() && same_secret(given, expected);
   }

   // GET / with ?token=: the printed address's one-time token becomes a fresh session secret in
   // an HttpOnly cookie, and the browser goes on to / (the address bar no longer holds it).
   void exchange_token(http_request &request, const std::string &given, bool cookie_ok) {
      std::string cookie;
      {
         std::lock_guard<std::mutex> lock(session_mutex_);
         if (session_.empty() && same_secret(given, token_)) {
            session_ = random_token();
            cookie = "designer_session=" + session_ + "; Path=/; HttpOnly; SameSite=Strict";
         }
      }
      if (cookie.empty() && !cookie_ok)
         return reply(request, 403,
                      refusal_page("This designer address was already used",
                                   "Its one-time token was exchanged when the designer page first opened, "
                                   "in the browser that opened it. To open the designer here, stop rpa-host "
                                   "designer (Ctrl-C) and start it again: it prints a new address."),
                      "text/html; charset=utf-8");
      reply(request, 303, "", "text/plain", cookie, "/");
   }

   void route(http_request &request) {
      if (!host_allowed(request)) return refuse(request, "the Host header must be this address (127.0.0.1)");
      if (!origin_allowed(request)) return refuse(request, "requests from other sites are refused");
      const std::string path = request.relative_uri().path();
      const std::string method = request.method();
      if (method == "GET" && (path == "/favicon.svg" || path == "/favicon.ico"))  // nothing secret
         return reply(request, 200, designer_assets::favicon_svg, "image/svg+xml");
      const bool cookie_ok = session_ok(cookie_value(header_of(request, "Cookie"), "designer_session"));
      if (path.rfind("/api/", 0) == 0) {
         if (!cookie_ok || !session_ok(header_of(request, "X-Designer-Token")))
            return refuse(request, "missing or wrong designer token");
         return api(request, method, path);
      }
      if (method != "GET") return refuse(request, "only GET here");
      if (path == "/" || path == "/index.html") {
         auto query = web::uri::split_query(request.relative_uri().query());
         if (query.count("token")) return exchange_token(request, query["token"], cookie_ok);
         if (!cookie_ok)
            return reply(request, 403,
                         refusal_page("Open the address rpa-host designer printed",
                                      "This page opens only from the address with its one-time token that "
                                      "rpa-host designer printed in its terminal."),
                         "text/html; charset=utf-8");
         std::string page = designer_assets::index_html;
         const std::string slot = "{{DESIGNER_TOKEN}}";
         page.replace(page.find(slot), slot.size(), session());  // the page sends it back in a header
         return reply(request, 200, page, "text/html; charset=utf-8");
      }
      if (!cookie_ok) return refuse(request, "missing or wrong designer token");
      if (path == "/designer.js")
         return reply(request, 200, designer_assets::designer_js, "text/javascript; charset=utf-8");
      if (path == "/designer.css")
         return reply(request, 200, designer_assets::designer_css, "text/css; charset=utf-8");
      reply(request, 404, api_error(404, "no such page").json, "application/json");
   }

   // The body, or nothing (with a 413 sent) when it is over kMaxBody.
   std::optional<std::string> body_of(http_request &request) {
      const auto declared = request.headers().content_length();
      if (declared > kMaxBody) {
         reply(request, 413, api_error(413, "the request is larger than 1 MiB").json, "application/json");
         return std::nullopt;
      }
      std::string body = request.extract_utf8string(true).get();
      if (body.size() > kMaxBody) {
         OPENSSL_cleanse(body.data(), body.size());
         reply(request, 413, api_error(413, "the request is larger than 1 MiB").json, "application/json");
         return std::nullopt;
      }
      return body;
   }

   void api(http_request &request, const std::string &method, const std::string &path) {
      if (method == "GET" && path == "/api/sign-in") {  // while an action waits: not serialised
         const std::string url = sign_in_.url();
         return reply(request, 200, url.empty() ? "{\"url\":null}" : url_json(url), "application/json");
      }
      std::string body;
      if (method == "POST") {
         std::optional<std::string> read = body_of(request);
         if (!read) return;
         body = std::move(*read);
      }
      ApiAnswer answer;
      {
         std::lock_guard<std::mutex> one_at_a_time(mutex_);
         if (method == "GET" && path == "/api/actions")
            answer = api_.actions();
         else if (method == "GET" && path == "/api/vault")
            answer = api_.vault_names();
         else if (method == "POST" && path == "/api/vault")
            answer = api_.store_secret(body);
         else if (method == "POST" && path == "/api/test")
            answer = api_.invoke(body, true);
         else if (method == "POST" && path == "/api/invoke") {
            sign_in_.clear();
            answer = api_.invoke(body, false);
            sign_in_.clear();
         } else if (method == "POST" && path == "/api/bot/save")
            answer = api_.save_bot(body);
         else if (method == "POST" && path == "/api/bot/run")
            answer = api_.run_bot_file(body);
         else
            answer = api_error(404, "no such request: " + method + " " + path);
      }
      OPENSSL_cleanse(body.data(), body.size());  // it may have carried a typed secret
      reply(request, answer.http_status, answer.json, "application/json");
   }

   static std::string url_json(const std::string &url) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
      json.StartObject();
      json.Key("url");
      json.String(url.c_str());
      json.EndObject();
      return buffer.GetString();
   }

   DesignerApi &api_;
   SignInSlot &sign_in_;
   std::uint16_t port_;
   const std::string token_;  // the printed address's, good for one page load
   mutable std::mutex session_mutex_;
   std::string session_;  // the cookie's and the X-Designer-Token header's, after that load
   std::ostream &errors_;
   std::mutex errors_mutex_;
   std::mutex mutex_;
   web::http::experimental::listener::http_listener listener_;
};

}  // namespace

int run_designer(const DesignerOptions &options, const std::atomic<bool> &cancelled, std::ostream &out,
                 std::ostream &errors, CancelSignal *signal) {
   try {
      const std::uint16_t port = options.port != 0 ? options.port : free_port();
      std::unique_ptr<BotFolder> bots;
      try {
         bots = std::make_unique<BotFolder>(std::filesystem::u8path(options.bots));
      } catch (const std::invalid_argument &bad) {
         errors << "rpa-host: designer: --bots: " << bad.what() << "\n";
         return kExitUsage;
      }
      PluginRegistry plugins;
      auto warn = [&errors](const std::string &text) { errors << "rpa-host: " << text << "\n"; };
      for (const std::string &folder : options.plugin_folders) plugins.load_folder(folder, warn);
      std::unique_ptr<Vault> vault;
      if (!options.vault_path.empty())
         vault =
             std::make_unique<Vault>(Vault::open(options.vault_path, vault_passphrase_from_environment()));
      SessionTable sessions;
      LogSink log;
      log.min_level = options.verbose ? RPA_LOG_DEBUG : RPA_LOG_INFO;
      SignInSlot sign_in;
      // The sign-in page opens in the designer's browser (the page shows it as a link); the address
      // holds no secret (PKCE), so it is printed too, for a browser elsewhere.
      UrlOpener open_in_page = [&sign_in, &out](const std::string &url) {
         sign_in.offer(url);
         out << "rpa-host designer: sign-in page: " << url << std::endl;
         return RPA_OK;
      };
      HostServicesTable host(sessions, vault.get(), log, cancelled, open_in_page);
      host.offer_cancel_signal(signal);
      DesignerApi api(plugins, vault.get(), sessions, host, *bots);
      DesignerServer server(api, sign_in, port, random_token(), errors);
      server.open();
      out << "rpa-host designer: open " << server.url() << "\n"
          << "(only this machine can reach it, and the address only once; bot files in "
          << bots->path().u8string() << "; press Ctrl-C to stop)" << std::endl;
      while (!cancelled.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      server.close();
      sessions.clear();
      return kExitOk;
   } catch (const std::exception &failure) {
      errors << "rpa-host: designer: " << failure.what() << "\n";
      return kExitStepFailed;
   }
}

}  // namespace rpa_host
