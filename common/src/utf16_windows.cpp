// rpa_common/utf16.h on Windows: MultiByteToWideChar / WideCharToMultiByte with CP_UTF8.
#include "rpa_common/utf16.h"

#include <windows.h>

namespace rpa {

std::wstring widen(std::string_view utf8) {
   if (utf8.empty()) return {};
   const int size = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
   std::wstring wide(static_cast<std::size_t>(size), L'\0');
   MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), wide.data(), size);
   return wide;
}

std::string narrow(std::wstring_view utf16) {
   if (utf16.empty()) return {};
   const int size = WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), nullptr, 0,
                                        nullptr, nullptr);
   std::string utf8(static_cast<std::size_t>(size), '\0');
   WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), utf8.data(), size, nullptr,
                       nullptr);
   return utf8;
}

std::string windows_error_text(unsigned long code) {
   wchar_t *text = nullptr;
   const DWORD length = FormatMessageW(
       FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
       static_cast<DWORD>(code), 0, reinterpret_cast<wchar_t *>(&text), 0, nullptr);
   std::string utf8 = length > 0 ? narrow(std::wstring_view(text, length)) : std::string();
   if (text) LocalFree(text);
   while (!utf8.empty() &&
          (utf8.back() == '\n' || utf8.back() == '\r' || utf8.back() == ' ' || utf8.back() == '.'))
      utf8.pop_back();
   return utf8.empty() ? "Windows error " + std::to_string(code) : utf8;
}

}  // namespace rpa
