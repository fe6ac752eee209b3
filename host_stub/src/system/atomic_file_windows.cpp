// system/atomic_file.h on Windows: CreateFileW (CREATE_NEW), FlushFileBuffers and MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH; GetFileInformationByHandle for identity.
// The temporary file is made beside the target, so the rename stays on one volume, with a protected
// DACL that lets only the user this process runs as in (SDDL "D:P(A;;FA;;;<user's SID>)"), as
// mkstemp's 0600 does on Linux: a vault in a shared folder is not readable by the folder's other users.
#include "system/atomic_file.h"

#include <windows.h>
// (after windows.h)
#include <aclapi.h>
#include <sddl.h>

#include <algorithm>
#include <memory>
#include <vector>

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

// The SID of the user this process runs as, as SDDL text ("S-1-5-21-...").
std::wstring current_user_sid() {
   HANDLE token = nullptr;
   if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
      throw std::runtime_error("cannot read this process's user: " + rpa::windows_error_text(GetLastError()));
   DWORD size = 0;
   GetTokenInformation(token, TokenUser, nullptr, 0, &size);
   std::vector<unsigned char> buffer(size ? size : 1);
   LPWSTR text = nullptr;
   const bool read = size && GetTokenInformation(token, TokenUser, buffer.data(), size, &size) &&
                     ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &text);
   const DWORD code = GetLastError();
   CloseHandle(token);
   if (!read) throw std::runtime_error("cannot read this process's user: " + rpa::windows_error_text(code));
   std::wstring sid(text);
   LocalFree(text);
   return sid;
}

struct LocalFreeDeleter {
   void operator()(void *memory) const { LocalFree(memory); }
};
using LocalMemory = std::unique_ptr<void, LocalFreeDeleter>;

// A security descriptor whose protected DACL lets only this process's user in (full control).
LocalMemory private_descriptor() {
   const std::wstring sddl = L"D:P(A;;FA;;;" + current_user_sid() + L")";
   PSECURITY_DESCRIPTOR descriptor = nullptr;
   if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &descriptor,
                                                             nullptr))
      throw std::runtime_error("cannot make a file private to this user: " +
                               rpa::windows_error_text(GetLastError()));
   return LocalMemory(descriptor);
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
   const LocalMemory descriptor = private_descriptor();
   SECURITY_ATTRIBUTES security{sizeof(SECURITY_ATTRIBUTES), descriptor.get(), FALSE};
   HANDLE handle = CreateFileW(wide_temporary.c_str(), GENERIC_WRITE, 0, &security, CREATE_NEW,
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

bool is_private_to_user(const std::string &path) {
   PACL dacl = nullptr;
   PSECURITY_DESCRIPTOR descriptor = nullptr;
   if (GetNamedSecurityInfoW(rpa::widen(path).c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                             nullptr, &dacl, nullptr, &descriptor) != ERROR_SUCCESS)
      return false;
   const LocalMemory owned(descriptor);
   if (!dacl) return false;  // no DACL at all: everyone may open it
   // Every entry lets in this user or the system itself (LocalSystem, which Windows lets in anyway
   // and which Wine lists: Wine keeps no descriptor and derives one from the Unix mode).
   const std::wstring user = current_user_sid();
   bool user_allowed = false;
   for (DWORD i = 0; i < dacl->AceCount; ++i) {
      void *entry = nullptr;
      if (!GetAce(dacl, i, &entry) || static_cast<ACE_HEADER *>(entry)->AceType != ACCESS_ALLOWED_ACE_TYPE)
         return false;
      LPWSTR sid = nullptr;
      if (!ConvertSidToStringSidW(&static_cast<ACCESS_ALLOWED_ACE *>(entry)->SidStart, &sid)) return false;
      const LocalMemory owned_sid(sid);
      if (user == sid)
         user_allowed = true;
      else if (std::wstring(sid) != L"S-1-5-18")  // LocalSystem
         return false;
   }
   return user_allowed;
}

}  // namespace rpa_host
