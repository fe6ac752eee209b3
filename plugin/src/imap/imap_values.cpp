#include "imap/imap_values.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "util/text.h"

namespace email::imap {

namespace {

constexpr int kMaxDepth = 40;
constexpr std::size_t kMaxValues = 100000;

// The body of a quoted string (between its quotes) with its escapes undone, appended to `out`.
void append_unescaped(std::string &out, std::string_view body) {
   if (body.find('\\') == std::string_view::npos) {
      out.append(body);
      return;
   }
   for (std::size_t i = 0; i < body.size(); ++i)
      out += body[i] == '\\' && i + 1 < body.size() ? body[++i] : body[i];
}

}  // namespace

ValueReader::ValueReader(std::string_view data) : text_(data) {}

void ValueReader::skip_spaces() {
   while (at_ < text_.size() && text_[at_] == ' ') ++at_;
}

void ValueReader::count() {
   if (++values_ > kMaxValues) throw std::invalid_argument("too many values");
}

bool ValueReader::literal_next() const {
   return text_[at_] == '{' || (text_[at_] == '~' && at_ + 1 < text_.size() && text_[at_ + 1] == '{');
}

std::string_view ValueReader::quoted_body() {
   ++at_;  // '"'
   const std::size_t start = at_;
   while (at_ < text_.size() && text_[at_] != '"')
      at_ += text_[at_] == '\\' && at_ + 1 < text_.size() ? 2 : 1;
   if (at_ >= text_.size()) throw std::invalid_argument("unterminated quoted string");
   return text_.substr(start, at_++ - start);
}

char ValueReader::next() {
   skip_spaces();
   if (at_ >= text_.size()) throw std::invalid_argument("expected a value");
   return text_[at_];
}

bool ValueReader::at_end() {
   skip_spaces();
   return at_ >= text_.size();
}

bool ValueReader::list_next() { return next() == '('; }

bool ValueReader::nil_next() {
   const char c = next();
   if (c != 'N' && c != 'n') return false;
   const ValueReader::Mark before = mark();
   const bool nil = iequals(atom_text(), "NIL");
   rewind(before);
   return nil;
}

bool ValueReader::open_list() {
   if (next() != '(') return false;
   if (depth_ >= kMaxDepth) throw std::invalid_argument("lists nested too deep");
   count();
   ++at_;
   ++depth_;
   return true;
}

bool ValueReader::close_list() {
   skip_spaces();
   if (at_ >= text_.size()) throw std::invalid_argument("unterminated list");
   if (text_[at_] != ')' || depth_ == 0) return false;
   ++at_;
   --depth_;
   return true;
}

std::string_view ValueReader::name() {
   const char c = next();
   if (c == '"' || literal_next()) {  // not a name by the grammar, but read as parse_values would
      name_.clear();
      text(name_);
      return name_;
   }
   if (c == '(' || c == ')') {
      skip();
      return {};
   }
   count();
   const std::string_view atom = atom_text();
   return iequals(atom, "NIL") ? std::string_view() : atom;
}

Value ValueReader::value() { return value(depth_); }

void ValueReader::skip() { skip(depth_); }

bool ValueReader::text(std::string &out) {
   const char c = next();
   if (c == '"') {
      count();
      append_unescaped(out, quoted_body());
      return true;
   }
   if (literal_next()) {
      count();
      out.append(literal_bytes());
      return true;
   }
   if (c == '(' || c == ')') {
      skip();
      return false;
   }
   count();
   const std::string_view atom = atom_text();
   if (iequals(atom, "NIL")) return false;
   out.append(atom);
   return true;
}

void ValueReader::skip(int depth) {
   const char c = next();
   if (c == '(') {
      if (depth >= kMaxDepth) throw std::invalid_argument("lists nested too deep");
      count();
      ++at_;
      for (;;) {
         skip_spaces();
         if (at_ >= text_.size()) throw std::invalid_argument("unterminated list");
         if (text_[at_] == ')') {
            ++at_;
            return;
         }
         skip(depth + 1);
      }
   }
   if (c == ')') throw std::invalid_argument("unexpected ')'");
   count();
   if (c == '"') {
      (void)quoted_body();
   } else if (literal_next()) {
      (void)literal_bytes();
   } else {
      (void)atom_text();
   }
}

Value ValueReader::value(int depth) {
   count();
   const char c = next();
   Value result;
   if (c == '(') {
      if (depth >= kMaxDepth) throw std::invalid_argument("lists nested too deep");
      ++at_;
      result.kind = Value::Kind::list;
      result.items.reserve(12);  // a body structure's fields with its extension data
      for (;;) {
         skip_spaces();
         if (at_ >= text_.size()) throw std::invalid_argument("unterminated list");
         if (text_[at_] == ')') {
            ++at_;
            return result;
         }
         result.items.push_back(value(depth + 1));
      }
   }
   if (c == ')') throw std::invalid_argument("unexpected ')'");
   if (c == '"') {
      result.kind = Value::Kind::string;
      append_unescaped(result.text, quoted_body());
      return result;
   }
   if (literal_next()) {
      result.kind = Value::Kind::string;
      result.text.assign(literal_bytes());
      return result;
   }
   const std::string_view atom = atom_text();
   if (iequals(atom, "NIL")) return result;
   result.kind = Value::Kind::atom;
   result.text.assign(atom);
   return result;
}

std::string_view ValueReader::literal_bytes() {
   if (text_[at_] == '~') ++at_;  // literal8 (RFC 3516)
   if (at_ >= text_.size() || text_[at_] != '{') throw std::invalid_argument("bad literal");
   const std::size_t close = text_.find('}', at_);
   if (close == std::string_view::npos) throw std::invalid_argument("bad literal");
   std::string_view digits = text_.substr(at_ + 1, close - at_ - 1);
   if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
   if (digits.empty() || digits.size() > 12 ||
       digits.find_first_not_of("0123456789") != std::string_view::npos)
      throw std::invalid_argument("bad literal size");
   const std::size_t size = static_cast<std::size_t>(number_of(digits));
   std::size_t start = close + 1;
   if (text_.substr(start, 2) != "\r\n") throw std::invalid_argument("bad literal");
   start += 2;
   if (size > text_.size() - start) throw std::invalid_argument("short literal");
   at_ = start + size;
   return text_.substr(start, size);
}

std::string_view ValueReader::atom_text() {
   std::size_t end = at_;
   while (end < text_.size() && text_[end] != ' ' && text_[end] != '(' && text_[end] != ')') {
      if (text_[end] == '[') {  // a section: runs to its ']' whatever it holds
         const std::size_t close = text_.find(']', end);
         if (close == std::string_view::npos) throw std::invalid_argument("unterminated section");
         end = close;
      }
      ++end;
   }
   const std::string_view atom = text_.substr(at_, end - at_);
   at_ = end;
   if (atom.empty()) throw std::invalid_argument("expected a value");
   return atom;
}

std::uint64_t number_of(std::string_view atom, std::uint64_t fallback) {
   if (atom.empty() || atom.size() > 19 || atom.find_first_not_of("0123456789") != std::string_view::npos)
      return fallback;
   std::uint64_t value = 0;
   for (char digit : atom) value = value * 10 + static_cast<std::uint64_t>(digit - '0');
   return value;
}

const std::string &Value::str() const {
   static const std::string empty;
   return is_text() ? text : empty;
}

const Value &Value::at(std::size_t i) const {
   static const Value nil;
   return is_list() && i < items.size() ? items[i] : nil;
}

std::uint64_t Value::number(std::uint64_t fallback) const {
   return kind == Kind::atom ? number_of(text, fallback) : fallback;
}

std::vector<Value> parse_values(std::string_view data) {
   ValueReader reader(data);
   std::vector<Value> values;
   while (!reader.at_end()) values.push_back(reader.value());
   return values;
}

namespace {

// ID strings are ASCII in practice; anything else becomes '?' so the JSON stays valid UTF-8.
std::string ascii(std::string_view text, std::size_t max) {
   std::string out = printable(text, max);
   for (char &c : out)
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
   return out;
}

}  // namespace

std::string id_fields_json(std::string_view data) {
   std::vector<Value> values;
   try {
      values = parse_values(data);
   } catch (const std::invalid_argument &) {
      return "";
   }
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   if (values.size() == 1 && values[0].is_list()) {
      const std::vector<Value> &items = values[0].items;
      for (std::size_t i = 0; i + 1 < items.size() && i < 60; i += 2) {
         if (!items[i].is_text()) continue;
         const std::string name = ascii(items[i].str(), 30);
         json.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
         if (items[i + 1].is_text()) {
            const std::string value = ascii(items[i + 1].str(), 1024);
            json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
         } else {
            json.Null();
         }
      }
   } else if (values.size() != 1 || !values[0].is_nil()) {
      return "";
   }
   json.EndObject();
   return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace email::imap
