// JsonWriter: a JSON object built member by member, for action results and session info.
//
//   JsonWriter json;
//   json.string("session_name", name).boolean("logged_out", true);
//   json.begin_object("vault").string("locker", locker).end_object();
//   return json.finish();  // {"session_name":"...","logged_out":true,"vault":{"locker":"..."}}
//
// Strings are UTF-8 and escaped by RapidJSON's Writer; `raw` inserts a JSON value that is already
// text (it must be valid JSON). Members are written in call order.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace email {

class JsonWriter {
 public:
   JsonWriter() : writer_(buffer_) { writer_.StartObject(); }

   JsonWriter &string(const char *key, const std::string &value) {
      writer_.Key(key);
      writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
      return *this;
   }
   // null when `value` is empty.
   JsonWriter &string_or_null(const char *key, const std::string &value) {
      if (value.empty()) {
         writer_.Key(key);
         writer_.Null();
         return *this;
      }
      return string(key, value);
   }
   JsonWriter &null(const char *key) {
      writer_.Key(key);
      writer_.Null();
      return *this;
   }
   JsonWriter &number(const char *key, std::uint64_t value) {
      writer_.Key(key);
      writer_.Uint64(value);
      return *this;
   }
   JsonWriter &boolean(const char *key, bool value) {
      writer_.Key(key);
      writer_.Bool(value);
      return *this;
   }
   JsonWriter &strings(const char *key, const std::vector<std::string> &values) {
      writer_.Key(key);
      writer_.StartArray();
      for (const std::string &value : values)
         writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
      writer_.EndArray();
      return *this;
   }
   JsonWriter &raw(const char *key, const std::string &json, rapidjson::Type type) {
      writer_.Key(key);
      writer_.RawValue(json.data(), json.size(), type);
      return *this;
   }
   JsonWriter &begin_object(const char *key) {
      writer_.Key(key);
      writer_.StartObject();
      return *this;
   }
   JsonWriter &end_object() {
      writer_.EndObject();
      return *this;
   }
   // Array members: begin_array(key), then one begin_element() ... end_object() per element.
   JsonWriter &begin_array(const char *key) {
      writer_.Key(key);
      writer_.StartArray();
      return *this;
   }
   JsonWriter &begin_element() {
      writer_.StartObject();
      return *this;
   }
   JsonWriter &end_array() {
      writer_.EndArray();
      return *this;
   }

   // Closes the outer object and returns the text. Call once.
   std::string finish() {
      writer_.EndObject();
      return std::string(buffer_.GetString(), buffer_.GetSize());
   }

 private:
   rapidjson::StringBuffer buffer_;
   rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace email
