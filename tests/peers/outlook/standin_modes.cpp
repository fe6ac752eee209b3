#include "standin_modes.h"

#include <windows.h>

#include <chrono>

#include "dispatch_object.h"

namespace standin {

namespace {

const auto g_started = std::chrono::steady_clock::now();

}  // namespace

std::wstring environment(const wchar_t *name) {
   wchar_t buffer[32768];
   const DWORD length = GetEnvironmentVariableW(name, buffer, 32768);
   return length > 0 && length < 32768 ? std::wstring(buffer, length) : std::wstring();
}

std::vector<std::wstring> split(const std::wstring &text, wchar_t separator) {
   std::vector<std::wstring> parts;
   std::size_t start = 0;
   while (start <= text.size()) {
      const std::size_t end = text.find(separator, start);
      const std::wstring part =
          text.substr(start, end == std::wstring::npos ? std::wstring::npos : end - start);
      if (!part.empty()) parts.push_back(part);
      if (end == std::wstring::npos) break;
      start = end + 1;
   }
   return parts;
}

std::vector<std::pair<std::wstring, std::wstring>> pairs(const std::wstring &text) {
   std::vector<std::pair<std::wstring, std::wstring>> found;
   for (const std::wstring &part : split(text, L'|')) {
      const std::size_t equals = part.find(L'=');
      if (equals != std::wstring::npos) found.emplace_back(part.substr(0, equals), part.substr(equals + 1));
   }
   return found;
}

bool busy_now() {
   static const long busy_ms = [] {
      const std::wstring value = environment(L"RPA_OUTLOOK_STANDIN_BUSY_MS");
      return value.empty() ? 0L : std::wcstol(value.c_str(), nullptr, 10);
   }();
   return busy_ms > 0 && std::chrono::steady_clock::now() - g_started < std::chrono::milliseconds(busy_ms);
}

void guarded() {
   static const std::wstring mode = environment(L"RPA_OUTLOOK_STANDIN_MODE");
   // The stand-in's own wording; the codes are those Microsoft documents for the guard
   // ("Security Behavior of the Outlook Object Model", "Outlook Object Model Security Warnings").
   if (mode == L"guard-deny")
      throw Raised{E_ACCESSDENIED,
                   L"Outlook blocked access to this property because of its programmatic "
                   L"access security setting."};
   if (mode == L"guard-refused")
      throw Raised{static_cast<HRESULT>(0x80040102),
                   L"The operation was denied: a program tried to access "
                   L"e-mail address information and the user chose Deny."};
}

}  // namespace standin
