// util/files.h on Windows: the C runtime's FILE over a handle made with CreateFileW.
#include "util/files.h"

#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "rpa_common/random_hex.h"
#include "rpa_common/utf16.h"

namespace email {

namespace {

// A FILE over `handle` (which it then owns), or nullptr (the handle closed).
std::FILE *file_over(HANDLE handle, int flags, const char *mode, std::string &error) {
   const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle), flags);
   if (fd < 0) {
      CloseHandle(handle);
      error = "the C runtime has no descriptor left";
      return nullptr;
   }
   std::FILE *file = _fdopen(fd, mode);
   if (!file) {
      error = std::strerror(errno);
      _close(fd);
   }
   return file;
}

}  // namespace

std::FILE *open_temporary_file(std::string &error) {
   wchar_t folder[MAX_PATH + 1];
   const DWORD length = GetTempPathW(MAX_PATH + 1, folder);
   if (length == 0 || length > MAX_PATH) {
      error = "Windows names no folder for temporary files: " + rpa::windows_error_text(GetLastError());
      return nullptr;
   }
   std::wstring path = std::wstring(folder, length) + L"rpa-email-";
   try {
      path += rpa::widen(rpa::random_hex(8));
   } catch (const std::runtime_error &failure) {
      error = failure.what();
      return nullptr;
   }
   HANDLE handle = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                               FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
   if (handle == INVALID_HANDLE_VALUE) {
      error = "cannot make a temporary file in \"" + rpa::narrow(std::wstring_view(folder, length)) +
              "\": " + rpa::windows_error_text(GetLastError());
      return nullptr;
   }
   return file_over(handle, _O_RDWR | _O_BINARY, "w+b", error);
}

std::FILE *open_file_for_reading(const std::string &path, std::string &error) {
   HANDLE handle = CreateFileW(rpa::widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
   if (handle == INVALID_HANDLE_VALUE) {
      error = rpa::windows_error_text(GetLastError());
      return nullptr;
   }
   return file_over(handle, _O_RDONLY | _O_BINARY, "rb", error);
}

PrivateDirectory::PrivateDirectory() {
   wchar_t folder[MAX_PATH + 1];
   const DWORD length = GetTempPathW(MAX_PATH + 1, folder);
   if (length == 0 || length > MAX_PATH)
      throw std::runtime_error("Windows names no folder for temporary files: " +
                               rpa::windows_error_text(GetLastError()));
   const std::wstring path = std::wstring(folder, length) + L"rpa-email-" + rpa::widen(rpa::random_hex(8));
   if (!CreateDirectoryW(path.c_str(), nullptr))  // inherits the user's own temporary folder's ACL
      throw std::runtime_error("cannot make a private directory in \"" +
                               rpa::narrow(std::wstring_view(folder, length)) +
                               "\": " + rpa::windows_error_text(GetLastError()));
   path_ = rpa::narrow(path);
}

std::FILE *open_new_file_for_writing(const std::string &path, std::string &error) {
   HANDLE handle = CreateFileW(rpa::widen(path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
   if (handle == INVALID_HANDLE_VALUE) {
      error = rpa::windows_error_text(GetLastError());
      return nullptr;
   }
   return file_over(handle, _O_WRONLY | _O_BINARY, "wb", error);
}

bool empty_file(std::FILE *file) {
   return std::fflush(file) == 0 && _chsize_s(_fileno(file), 0) == 0 && std::fseek(file, 0, SEEK_SET) == 0;
}

bool seek_file(std::FILE *file, std::uint64_t offset) {
   return _fseeki64(file, static_cast<__int64>(offset), SEEK_SET) == 0;
}

}  // namespace email
