#include "imap/imap_response.h"

#include <stdexcept>

#include "imap/imap_values.h"
#include "util/text.h"

namespace email::imap {

bool Response::is_status() const {
   return keyword == "OK" || keyword == "NO" || keyword == "BAD" || keyword == "BYE" || keyword == "PREAUTH";
}

bool Response::has_code(std::string_view name) const {
   return iequals(std::string_view(code).substr(0, code.find(' ')), name);
}

std::string Response::said(std::size_t max_size) const {
   return printable(code.empty() ? text : "[" + code + "] " + text, max_size);
}

namespace {

std::string_view take_word(std::string_view &text) {
   std::size_t space = text.find(' ');
   std::string_view word = text.substr(0, space);
   text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
   return word;
}

void append_utf8(std::string &out, unsigned code_point) {
   if (code_point < 0x80) {
      out += static_cast<char>(code_point);
   } else if (code_point < 0x800) {
      out += static_cast<char>(0xC0 | (code_point >> 6));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
   } else if (code_point < 0x10000) {
      out += static_cast<char>(0xE0 | (code_point >> 12));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
   } else {
      out += static_cast<char>(0xF0 | (code_point >> 18));
      out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
   }
}

int modified_base64_value(char c) {
   if (c >= 'A' && c <= 'Z') return c - 'A';
   if (c >= 'a' && c <= 'z') return c - 'a' + 26;
   if (c >= '0' && c <= '9') return c - '0' + 52;
   if (c == '+') return 62;
   if (c == ',') return 63;
   return -1;
}

}  // namespace

Response parse_response(std::string_view raw) {
   Response response;
   std::string_view rest = raw;
   if (rest.substr(0, 1) == "+") {
      response.kind = Response::Kind::continuation;
      response.text = std::string(rest.size() > 1 ? rest.substr(rest[1] == ' ' ? 2 : 1) : "");
      return response;
   }
   std::string_view tag = take_word(rest);
   if (tag == "*") {
      response.kind = Response::Kind::untagged;
   } else {
      response.kind = Response::Kind::tagged;
      response.tag = std::string(tag);
   }
   response.keyword = to_upper_ascii(take_word(rest));
   if (response.is_status()) {
      if (rest.substr(0, 1) == "[") {
         std::size_t close = rest.find(']');
         if (close != std::string_view::npos) {
            response.code = std::string(rest.substr(1, close - 1));
            rest = rest.substr(close + 1);
            if (rest.substr(0, 1) == " ") rest = rest.substr(1);
         }
      }
   } else if (!response.keyword.empty() &&
              response.keyword.find_first_not_of("0123456789") == std::string::npos) {
      // "* 5 EXISTS", "* 12 FETCH (...)": the number comes first; the name is the keyword.
      response.number = response.keyword;
      response.keyword = to_upper_ascii(take_word(rest));
      response.text = std::string(rest);
      return response;
   }
   response.text = std::string(rest);
   return response;
}

long long trailing_literal_size(std::string_view line) {
   if (line.empty() || line.back() != '}') return -1;
   std::size_t open = line.rfind('{');
   if (open == std::string_view::npos) return -1;
   std::string_view digits = line.substr(open + 1, line.size() - open - 2);
   if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
   if (digits.empty() || digits.size() > 12 ||
       digits.find_first_not_of("0123456789") != std::string_view::npos)
      return -1;
   return std::stoll(std::string(digits));
}

std::vector<std::string> split_atoms(std::string_view text) {
   std::vector<std::string> atoms;
   while (!text.empty()) {
      std::string_view word = take_word(text);
      if (!word.empty()) atoms.emplace_back(word);
   }
   return atoms;
}

std::vector<std::string> capabilities_from_code(std::string_view code) {
   std::string_view rest = code;
   if (!iequals(take_word(rest), "CAPABILITY")) return {};
   return split_atoms(rest);
}

ListEntry parse_list_data(std::string_view data) {
   // "(attributes) delimiter name", then extended data (RFC 5258) that is not read here.
   const std::vector<Value> values = parse_values(data);
   if (values.size() < 3 || !values[0].is_list())
      throw std::invalid_argument("not LIST data: (attributes) delimiter name");
   ListEntry entry;
   for (const Value &attribute : values[0].items) {
      if (!attribute.is_text()) throw std::invalid_argument("an attribute that is not an atom");
      entry.attributes.push_back(attribute.text);
   }
   if (values[1].is_list()) throw std::invalid_argument("a delimiter that is a list");
   entry.delimiter = values[1].str();
   if (!values[2].is_text()) throw std::invalid_argument("missing mailbox name");
   const std::string &name = values[2].text;
   entry.name = iequals(name, "INBOX") ? "INBOX" : decode_modified_utf7(name);
   entry.wire_name = name;
   return entry;
}

std::string decode_modified_utf7(std::string_view text) {
   std::string out;
   for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c != '&') {
         out += c;
         continue;
      }
      std::size_t end = text.find('-', i + 1);
      if (end == std::string_view::npos) return std::string(text);
      if (end == i + 1) {
         out += '&';
         i = end;
         continue;
      }
      unsigned bits = 0, buffer = 0;
      unsigned high_surrogate = 0;
      for (std::size_t j = i + 1; j < end; ++j) {
         int value = modified_base64_value(text[j]);
         if (value < 0) return std::string(text);
         buffer = (buffer << 6) | static_cast<unsigned>(value);
         bits += 6;
         if (bits >= 16) {
            bits -= 16;
            unsigned unit = (buffer >> bits) & 0xFFFF;
            if (unit >= 0xD800 && unit <= 0xDBFF) {
               high_surrogate = unit;
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
               if (!high_surrogate) return std::string(text);
               append_utf8(out, 0x10000 + ((high_surrogate - 0xD800) << 10) + (unit - 0xDC00));
               high_surrogate = 0;
            } else {
               append_utf8(out, unit);
            }
         }
      }
      i = end;
   }
   return out;
}

StringForm string_form(std::string_view value) {
   for (char c : value) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u == 0 || u == '\r' || u == '\n' || u >= 0x80) return StringForm::literal;
   }
   return StringForm::quoted;
}

void append_quoted(SecretString &out, std::string_view value) {
   out.reserve(out.size() + 2 * value.size() + 2);
   out.append('"');
   for (char c : value) {
      if (c == '"' || c == '\\') out.append('\\');
      out.append(c);
   }
   out.append('"');
}

}  // namespace email::imap
