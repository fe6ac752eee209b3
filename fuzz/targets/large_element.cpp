// A GetItem answer as an EWS fetch reads it back from its spool (ews/large_element_splitter.h): the
// input's first byte sets the size of the pieces it is fed in, the rest is the answer. Whatever
// the server sent, the splitter gives the same skeleton and the same place for the MimeContent's
// text in any pieces, the skeleton and that text are the answer again, and the skeleton is parsed
// as the fetch parses it; or it refuses with a Failure. Never a crash, a hang, or a skeleton past
// its limit.
#include <cstdint>
#include <optional>
#include <string>

#include "ews/ews_soap.h"
#include "ews/large_element_splitter.h"
#include "util/failure.h"

namespace {

using Splitter = email::ews::LargeElementSplitter;

// The splitter after `answer` fed in pieces of `piece` bytes, or nullopt when it refused.
std::optional<Splitter> split(const std::string &answer, std::size_t piece) {
   Splitter splitter("MimeContent");
   try {
      for (std::size_t at = 0; at < answer.size(); at += piece)
         splitter.feed(std::string_view(answer).substr(at, piece));
      splitter.finish();
   } catch (const email::Failure &) {
      return std::nullopt;
   }
   return splitter;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   if (size == 0) return 0;
   const std::size_t piece = data[0] % 64 + 1;
   const std::string answer(reinterpret_cast<const char *>(data) + 1, size - 1);
   const std::optional<Splitter> whole = split(answer, answer.size() + 1);
   const std::optional<Splitter> pieces = split(answer, piece);
   if (whole.has_value() != pieces.has_value()) __builtin_trap();
   if (!whole) return 0;
   if (whole->skeleton() != pieces->skeleton() || whole->text().has_value() != pieces->text().has_value())
      __builtin_trap();
   if (whole->skeleton().size() > Splitter::kMaxSkeletonBytes) __builtin_trap();
   std::string rebuilt = whole->skeleton();
   if (const auto &text = whole->text()) {
      if (text->offset != pieces->text()->offset || text->length != pieces->text()->length) __builtin_trap();
      if (text->offset + text->length > answer.size()) __builtin_trap();
      rebuilt.insert(
          static_cast<std::size_t>(text->offset),
          answer.substr(static_cast<std::size_t>(text->offset), static_cast<std::size_t>(text->length)));
   }
   if (rebuilt != answer) __builtin_trap();
   email::ews::Response response;
   email::ews::parse_response(whole->skeleton(), response);
   return 0;
}
