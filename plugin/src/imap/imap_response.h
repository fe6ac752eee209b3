// IMAP4 response parsing (RFC 9051 / RFC 3501 syntax), free of any I/O so it is unit-tested alone.
//
// A response arrives as one "raw" string: its first line plus, for every literal, "{N}\r\n", the
// N bytes and the rest of the line, exactly as on the wire minus the final CRLF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/secret.h"

namespace email::imap {

struct Response {
   enum class Kind { untagged, tagged, continuation };
   Kind kind = Kind::untagged;
   std::string tag;         // tagged responses only
   std::string keyword;     // upper-case: OK NO BAD BYE PREAUTH, or the data name (CAPABILITY, LIST)
   std::string code;        // the response code inside [...] without brackets, e.g. "CAPABILITY ..."
   std::string text;        // the human-readable rest of a status response; the data of a data response
   std::string number;      // "* 12 FETCH (...)": "12" (message data), else
   bool is_status() const;  // OK, NO, BAD, BYE or PREAUTH
   // The response code's name is `name` ("COPYUID 38505 3:4" has the name COPYUID), any case.
   bool has_code(std::string_view name) const;
   // What the server said, for a message: "[code] text", printable, at most `max_size` bytes.
   std::string said(std::size_t max_size = 300) const;
};

Response parse_response(std::string_view raw);

// The number N when `line` ends with a literal announcement "{N}" or "{N+}", else -1.
long long trailing_literal_size(std::string_view line);

// Capability names from "IMAP4rev1 SASL-IR AUTH=PLAIN" (a CAPABILITY response's data or a
// "CAPABILITY ..." response code). Empty when `code` is not a CAPABILITY code.
std::vector<std::string> capabilities_from_code(std::string_view code);
std::vector<std::string> split_atoms(std::string_view text);

struct ListEntry {
   std::vector<std::string> attributes;  // e.g. "\\HasNoChildren"
   std::string delimiter;                // "" when the server says NIL
   std::string name;                     // decoded to UTF-8
   std::string wire_name;                // as the server sent it (modified UTF-7), for commands
};
// Parses the data of a LIST response: `(\HasNoChildren) "/" INBOX`, with the one value lexer
// (imap_values.h: atoms, quoted strings, literals, NIL, lists). Throws std::invalid_argument.
ListEntry parse_list_data(std::string_view data);

// Modified UTF-7 (RFC 3501 section 5.1.3) to UTF-8; returns the input unchanged when malformed.
std::string decode_modified_utf7(std::string_view text);

// How a string argument must travel in a command.
enum class StringForm { quoted, literal };
// Quoted unless it holds CR, LF, NUL or 8-bit bytes (then a literal).
StringForm string_form(std::string_view value);
// Appends "value" with backslash and double quote escaped.
void append_quoted(SecretString &out, std::string_view value);

}  // namespace email::imap
