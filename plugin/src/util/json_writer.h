// JsonWriter: a JSON object built member by member, for action results and session info.
//
//   JsonWriter json;
//   json.string("session_name", name).boolean("logged_out", true);
//   json.begin_object("vault").string("locker", locker).end_object();
//   return json.finish();  // {"session_name":"...","logged_out":true,"vault":{"locker":"..."}}
//
// Strings are UTF-8 and escaped by RapidJSON's Writer; `raw` inserts a JSON value that is already
// text (it must be valid JSON). Members are written in call order.
//
// The text goes one of two ways (JsonOutput):
// - into the std::string finish() returns, written in place, so it is never copied; give the size
//   expected, if known, to the constructor;
// - or streamed: in pieces of about 64 KiB to a JsonPieceSink (a host's text sink), through one
//   buffer that is allocated up front and never grows, so a page of 1,000 summaries needs neither
//   half a megabyte of fresh memory nor a copy of it. Give the constructor the longest string any
//   member will hold; after construction nothing is allocated, so once the first piece is out,
//   nothing but the sink itself can fail.
#pragma once

#include <rapidjson/writer.h>

#include <cstddef>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace email {

// Where a streamed JSON text goes: each piece in order, valid during the call.
using JsonPieceSink = std::function<void(std::string_view piece)>;

// A RapidJSON output stream into a std::string or, in pieces, into a JsonPieceSink. RapidJSON's
// Writer reserves room before each value (PutReserve, found by argument-dependent lookup) and
// then writes it with PutUnsafe, a store and an increment.
class JsonOutput {
 public:
   using Ch = char;
   static constexpr std::size_t kPieceSize = 64 * 1024;
   explicit JsonOutput(std::size_t expected_size) { grow(expected_size); }
   // Streamed: a value needs at most 6 bytes per byte of text (\u00XX) plus its quotes.
   JsonOutput(JsonPieceSink sink, std::size_t longest_string) : sink_(std::move(sink)) {
      grow(kPieceSize + 6 * longest_string + 64);
   }
   void Put(char c) {
      reserve(1);
      data_[used_++] = c;
   }
   void put_unsafe(char c) { data_[used_++] = c; }
   void reserve(std::size_t count) {
      if (text_.size() - used_ < count) make_room(count);
   }
   void Flush() {}
   // The text written (streamed: what is left goes to the sink, and the result is ""); the
   // stream is empty after.
   std::string take() {
      if (sink_) {
         send_piece();
         return {};
      }
      text_.resize(used_);
      used_ = 0;
      data_ = nullptr;
      return std::move(text_);
   }

 private:
   void make_room(std::size_t count) {
      if (sink_) {
         send_piece();
         if (text_.size() >= count) return;
      }
      grow(count);
   }
   void send_piece() {
      if (used_) sink_(std::string_view(data_, used_));
      used_ = 0;
   }
   void grow(std::size_t count) {
      text_.resize(std::max(text_.size() * 2, used_ + count + 256));
      data_ = text_.data();
   }
   JsonPieceSink sink_;
   std::string text_;
   char *data_ = nullptr;
   std::size_t used_ = 0;
};

inline void PutReserve(JsonOutput &output, std::size_t count) { output.reserve(count); }
inline void PutUnsafe(JsonOutput &output, char c) { output.put_unsafe(c); }

class JsonWriter {
 public:
   explicit JsonWriter(std::size_t expected_size = 0) : output_(expected_size), writer_(output_) {
      writer_.StartObject();
   }
   // Streamed to `sink` (see the top); `longest_string` bounds every key and string value.
   JsonWriter(JsonPieceSink sink, std::size_t longest_string)
       : output_(std::move(sink), longest_string), writer_(output_) {
      writer_.StartObject();  // RapidJSON's level stack is allocated here, once
   }

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

   // Closes the outer object and returns the text (streamed: sends the rest, returns ""). Call
   // once.
   std::string finish() {
      writer_.EndObject();
      return output_.take();
   }

 private:
   JsonOutput output_;
   rapidjson::Writer<JsonOutput> writer_;
};

}  // namespace email
