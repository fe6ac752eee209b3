#include "outlook/outlook_ref.h"

#include <cctype>

namespace email {

namespace {

constexpr const char kPrefix[] = "outlook:";

bool hex_id(const std::string &text) {
   if (text.empty() || text.size() > kMaxOutlookIdLength) return false;
   for (char c : text)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
   return true;
}

}  // namespace

std::string make_outlook_ref(const std::string &entry_id, const std::string &store_id) {
   return kPrefix + entry_id + ":" + store_id;
}

std::optional<OutlookRef> parse_outlook_ref(const std::string &ref) {
   const std::size_t prefix = sizeof kPrefix - 1;
   if (ref.compare(0, prefix, kPrefix) != 0) return std::nullopt;
   const std::size_t colon = ref.find(':', prefix);
   if (colon == std::string::npos) return std::nullopt;
   OutlookRef parsed{ref.substr(prefix, colon - prefix), ref.substr(colon + 1)};
   if (!hex_id(parsed.entry_id) || !hex_id(parsed.store_id)) return std::nullopt;
   return parsed;
}

}  // namespace email
