#include "ews/ews_endpoint.h"

#include <cpprest/uri.h>

#include "util/text.h"

namespace email {

namespace {
bool ends_with(const std::string &text, const std::string &suffix) {
   return text.size() >= suffix.size() &&
          text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

bool means_office365(const std::string &domain) {
   const std::string lower = to_lower_ascii(domain);
   return lower.empty() || lower == "smtp.office365.com" || lower == "outlook.office365.com" ||
          lower == "office365.com" || lower == "outlook.office.com";
}

bool is_exchange_online_host(const std::string &host) { return !exchange_online_cloud(host).empty(); }

std::string exchange_online_cloud(const std::string &host) {
   const std::string lower = to_lower_ascii(host);
   // Microsoft's EWS endpoints per cloud: worldwide, GCC High, DoD, 21Vianet.
   if (lower == "outlook.office365.com" || lower == "outlook.office.com" ||
       ends_with(lower, ".outlook.office365.com") || ends_with(lower, ".outlook.com"))
      return "global";
   if (lower == "outlook.office365.us") return "usgov";
   if (lower == "webmail.apps.mil") return "usgov_dod";
   if (lower == "partner.outlook.cn") return "china";
   return "";
}

std::string url_origin(const std::string &url) {
   web::uri uri(url);
   std::string origin = to_lower_ascii(uri.scheme()) + "://" + to_lower_ascii(uri.host());
   if (uri.port() > 0 && uri.port() != 443) origin += ":" + std::to_string(uri.port());
   return origin;
}

std::string url_host(const std::string &url) { return to_lower_ascii(web::uri(url).host()); }

}  // namespace email
