// UTF-8 inside, UTF-16 at the Windows API: every path, name and message crosses here (Windows only).
// Invalid UTF-8 or UTF-16 becomes U+FFFD, never an exception: a name is shown, not trusted.
#pragma once

#ifdef _WIN32
#  include <string>
#  include <string_view>

namespace email {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);

}  // namespace email
#endif
