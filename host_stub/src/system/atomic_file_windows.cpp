// system/atomic_file.h on Windows: CreateFileW (CREATE_NEW), FlushFileBuffers and MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH; GetFileInformationByHandle for identity.
// The temporary file is made beside the target, so the rename stays on one volume, and inherits the
// folder's permissions (a user's profile folder is private to that user).
#include "system/atomic_file.h"

#include <windows.h>

#include <algorithm>

#include "rpa_common/random_hex.h"
#include "rpa_common/utf16.h"

namespace rpa_host {

namespace {

std::string failure(const char *what, const std::string &path, DWORD code) {
   return std::string(what) + " \"" + path + "\": " + rpa::windows_error_text(code);
}

FileIdentity identity_from(const BY_HANDLE_FILE_INFORMATION &info) {
   const auto join = [](DWORD high, DWORD low) { return (static_cast<std::uint64_t>(high) << 32) | low; };
   // FILETIME counts 100 ns steps.
   const auto written = join(info.ftLastWriteTime.dwHighDateTime, info.ftLastWriteTime.dwLowDateTime);
   return {info.dwVolumeSerialNumber, join(info.nFileIndexHigh, info.nFileIndexLow),
           static_cast<std::int64_t>(join(info.nFileSizeHigh, info.nFileSizeLow)),
           static_cast<std::int64_t>(written * 100)};
}

}  // namespace

std::string folder_of(const std::string &path) {
   const std::size_t slash = path.find_last_of("/\\");
   if (slash == std::string::npos) return ".";
   if (slash == 0 || (slash == 2 && path[1] == ':')) return path.substr(0, slash + 1);  // "\", "C:\"
   return path.substr(0, slash);
}

void replace_file(const std::string &file, std::string_view content) {
   const std::string temporary = file + ".tmp." + rpa::random_hex(6);
   const std::wstring wide_temporary = rpa::widen(temporary);
   HANDLE handle = CreateFileW(wide_temporary.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
   if (handle == INVALID_HANDLE_VALUE)
      throw std::runtime_error(failure("cannot create a file beside", file, GetLastError()));
   DWORD code = ERROR_SUCCESS;
   while (!content.empty() && code == ERROR_SUCCESS) {
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(content.size(), 1u << 30));
      DWORD written = 0;
      if (!WriteFile(handle, content.data(), chunk, &written, nullptr) || written == 0)
         code = GetLastError() ? GetLastError() : ERROR_WRITE_FAULT;
      content.remove_prefix(written);
   }
   if (code == ERROR_SUCCESS && !FlushFileBuffers(handle)) code = GetLastError();
   CloseHandle(handle);
   if (code != ERROR_SUCCESS) {
      DeleteFileW(wide_temporary.c_str());
      throw std::runtime_error(failure("cannot write", temporary, code));
   }
   if (!MoveFileExW(wide_temporary.c_str(), rpa::widen(file).c_str(),
                    MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      code = GetLastError();
      DeleteFileW(wide_temporary.c_str());
      throw std::runtime_error(failure("cannot replace", file, code));
   }
}

bool read_whole_file(const std::string &path, std::size_t limit, std::string &text, FileIdentity &identity) {
   HANDLE handle = CreateFileW(rpa::widen(path).c_str(), GENERIC_READ,
                               FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
   if (handle == INVALID_HANDLE_VALUE) {
      const DWORD code = GetLastError();
      if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return false;
      throw std::runtime_error(failure("cannot read", path, code));
   }
   BY_HANDLE_FILE_INFORMATION info{};
   if (!GetFileInformationByHandle(handle, &info) || (identity = identity_from(info)).size < 0 ||
       static_cast<std::uint64_t>(identity.size) > limit) {
      CloseHandle(handle);
      throw std::runtime_error("cannot read \"" + path + "\": larger than " + std::to_string(limit) +
                               " bytes");
   }
   text.clear();
   char buffer[65536];
   for (;;) {
      DWORD got = 0;
      if (!ReadFile(handle, buffer, sizeof buffer, &got, nullptr)) {
         const DWORD code = GetLastError();
         CloseHandle(handle);
         throw std::runtime_error(failure("cannot read", path, code));
      }
      if (got == 0) break;
      text.append(buffer, got);
      if (text.size() > limit) {
         CloseHandle(handle);
         throw std::runtime_error("cannot read \"" + path + "\": larger than " + std::to_string(limit) +
                                  " bytes");
      }
   }
   CloseHandle(handle);
   return true;
}

FileIdentity identity_of(const std::string &path) {
   HANDLE handle =
       CreateFileW(rpa::widen(path).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                   nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
   if (handle == INVALID_HANDLE_VALUE) return {};
   BY_HANDLE_FILE_INFORMATION info{};
   const bool known = GetFileInformationByHandle(handle, &info);
   CloseHandle(handle);
   return known ? identity_from(info) : FileIdentity{};
}

}  // namespace rpa_host
