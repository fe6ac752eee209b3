// UTF-8 inside, UTF-16 at the Windows API: every path, name and message crosses here (Windows only).
// Invalid UTF-8 or UTF-16 becomes U+FFFD, never an exception: a name is shown, not trusted.
#pragma once

#ifdef _WIN32
#  include <string>
#  include <string_view>

namespace rpa {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);

// The system's message for a Windows error code (GetLastError, WSAGetLastError, HRESULT), in UTF-8,
// without the trailing period and line break; "Windows error N" when the system has none.
std::string windows_error_text(unsigned long code);

}  // namespace rpa
#endif
