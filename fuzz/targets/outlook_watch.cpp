// A wait for new mail on an Outlook session (outlook/outlook_cursor.h): the input's first line is
// the bot's cursor; each further line an item as a look meets it, "<seconds> <EntryID>", oldest
// first. The cursor is read, each item is judged new or not and passed, and the cursor's text must
// read back as the same cursor.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "outlook/outlook_cursor.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input(reinterpret_cast<const char *>(data), size);
   std::size_t end = std::min(input.find('\n'), input.size());
   email::OutlookCursor cursor;
   try {
      cursor = email::OutlookCursor::parse(input.substr(0, end));
   } catch (const email::Failure &) {}
   while (end < input.size()) {
      const std::size_t start = end + 1;
      end = std::min(input.find('\n', start), input.size());
      const std::string line = input.substr(start, end - start);
      const std::size_t space = line.find(' ');
      if (space == std::string::npos || space > 12) continue;
      const std::int64_t seconds = std::strtoll(line.substr(0, space).c_str(), nullptr, 10);
      const std::string entry_id = line.substr(space + 1);
      if (cursor.is_new(seconds, entry_id)) cursor.pass(seconds, entry_id);
      if (cursor.is_new(seconds, entry_id) && seconds >= cursor.received())
         std::abort();  // passed means seen
   }
   const std::string text = cursor.text();
   constexpr std::int64_t kLatest = 253402300799;  // the latest second a cursor names (9999-12-31)
   if (cursor.received() <= kLatest && email::OutlookCursor::parse(text).text() != text) std::abort();
   return 0;
}
