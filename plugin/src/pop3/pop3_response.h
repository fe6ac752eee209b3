// POP3 reply parsing (RFC 1939, RFC 2449 CAPA, RFC 3206 response codes, RFC 5034 SASL), free of
// I/O so it is unit-tested alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace email::pop3 {

struct Reply {
   enum class Kind { ok, err, continuation } kind = Kind::err;
   std::string code;  // RFC 2449 extended response code without brackets, e.g. "AUTH", "SYS/TEMP"
   std::string text;  // the rest of the line
};

// Throws std::invalid_argument when the line is not +OK, -ERR or "+ ".
Reply parse_reply(std::string_view line);

// One line of a multi-line reply: "." ends it (returns false); a leading dot is unstuffed.
bool unstuff_multiline(std::string &line);

struct Capabilities {
   std::vector<std::string> names;            // upper-case capability names: "USER", "STLS", ...
   std::vector<std::string> sasl_mechanisms;  // from "SASL PLAIN LOGIN"
   std::vector<std::string> lines;            // as the server sent them
   bool has(std::string_view name) const;
   bool offers_sasl(std::string_view mechanism) const;
};
// Builds capabilities from the lines of a CAPA reply (after unstuffing, without the final ".").
Capabilities parse_capabilities(const std::vector<std::string> &lines);

}  // namespace email::pop3
