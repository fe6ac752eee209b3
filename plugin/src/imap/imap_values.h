// IMAP data values (RFC 9051 section 4): atoms, numbers, quoted strings, literals, NIL and
// parenthesised lists, parsed into a tree so FETCH data and BODYSTRUCTURE can be read by
// position. Free of I/O; bounded in depth and size (a fuzz target feeds it hostile bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace email::imap {

struct Value {
   enum class Kind { nil, atom, string, list };
   Kind kind = Kind::nil;
   std::string text;  // atom or string (a literal's bytes)
   std::vector<Value> items;

   bool is_nil() const { return kind == Kind::nil; }
   bool is_list() const { return kind == Kind::list; }
   bool is_text() const { return kind == Kind::atom || kind == Kind::string; }
   // The text of an atom or string, "" for NIL and lists.
   const std::string &str() const;
   // items[i], or a NIL value when out of range or not a list.
   const Value &at(std::size_t i) const;
   // An unsigned number (atom of digits); `fallback` when it is not one.
   std::uint64_t number(std::uint64_t fallback = 0) const;
};

// Parses the values in `data` (a response's data after "FETCH", for one). An atom may carry a
// section in brackets with spaces inside ("BODY[HEADER.FIELDS (DATE FROM)]"). Lists nest at
// most 40 deep and hold at most 100,000 values in all. Throws std::invalid_argument.
std::vector<Value> parse_values(std::string_view data);

// The same values read one at a time, for a reader that wants a few items of a long list and
// builds only those: FETCH data, where a summary needs five of the items and the header's bytes
// once. The same syntax and limits as parse_values; every call throws std::invalid_argument on
// what parse_values would refuse. `data` must outlive the views it returns.
class ValueReader {
 public:
   explicit ValueReader(std::string_view data);
   // Takes the '(' that opens a list when it comes next; false (nothing taken) otherwise.
   bool open_list();
   // Takes the ')' that closes the list being read when it comes next; false otherwise. Throws
   // at the end of the data (the list is not closed).
   bool close_list();
   // The next value's text when it is an atom (a view into the data); "" after skipping any other
   // value.
   std::string_view name();
   // The next value, built.
   Value value();
   // The next value's text, appended to `out` when it is an atom, a string or a literal (true, as
   // Value::is_text); false, and nothing appended, for NIL or a list, which is skipped.
   bool text(std::string &out);
   // The next value, read and dropped without building it.
   void skip();
   // True when nothing but spaces is left.
   bool at_end();
   // True when the next value is a list (taken by open_list) or NIL; nothing is taken.
   bool list_next();
   bool nil_next();

   // Where the reader is, to come back to: a reader may look ahead and then read the same values
   // again another way.
   struct Mark {
      std::size_t at, values;
      int depth;
   };
   Mark mark() const { return {at_, values_, depth_}; }
   void rewind(const Mark &mark) {
      at_ = mark.at;
      values_ = mark.values;
      depth_ = mark.depth;
   }

 private:
   Value value(int depth);
   void skip(int depth);
   void skip_spaces();
   void count();
   char next();                // the next byte after spaces; throws at the end
   bool literal_next() const;  // "{" or "~{" at `at_`
   std::string_view atom_text();
   std::string_view quoted_body();    // between the quotes, escapes kept; `at_` after the closing one
   std::string_view literal_bytes();  // `at_` after them

   std::string_view text_;
   std::size_t at_ = 0;
   std::size_t values_ = 0;
   int depth_ = 0;     // lists opened by open_list and not yet closed
   std::string name_;  // name()'s text when it was a string with escapes undone
};

// An atom of digits as an unsigned number; `fallback` when it is not one (or has over 19 digits).
std::uint64_t number_of(std::string_view atom, std::uint64_t fallback = 0);

// The data of an untagged ID response (RFC 2971: NIL, or a list of field/value string pairs) as
// a JSON object {"name": "Dovecot", "version": null, ...}: at most 30 fields, names cut to 30
// bytes and values to 1024, NIL values as null. "" when the data cannot be read.
std::string id_fields_json(std::string_view data);

}  // namespace email::imap
