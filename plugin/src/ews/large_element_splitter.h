// LargeElementSplitter: reads an XML response as it arrives, chunk by chunk, and keeps it whole
// but for the text of one element (by local name: GetItem's MimeContent, a message in base64 that
// may be 200 MB), of which it notes only where it lies. What it keeps, the skeleton, is the
// response with that element left empty, small enough to parse with pugixml as any other
// response (ews/ews_soap.h) and judge for faults and errors; the text is read back from where the
// response was spooled (http/spooled_body.h) afterwards, in bounded pieces.
//
// It is not an XML parser and need not be one: the skeleton is parsed by one, and a response that
// is not what it seems (the element's text ended by something else than its end tag, a second
// such element, a tag split oddly) shows up there as a malformed skeleton or an element that is
// not empty. A start tag is recognised by its name alone ('<', an optional prefix and ':', the
// local name, then white space, '/' or '>'); comments, CDATA and processing instructions are kept
// in the skeleton as they are. Fuzzed in fuzz/fuzz_large_element.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace email::ews {

class LargeElementSplitter {
 public:
   static constexpr std::size_t kMaxSkeletonBytes = 1024 * 1024;

   // Where the element's text lies in the bytes fed: from `offset`, `length` bytes.
   struct Span {
      std::uint64_t offset = 0;
      std::uint64_t length = 0;
   };

   explicit LargeElementSplitter(std::string local_name);

   // The next bytes of the response. Throws Failure(protocol_error) when the skeleton grows past
   // kMaxSkeletonBytes or a second element of that name begins.
   void feed(std::string_view bytes);
   // The response has ended. Throws Failure(protocol_error) when it ended inside the element.
   void finish();

   const std::string &skeleton() const { return skeleton_; }
   // The element's text, once its end was seen; nullopt when the response had no such element
   // (or only an empty one, <t:MimeContent/>).
   const std::optional<Span> &text() const { return text_; }

 private:
   enum class State { content, tag, text };
   void keep(std::string_view bytes);  // into the skeleton, within its limit
   // A whole tag (from '<' to '>', at most kMaxTagBytes of it) was read: does it open the element?
   bool opens_element() const;
   static constexpr std::size_t kMaxTagBytes = 1024;

   std::string local_name_;
   std::string skeleton_;
   std::string tag_;  // the tag being read, up to kMaxTagBytes
   State state_ = State::content;
   std::uint64_t fed_ = 0;  // bytes fed so far
   std::uint64_t text_start_ = 0;
   std::optional<Span> text_;
};

}  // namespace email::ews
