#include "standin_dasl.h"

#include <windows.h>

#include <cwctype>
#include <optional>

#include "dispatch_object.h"

namespace standin {

namespace {

[[noreturn]] void cannot_parse(const std::wstring &filter) {
   throw Raised{static_cast<HRESULT>(0x80020009), L"Cannot parse condition. Error at \"" + filter + L"\"."};
}

std::wstring lower(std::wstring text) {
   for (wchar_t &c : text) c = static_cast<wchar_t>(std::towlower(c));
   return text;
}

// SQL LIKE: % any run, _ one character; case-insensitive.
bool like(const std::wstring &text, const std::wstring &pattern, std::size_t t = 0, std::size_t p = 0) {
   while (p < pattern.size()) {
      if (pattern[p] == L'%') {
         for (std::size_t skip = t; skip <= text.size(); ++skip)
            if (like(text, pattern, skip, p + 1)) return true;
         return false;
      }
      if (t >= text.size()) return false;
      if (pattern[p] != L'_' && std::towlower(pattern[p]) != std::towlower(text[t])) return false;
      ++t;
      ++p;
   }
   return t == text.size();
}

double utc_date(double local) {
   SYSTEMTIME as_local{}, utc{};
   double date = 0;
   VariantTimeToSystemTime(local, &as_local);
   TzSpecificLocalTimeToSystemTime(nullptr, &as_local, &utc);
   SystemTimeToVariantTime(&utc, &date);
   return date;
}

struct Value {
   enum { none, number, text, date } kind = none;
   double number_value = 0;
   std::wstring text_value;
};

std::wstring display_to(const MessageNode &message) {
   std::wstring names;
   for (const RecipientNode &recipient : message.recipients)
      if (recipient.type == 1)
         names +=
             (names.empty() ? L"" : L"; ") + (recipient.name.empty() ? recipient.address : recipient.name);
   return names;
}

Value property_of(const std::wstring &name, const MessageNode &m, const std::wstring &filter) {
   const std::wstring key = lower(name);
   Value value;
   const auto number = [&](double n) { value.kind = Value::number, value.number_value = n; };
   const auto text = [&](const std::wstring &t) { value.kind = Value::text, value.text_value = t; };
   if (key == L"urn:schemas:httpmail:read")
      number(m.unread ? 0 : 1);
   else if (key == L"urn:schemas:httpmail:hasattachment")
      number(m.attachments.empty() ? 0 : 1);
   else if (key == L"http://schemas.microsoft.com/mapi/proptag/0x10900003") {
      if (m.flagged) number(2);
   } else if (key == L"urn:schemas:httpmail:datereceived") {
      value.kind = Value::date;
      value.number_value = utc_date(m.received);
   } else if (key == L"urn:schemas:httpmail:subject")
      text(m.subject);
   else if (key == L"urn:schemas:httpmail:fromname")
      text(m.sender_name);
   else if (key == L"urn:schemas:httpmail:fromemail")
      text(m.sender_address);
   else if (key == L"urn:schemas:httpmail:displayto")
      text(display_to(m));
   else
      cannot_parse(filter);
   return value;
}

class Parser {
 public:
   Parser(const std::wstring &filter, const MessageNode &message) : filter_(filter), message_(message) {}

   bool parse() {
      const bool result = expression();
      skip_space();
      if (at_ < filter_.size()) cannot_parse(filter_);
      return result;
   }

 private:
   bool expression() {
      bool result = conjunction();
      while (keyword(L"OR")) result = conjunction() || result;
      return result;
   }
   bool conjunction() {
      bool result = unary();
      while (keyword(L"AND")) result = unary() && result;
      return result;
   }
   bool unary() {
      if (keyword(L"NOT")) return !unary();
      skip_space();
      if (at_ < filter_.size() && filter_[at_] == L'(') {
         ++at_;
         const bool result = expression();
         expect(L')');
         return result;
      }
      return comparison();
   }
   bool comparison() {
      expect(L'"');
      const std::size_t end = filter_.find(L'"', at_);
      if (end == std::wstring::npos) cannot_parse(filter_);
      const Value property = property_of(filter_.substr(at_, end - at_), message_, filter_);
      at_ = end + 1;
      skip_space();
      std::wstring op;
      if (keyword(L"LIKE"))
         op = L"LIKE";
      else
         while (at_ < filter_.size() && std::wcschr(L"<>=", filter_[at_])) op.push_back(filter_[at_++]);
      if (op.empty()) cannot_parse(filter_);
      skip_space();
      // The value: 'text' ('' for ') or a number.
      std::wstring literal;
      bool quoted = false;
      if (at_ < filter_.size() && filter_[at_] == L'\'') {
         quoted = true;
         for (++at_;; ++at_) {
            if (at_ >= filter_.size()) cannot_parse(filter_);
            if (filter_[at_] == L'\'') {
               if (at_ + 1 < filter_.size() && filter_[at_ + 1] == L'\'') {
                  literal.push_back(L'\'');
                  ++at_;
                  continue;
               }
               ++at_;
               break;
            }
            literal.push_back(filter_[at_]);
         }
      } else {
         while (at_ < filter_.size() && (std::iswdigit(filter_[at_]) || filter_[at_] == L'-'))
            literal.push_back(filter_[at_++]);
         if (literal.empty()) cannot_parse(filter_);
      }
      if (property.kind == Value::none) return false;
      if (op == L"LIKE") {
         if (property.kind != Value::text) cannot_parse(filter_);
         return like(property.text_value, literal);
      }
      int order = 0;
      if (property.kind == Value::text) {
         const std::wstring a = lower(property.text_value), b = lower(literal);
         order = a < b ? -1 : (a == b ? 0 : 1);
      } else {
         double other = 0;
         if (property.kind == Value::date) {
            if (!quoted || FAILED(VarDateFromStr(const_cast<OLECHAR *>(literal.c_str()), LOCALE_USER_DEFAULT,
                                                 0, &other)))
               cannot_parse(filter_);
         } else {
            other = std::wcstod(literal.c_str(), nullptr);
         }
         order = property.number_value < other ? -1 : (property.number_value == other ? 0 : 1);
      }
      if (op == L"=") return order == 0;
      if (op == L"<>") return order != 0;
      if (op == L"<") return order < 0;
      if (op == L"<=") return order <= 0;
      if (op == L">") return order > 0;
      if (op == L">=") return order >= 0;
      cannot_parse(filter_);
   }

   void skip_space() {
      while (at_ < filter_.size() && std::iswspace(filter_[at_])) ++at_;
   }
   bool keyword(const wchar_t *word) {
      skip_space();
      const std::size_t length = std::wcslen(word);
      if (filter_.size() - at_ < length || _wcsnicmp(filter_.c_str() + at_, word, length) != 0) return false;
      const std::size_t after = at_ + length;
      if (after < filter_.size() && !std::iswspace(filter_[after]) && filter_[after] != L'(') return false;
      at_ = after;
      return true;
   }
   void expect(wchar_t c) {
      skip_space();
      if (at_ >= filter_.size() || filter_[at_] != c) cannot_parse(filter_);
      ++at_;
   }

   const std::wstring &filter_;
   const MessageNode &message_;
   std::size_t at_ = 0;
};

}  // namespace

bool passes(const std::wstring &filter, const MessageNode &message) {
   std::wstring text = filter;
   if (text.size() >= 5 && _wcsnicmp(text.c_str(), L"@SQL=", 5) == 0)
      text = text.substr(5);
   else
      cannot_parse(filter);  // the stand-in speaks DASL only, not Jet ("[Subject] = ...")
   return Parser(text, message).parse();
}

}  // namespace standin
