#include "designer/designer.h"

#include <cpprest/http_listener.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <ostream>
#include <thread>

#include "bot_runner.h"
#include "designer/designer_api.h"
#include "plugin_registry.h"
#include "session_table.h"

namespace rpa_host {

namespace designer_assets {
extern const char index_html[];
extern const char designer_js[];
extern const char designer_css[];
}  // namespace designer_assets

namespace {

using web::http::http_request;
using web::http::status_codes;

std::string random_token() {
   unsigned char bytes[24];
   if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("the random number generator failed");
   static const char hex[] = "0123456789abcdef";
   std::string token;
   for (unsigned char byte : bytes) {
      token += hex[byte >> 4];
      token += hex[byte & 15];
   }
   return token;
}

// A free loopback port (the listener's own port cannot be asked for afterwards).
std::uint16_t free_port() {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   socklen_t size = sizeof address;
   if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
       ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error(std::string("no free loopback port: ") + std::strerror(errno));
   }
   ::close(fd);
   return ntohs(address.sin_port);
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

class DesignerServer {
 public:
   DesignerServer(DesignerApi &api, SignInSlot &sign_in, std::uint16_t port, std::string token)
       : api_(api),
         sign_in_(sign_in),
         port_(port),
         token_(std::move(token)),
         listener_(web::uri("http://127.0.0.1:" + std::to_string(port))) {
      listener_.support([this](http_request request) { handle(std::move(request)); });
   }
   void open() { listener_.open().wait(); }
   void close() { listener_.close().wait(); }
   std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/?token=" + token_; }

 private:
   // `cookie`: a Set-Cookie value to send along, or "".
   static void reply(http_request &request, int status, const std::string &body, const std::string &type,
                     const std::string &cookie = "") {
      web::http::http_response response(static_cast<web::http::status_code>(status));
      response.headers().add("Content-Type", type);
      if (!cookie.empty()) response.headers().add("Set-Cookie", cookie);
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
         reply(request, 500, api_error(500, failure.what()).json, "application/json");
      }
   }

   void route(http_request &request) {
      if (!host_allowed(request)) return refuse(request, "the Host header must be this address (127.0.0.1)");
      if (!origin_allowed(request)) return refuse(request, "requests from other sites are refused");
      const std::string path = request.relative_uri().path();
      const std::string method = request.method();
      const std::string cookie = header_of(request, "Cookie");
      const bool cookie_ok = same_secret(cookie_value(cookie, "designer_token"), token_);
      if (path.rfind("/api/", 0) == 0) {
         const std::string header = header_of(request, "X-Designer-Token");
         if (!same_secret(header, token_) || !cookie_ok)
            return refuse(request, "missing or wrong designer token");
         return api(request, method, path);
      }
      if (method != "GET") return refuse(request, "only GET here");
      if (path == "/" || path == "/index.html") {
         auto query = web::uri::split_query(request.relative_uri().query());
         const bool url_ok = query.count("token") && same_secret(query["token"], token_);
         if (!url_ok && !cookie_ok)
            return refuse(request, "open the address rpa-host designer printed (with its token)");
         return reply(request, 200, designer_assets::index_html, "text/html; charset=utf-8",
                      "designer_token=" + token_ + "; Path=/; HttpOnly; SameSite=Strict");
      }
      if (!cookie_ok) return refuse(request, "missing or wrong designer token");
      if (path == "/designer.js")
         return reply(request, 200, designer_assets::designer_js, "text/javascript; charset=utf-8");
      if (path == "/designer.css")
         return reply(request, 200, designer_assets::designer_css, "text/css; charset=utf-8");
      reply(request, 404, api_error(404, "no such page").json, "application/json");
   }

   void api(http_request &request, const std::string &method, const std::string &path) {
      if (method == "GET" && path == "/api/sign-in") {  // while an action waits: not serialised
         const std::string url = sign_in_.url();
         return reply(request, 200, url.empty() ? "{\"url\":null}" : url_json(url), "application/json");
      }
      std::string body = method == "POST" ? request.extract_utf8string(true).get() : "";
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
   std::string token_;
   std::mutex mutex_;
   web::http::experimental::listener::http_listener listener_;
};

}  // namespace

int run_designer(const CommandLine &line, const std::atomic<bool> &cancelled, std::ostream &out,
                 std::ostream &errors) {
   try {
      const std::uint16_t port =
          line.command.size() == 3 ? static_cast<std::uint16_t>(std::stoul(line.command[2])) : free_port();
      PluginRegistry plugins;
      auto warn = [&errors](const std::string &text) { errors << "rpa-host: " << text << "\n"; };
      for (const std::string &folder : line.plugin_folders) plugins.load_folder(folder, warn);
      std::unique_ptr<Vault> vault = open_vault(line, false, errors);
      SessionTable sessions;
      LogSink log;
      log.min_level = line.verbose ? RPA_LOG_DEBUG : RPA_LOG_INFO;
      SignInSlot sign_in;
      // The sign-in page opens in the designer's browser (the page shows it as a link); the address
      // holds no secret (PKCE), so it is printed too, for a browser elsewhere.
      UrlOpener open_in_page = [&sign_in, &out](const std::string &url) {
         sign_in.offer(url);
         out << "rpa-host designer: sign-in page: " << url << std::endl;
         return RPA_OK;
      };
      HostServicesTable host(sessions, vault.get(), log, cancelled, open_in_page);
      DesignerApi api(plugins, vault.get(), sessions, host);
      DesignerServer server(api, sign_in, port, random_token());
      server.open();
      out << "rpa-host designer: open " << server.url() << "\n"
          << "(only this machine can reach it; press Ctrl-C to stop)" << std::endl;
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
