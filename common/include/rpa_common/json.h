// Bounded JSON parsing: the one way this project reads JSON text (bot files, property bags, vault
// files and their plaintext, token endpoint answers, anything from a server).
//
// RapidJSON's default parser recurses once per nesting level, so 100 000 '[' overflow any stack.
// parse_json() runs RapidJSON's iterative parser (constant stack) through a handler that stops
// at kMaxJsonDepth levels, so the document never nests deeper either and whatever walks it later
// (schema validation, Accept, destruction) stays within a small, fixed stack.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <string>

namespace rpa {

// Deeper than any JSON this project reads or writes (bags nest 3 levels, vault plaintext 4).
inline constexpr unsigned kMaxJsonDepth = 64;

struct JsonParseResult {
   bool ok = false;
   bool too_deep = false;
   std::size_t offset = 0;  // of the error
   rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;

   explicit operator bool() const { return ok; }
   // "nested deeper than 64 levels at byte 12" or RapidJSON's words "Invalid value. at byte 0".
   std::string message() const {
      return (too_deep ? "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                       : std::string(rapidjson::GetParseError_En(code))) +
             " at byte " + std::to_string(offset);
   }
};

namespace detail {

// Forwards every event to `inner`; refuses to open a level past `limit`.
template <typename Handler>
class DepthLimitedHandler {
 public:
   using Ch = typename Handler::Ch;
   DepthLimitedHandler(Handler &inner, unsigned limit) : inner_(inner), limit_(limit) {}

   bool Null() { return inner_.Null(); }
   bool Bool(bool b) { return inner_.Bool(b); }
   bool Int(int i) { return inner_.Int(i); }
   bool Uint(unsigned u) { return inner_.Uint(u); }
   bool Int64(std::int64_t i) { return inner_.Int64(i); }
   bool Uint64(std::uint64_t u) { return inner_.Uint64(u); }
   bool Double(double d) { return inner_.Double(d); }
   bool RawNumber(const Ch *s, rapidjson::SizeType n, bool copy) { return inner_.RawNumber(s, n, copy); }
   bool String(const Ch *s, rapidjson::SizeType n, bool copy) { return inner_.String(s, n, copy); }
   bool Key(const Ch *s, rapidjson::SizeType n, bool copy) { return inner_.Key(s, n, copy); }
   bool StartObject() { return open() && inner_.StartObject(); }
   bool EndObject(rapidjson::SizeType n) {
      --depth_;
      return inner_.EndObject(n);
   }
   bool StartArray() { return open() && inner_.StartArray(); }
   bool EndArray(rapidjson::SizeType n) {
      --depth_;
      return inner_.EndArray(n);
   }

   bool too_deep() const { return too_deep_; }

 private:
   bool open() {
      if (++depth_ <= limit_) return true;
      too_deep_ = true;
      return false;
   }
   Handler &inner_;
   unsigned limit_;
   unsigned depth_ = 0;
   bool too_deep_ = false;
};

// The allocator a document parses with (WipingAllocator for SecretDocument: the parser's
// scratch copies of strings are wiped too).
template <typename Document>
struct StackAllocatorOf;
template <typename Encoding, typename Allocator, typename StackAllocator>
struct StackAllocatorOf<rapidjson::GenericDocument<Encoding, Allocator, StackAllocator>> {
   using type = StackAllocator;
};

}  // namespace detail

// Parses `size` bytes at `text` (no terminating NUL needed) into `document`. On failure the
// document is left null and the result says why. `Flags` adds RapidJSON parse flags (e.g.
// kParseValidateEncodingFlag); the iterative flag is always set.
template <unsigned Flags = rapidjson::kParseDefaultFlags, typename Document>
JsonParseResult parse_json(Document &document, const char *text, std::size_t size,
                           unsigned max_depth = kMaxJsonDepth) {
   using Encoding = typename Document::EncodingType;
   JsonParseResult result;
   rapidjson::MemoryStream memory(text ? text : "", text ? size : 0);
   rapidjson::EncodedInputStream<Encoding, rapidjson::MemoryStream> stream(memory);
   auto generate = [&](Document &handler) {
      detail::DepthLimitedHandler<Document> limited(handler, max_depth);
      using StackAllocator = typename detail::StackAllocatorOf<Document>::type;
      StackAllocator scratch;
      rapidjson::GenericReader<Encoding, Encoding, StackAllocator> reader(&scratch);
      rapidjson::ParseResult parsed =
          reader.template Parse<Flags | rapidjson::kParseIterativeFlag>(stream, limited);
      result.ok = !parsed.IsError();
      result.too_deep = limited.too_deep();
      result.code = parsed.Code();
      result.offset = parsed.Offset();
      return result.ok;
   };
   document.Populate(generate);
   if (!result.ok) document.SetNull();
   return result;
}

template <unsigned Flags = rapidjson::kParseDefaultFlags, typename Document>
JsonParseResult parse_json(Document &document, const std::string &text) {
   return parse_json<Flags>(document, text.data(), text.size());
}

}  // namespace rpa
