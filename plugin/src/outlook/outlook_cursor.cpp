#include "outlook/outlook_cursor.h"

#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr const char kPrefix[] = "outlook1:";
constexpr std::size_t kHashDigits = 12;
constexpr std::int64_t kLatestSeconds = 253402300799;  // 9999-12-31T23:59:59Z

}  // namespace

OutlookCursor OutlookCursor::parse(const std::string &text) {
   const auto refuse = [&] {
      return Failure(RPA_INVALID_PROPERTIES,
                     "cursor: \"" + printable(text, 40) +
                         "\" is not a cursor an Outlook wait returned (\"outlook1:...\")");
   };
   const std::string prefix = kPrefix;
   if (text.rfind(prefix, 0) != 0) throw refuse();
   OutlookCursor cursor;
   const std::size_t colon = std::min(text.find(':', prefix.size()), text.size());
   const std::string seconds = text.substr(prefix.size(), colon - prefix.size());
   if (seconds.empty() || seconds.size() > 12 || seconds.find_first_not_of("0123456789") != std::string::npos)
      throw refuse();
   cursor.received_ = std::stoll(seconds);
   if (cursor.received_ > kLatestSeconds) throw refuse();
   if (colon == text.size()) return cursor;
   for (std::size_t at = colon + 1;;) {
      const std::size_t comma = std::min(text.find(',', at), text.size());
      const std::string hash = text.substr(at, comma - at);
      if (hash.size() != kHashDigits || hash.find_first_not_of("0123456789abcdef") != std::string::npos ||
          cursor.named_.size() >= kMostNamed || !cursor.named_.insert(hash).second)
         throw refuse();
      if (comma == text.size()) return cursor;
      at = comma + 1;
   }
}

std::string OutlookCursor::text() const {
   std::string text = kPrefix + std::to_string(received_);
   char separator = ':';
   for (const std::string &hash : named_) {
      text += separator + hash;
      separator = ',';
   }
   return text;
}

bool OutlookCursor::is_new(std::int64_t received, const std::string &entry_id) const {
   return received > received_ || (received == received_ && named_.count(short_hash(entry_id)) == 0);
}

void OutlookCursor::pass(std::int64_t received, const std::string &entry_id) {
   if (received < received_) return;
   if (received > received_) {
      received_ = received;
      named_.clear();
   }
   if (named_.size() < kMostNamed) {
      named_.insert(short_hash(entry_id));
      return;
   }
   received_ = received + 1;  // a thousand items in one second: the rest of it is passed over
   named_.clear();
}

}  // namespace email
