// The files the plugin opens itself: private temporary files for what is too large to keep in memory
// (a fetched message, a spooled HTTP body), and files the bot names by their UTF-8 path (a client
// certificate). Implementations: util/files_posix.cpp, util/files_windows.cpp.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <streambuf>
#include <string>

namespace email {

// A new temporary file, open for reading and writing in binary, readable by this user only, that
// disappears when it is closed or the process ends. Linux: made in $TMPDIR (else /tmp) with
// mkstemp and unlinked at once, so it never has a name another process could open. Windows: in
// GetTempPathW's folder (the user's own), with FILE_FLAG_DELETE_ON_CLOSE and no sharing.
// nullptr, with the system's reason in `error`, when none can be made.
std::FILE *open_temporary_file(std::string &error);

// The file at `path` (UTF-8, on Windows too), for reading in binary; nullptr, with the system's
// reason in `error`, when it cannot be opened.
std::FILE *open_file_for_reading(const std::string &path, std::string &error);

// A new file at `path` (UTF-8), for writing in binary, that must not exist yet (for files in a
// PrivateDirectory: nobody else can have made or opened one there); nullptr, with the system's
// reason in `error`, when it cannot be made.
std::FILE *open_new_file_for_writing(const std::string &path, std::string &error);

// Empties an open file and moves its position to the start; false when the system refuses.
bool empty_file(std::FILE *file);

// Moves an open file's position to `offset` from its start, past 2 GiB too (fseeko, _fseeki64);
// false when the system refuses.
bool seek_file(std::FILE *file, std::uint64_t offset);

// A new, empty directory that only this user can open, for files a library must be given by name
// (Outlook's Attachment.SaveAsFile), removed with everything in it when the object ends. Linux:
// mkdtemp (mode 0700) in $TMPDIR, else /tmp. Windows: in GetTempPathW's folder, which is in the
// user's own profile and closed to other users.
class PrivateDirectory {
 public:
   // Throws std::runtime_error with the system's reason when none can be made.
   PrivateDirectory();
   ~PrivateDirectory();
   PrivateDirectory(const PrivateDirectory &) = delete;
   PrivateDirectory &operator=(const PrivateDirectory &) = delete;

   // UTF-8, without a separator at the end.
   const std::string &path() const { return path_; }
   // The path of `name` (one level, no separators) in it.
   std::string file(const std::string &name) const;

 private:
   std::string path_;
};

// A std::streambuf that writes through to a FILE (for libraries that write into a std::ostream).
class FileOutputBuffer : public std::streambuf {
 public:
   explicit FileOutputBuffer(std::FILE *file) : file_(file) {}

 protected:
   int_type overflow(int_type c) override;
   std::streamsize xsputn(const char *data, std::streamsize size) override;
   int sync() override;

 private:
   std::FILE *file_;
};

}  // namespace email
