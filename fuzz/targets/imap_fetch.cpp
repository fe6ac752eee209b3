// FETCH data and what is read from it: IMAP values, BODYSTRUCTURE to attachments (through
// GMime's parameter decoding), the summary header through GMime, SEARCH and COPYUID/APPENDUID
// data. Whatever the server sends is read or refused with std::invalid_argument. parse_fetch
// reads item by item (ValueReader); it must agree with the same items read from parse_values'
// whole tree, refusal for refusal.
#include <optional>
#include <stdexcept>

#include "fuzz_host.h"
#include "imap/imap_fetch.h"
#include "mime/header_summary.h"
#include "util/text.h"

namespace {

using email::imap::FetchedItems;
using email::imap::Value;

// The FETCH items from the whole value tree: the pairs of the one list, the last of a name kept.
std::optional<FetchedItems> from_tree(const std::string &input) {
   std::vector<Value> values;
   try {
      values = email::imap::parse_values(input);
   } catch (const std::invalid_argument &) {
      return std::nullopt;
   }
   if (values.size() != 1 || !values[0].is_list()) return std::nullopt;
   FetchedItems fetched;
   const std::vector<Value> &items = values[0].items;
   for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
      const std::string &name = items[i].str();
      const Value &value = items[i + 1];
      if (email::iequals(name, "UID")) fetched.uid = value.number();
      if (email::iequals(name, "FLAGS")) {
         for (const Value &flag : value.items)
            if (flag.is_text()) fetched.flags.push_back(flag.text);
      }
      if (email::iequals(name, "RFC822.SIZE")) fetched.size = value.number();
      if (email::iequals(name, "BODYSTRUCTURE")) fetched.attachments = email::imap::attachments_of(value);
      if (email::iequals(std::string_view(name).substr(0, 11), "BODY[HEADER") ||
          email::iequals(name, "RFC822.HEADER"))
         fetched.header = value.str();
   }
   return fetched;
}

bool same_attachments(const std::optional<std::vector<email::AttachmentInfo>> &a,
                      const std::optional<std::vector<email::AttachmentInfo>> &b) {
   if (a.has_value() != b.has_value()) return false;
   if (!a) return true;
   if (a->size() != b->size()) return false;
   for (std::size_t i = 0; i < a->size(); ++i)
      if ((*a)[i].name != (*b)[i].name || (*a)[i].content_type != (*b)[i].content_type ||
          (*a)[i].size != (*b)[i].size || (*a)[i].index != (*b)[i].index)
         return false;
   return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   std::optional<FetchedItems> read;
   try {
      read = email::imap::parse_fetch(input);
      if (read->header) (void)email::mime::summarize_headers(*read->header);
   } catch (const std::invalid_argument &) {}
   const std::optional<FetchedItems> tree = from_tree(input);
   if (read.has_value() != tree.has_value()) __builtin_trap();
   if (read && (read->uid != tree->uid || read->flags != tree->flags || read->size != tree->size ||
                read->header != tree->header || !same_attachments(read->attachments, tree->attachments)))
      __builtin_trap();
   try {
      for (const auto &value : email::imap::parse_values(input)) (void)email::imap::attachments_of(value);
   } catch (const std::invalid_argument &) {}
   (void)email::imap::parse_search(input);
   (void)email::imap::parse_uidplus_code(input);
   return 0;
}
