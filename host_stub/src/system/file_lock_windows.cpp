// system/file_lock.h on Windows: LockFileEx on the whole lock file (created with the folder's
// inherited, per-user permissions); GetFinalPathNameByHandleW for the vault's symbolic links.
#include "system/file_lock.h"

#include <windows.h>

#include "rpa_common/utf16.h"

namespace rpa_host {

FileLock::Handle FileLock::open_lock_file(const std::string &path, std::string &error) {
   // Every process opens it for reading and writing and lets others do the same; the lock, not the
   // sharing mode, is what excludes. The handle is not inherited by child processes.
   HANDLE file = CreateFileW(rpa::widen(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_ALWAYS,
                             FILE_ATTRIBUTE_NORMAL, nullptr);
   if (file == INVALID_HANDLE_VALUE) {
      error = rpa::windows_error_text(GetLastError());
      return -1;
   }
   return reinterpret_cast<Handle>(file);
}

bool FileLock::try_lock(Handle file, Mode mode, bool &busy, std::string &error) {
   OVERLAPPED whole{};  // from offset 0
   const DWORD flags = LOCKFILE_FAIL_IMMEDIATELY | (mode == Mode::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
   if (LockFileEx(reinterpret_cast<HANDLE>(file), flags, 0, MAXDWORD, MAXDWORD, &whole)) return true;
   const DWORD code = GetLastError();
   busy = code == ERROR_LOCK_VIOLATION || code == ERROR_IO_PENDING;
   error = rpa::windows_error_text(code);
   return false;
}

void FileLock::close_lock_file(Handle file) {
   // Unlocked before closing: Windows may release a closed handle's locks only later.
   OVERLAPPED whole{};
   UnlockFileEx(reinterpret_cast<HANDLE>(file), 0, MAXDWORD, MAXDWORD, &whole);
   CloseHandle(reinterpret_cast<HANDLE>(file));
}

std::string resolve_final_symlinks(const std::string &path) {
   HANDLE file =
       CreateFileW(rpa::widen(path).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                   nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
   if (file == INVALID_HANDLE_VALUE) {
      if (GetLastError() == ERROR_CANT_RESOLVE_FILENAME)
         throw std::runtime_error("\"" + path + "\" is a loop of symbolic links");
      return path;  // missing (or a dangling link): the caller creates it where it was named
   }
   std::wstring final_path(MAX_PATH, L'\0');
   DWORD length =
       GetFinalPathNameByHandleW(file, final_path.data(), static_cast<DWORD>(final_path.size()), 0);
   if (length >= final_path.size()) {
      final_path.resize(length);
      length = GetFinalPathNameByHandleW(file, final_path.data(), static_cast<DWORD>(final_path.size()), 0);
   }
   CloseHandle(file);
   if (length == 0 || length >= final_path.size()) return path;
   final_path.resize(length);
   // "\\?\C:\..." for a drive; a "\\?\UNC\server\share" path is kept whole (it needs the prefix).
   if (final_path.rfind(L"\\\\?\\", 0) == 0 && final_path.rfind(L"\\\\?\\UNC\\", 0) != 0)
      final_path.erase(0, 4);
   return rpa::narrow(final_path);
}

}  // namespace rpa_host
