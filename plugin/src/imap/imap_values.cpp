#include "imap/imap_values.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "util/text.h"

namespace email::imap {

namespace {

constexpr int kMaxDepth = 40;
constexpr std::size_t kMaxValues = 100000;

class Parser {
 public:
   explicit Parser(std::string_view text) : text_(text) {}

   std::vector<Value> all() {
      std::vector<Value> values;
      skip_spaces();
      while (at_ < text_.size()) {
         values.push_back(value(0));
         skip_spaces();
      }
      return values;
   }

 private:
   void skip_spaces() {
      while (at_ < text_.size() && text_[at_] == ' ') ++at_;
   }
   void count() {
      if (++values_ > kMaxValues) throw std::invalid_argument("too many values");
   }

   Value value(int depth) {
      count();
      skip_spaces();
      if (at_ >= text_.size()) throw std::invalid_argument("expected a value");
      const char c = text_[at_];
      if (c == '(') return list(depth);
      if (c == ')') throw std::invalid_argument("unexpected ')'");
      if (c == '"') return quoted();
      if (c == '{' || (c == '~' && at_ + 1 < text_.size() && text_[at_ + 1] == '{')) return literal();
      return atom();
   }

   Value list(int depth) {
      if (depth >= kMaxDepth) throw std::invalid_argument("lists nested too deep");
      ++at_;  // '('
      Value result;
      result.kind = Value::Kind::list;
      result.items.reserve(8);  // FETCH data and body structures hold about this many
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

   Value quoted() {
      ++at_;
      Value result;
      result.kind = Value::Kind::string;
      while (at_ < text_.size() && text_[at_] != '"') {
         const std::size_t run_end = text_.find_first_of("\"\\", at_);  // copied a run at a time
         const std::size_t stop = run_end == std::string_view::npos ? text_.size() : run_end;
         result.text.append(text_.substr(at_, stop - at_));
         at_ = stop;
         if (at_ < text_.size() && text_[at_] == '\\') {
            if (at_ + 1 < text_.size()) ++at_;
            result.text += text_[at_++];
         }
      }
      if (at_ >= text_.size()) throw std::invalid_argument("unterminated quoted string");
      ++at_;
      return result;
   }

   Value literal() {
      if (text_[at_] == '~') ++at_;  // literal8 (RFC 3516)
      const std::size_t close = text_.find('}', at_);
      if (close == std::string_view::npos) throw std::invalid_argument("bad literal");
      std::string_view digits = text_.substr(at_ + 1, close - at_ - 1);
      if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
      if (digits.empty() || digits.size() > 12 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos)
         throw std::invalid_argument("bad literal size");
      const std::size_t size = std::stoull(std::string(digits));
      std::size_t start = close + 1;
      if (text_.substr(start, 2) != "\r\n") throw std::invalid_argument("bad literal");
      start += 2;
      if (size > text_.size() - start) throw std::invalid_argument("short literal");
      Value result;
      result.kind = Value::Kind::string;
      result.text.assign(text_.substr(start, size));
      at_ = start + size;
      return result;
   }

   Value atom() {
      std::size_t end = at_;
      while (end < text_.size() && text_[end] != ' ' && text_[end] != '(' && text_[end] != ')') {
         if (text_[end] == '[') {  // a section: runs to its ']' whatever it holds
            const std::size_t close = text_.find(']', end);
            if (close == std::string_view::npos) throw std::invalid_argument("unterminated section");
            end = close;
         }
         ++end;
      }
      Value result;
      result.text.assign(text_.substr(at_, end - at_));
      at_ = end;
      if (result.text.empty()) throw std::invalid_argument("expected a value");
      result.kind = iequals(result.text, "NIL") ? Value::Kind::nil : Value::Kind::atom;
      if (result.is_nil()) result.text.clear();
      return result;
   }

   std::string_view text_;
   std::size_t at_ = 0;
   std::size_t values_ = 0;
};

}  // namespace

const std::string &Value::str() const {
   static const std::string empty;
   return is_text() ? text : empty;
}

const Value &Value::at(std::size_t i) const {
   static const Value nil;
   return is_list() && i < items.size() ? items[i] : nil;
}

std::uint64_t Value::number(std::uint64_t fallback) const {
   if (kind != Kind::atom || text.empty() || text.size() > 19 ||
       text.find_first_not_of("0123456789") != std::string::npos)
      return fallback;
   return std::stoull(text);
}

std::vector<Value> parse_values(std::string_view data) { return Parser(data).all(); }

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
