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

// The data of an untagged ID response (RFC 2971: NIL, or a list of field/value string pairs) as
// a JSON object {"name": "Dovecot", "version": null, ...}: at most 30 fields, names cut to 30
// bytes and values to 1024, NIL values as null. "" when the data cannot be read.
std::string id_fields_json(std::string_view data);

}  // namespace email::imap
