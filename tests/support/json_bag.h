// JsonBag: builds a property bag for tests, escaping strings through RapidJSON.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace test {

struct RawJson {
   std::string text;
};

class JsonBag {
 public:
   using Value = std::variant<std::string, long long, bool, RawJson>;
   JsonBag &set(const std::string &key, const char *value) { return set(key, std::string(value)); }
   JsonBag &set(const std::string &key, Value value) {
      for (auto &entry : entries_)
         if (entry.first == key) {
            entry.second = std::move(value);
            return *this;
         }
      entries_.emplace_back(key, std::move(value));
      return *this;
   }
   JsonBag &set(const std::string &key, int value) { return set(key, Value(static_cast<long long>(value))); }
   JsonBag &set(const std::string &key, bool value) { return set(key, Value(value)); }
   JsonBag &erase(const std::string &key) {
      for (auto it = entries_.begin(); it != entries_.end(); ++it)
         if (it->first == key) {
            entries_.erase(it);
            break;
         }
      return *this;
   }
   // {"credential": {"locker": ..., "name": ..., "attribute": ...}}
   static RawJson credential(const std::string &locker, const std::string &name,
                             const std::string &attribute) {
      JsonBag inner;
      inner.set("locker", locker).set("name", name).set("attribute", attribute);
      return RawJson{"{\"credential\":" + inner.str() + "}"};
   }
   std::string str() const {
      std::string out = "{";
      for (std::size_t i = 0; i < entries_.size(); ++i) {
         if (i) out += ",";
         out += quote(entries_[i].first) + ":";
         const Value &value = entries_[i].second;
         if (auto *s = std::get_if<std::string>(&value))
            out += quote(*s);
         else if (auto *n = std::get_if<long long>(&value))
            out += std::to_string(*n);
         else if (auto *b = std::get_if<bool>(&value))
            out += *b ? "true" : "false";
         else
            out += std::get<RawJson>(value).text;
      }
      return out + "}";
   }
   static std::string quote(const std::string &text) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
      return buffer.GetString();
   }

 private:
   std::vector<std::pair<std::string, Value>> entries_;
};

}  // namespace test
