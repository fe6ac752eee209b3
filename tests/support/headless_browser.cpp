#include "headless_browser.h"

#include <openssl/ssl.h>

#include <cpprest/http_client.h>

#include "dovecot_peer.h"

namespace test {

namespace {

web::http::http_response get(const std::string &url, const std::string &ca_file);

}  // namespace

std::string https_get(const std::string &url) {
   web::http::http_response response = get(url, DovecotPeer::get().ca_file());
   return response.extract_utf8string(true).get();
}

namespace {

web::http::http_response get(const std::string &url, const std::string &ca_file) {
   web::uri uri(url);
   web::http::client::http_client_config config;
   config.set_timeout(std::chrono::seconds(20));
   config.set_max_redirects(0);  // the visit follows the one redirect itself
   if (!ca_file.empty())
      config.set_ssl_context_callback(
          [ca_file](boost::asio::ssl::context &context) { context.load_verify_file(ca_file); });
   web::http::client::http_client client(
       web::uri_builder().set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port()).to_uri(),
       config);
   return client.request(web::http::methods::GET, uri.resource().to_string()).get();
}

}  // namespace

HeadlessBrowser::~HeadlessBrowser() {
   for (std::thread &visit : visits_)
      if (visit.joinable()) visit.join();
}

void HeadlessBrowser::visit(const std::string &url, std::function<std::string(std::string)> rewrite) {
   std::lock_guard<std::mutex> lock(mutex_);
   opened_.push_back(url);
   const std::string ca_file = DovecotPeer::get().ca_file();
   visits_.emplace_back([this, url, rewrite, ca_file] {
      try {
         web::http::http_response sign_in = get(url, ca_file);
         std::string target = sign_in.headers().has("Location") ? sign_in.headers()["Location"] : "";
         if (target.empty()) return;
         if (rewrite) target = rewrite(target);
         {
            std::lock_guard<std::mutex> lock(mutex_);
            redirects_.push_back(target);
         }
         web::http::http_response page = get(target, "");
         std::string body = page.extract_string(true).get();
         std::lock_guard<std::mutex> lock(mutex_);
         pages_.push_back(body);
      } catch (const std::exception &) {
         // The plugin may have given up (a test of its timeout); nothing to report here.
      }
   });
}

std::vector<std::string> HeadlessBrowser::opened() const {
   std::lock_guard<std::mutex> lock(mutex_);
   return opened_;
}
std::vector<std::string> HeadlessBrowser::redirects() const {
   std::lock_guard<std::mutex> lock(mutex_);
   return redirects_;
}
std::vector<std::string> HeadlessBrowser::pages() const {
   std::lock_guard<std::mutex> lock(mutex_);
   return pages_;
}

}  // namespace test
