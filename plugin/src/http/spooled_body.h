// SpooledBody: a response body kept on disk instead of in memory (http/https_client.h spools into
// it): a private temporary file (util/files.h), removed with this object. For bodies that may be
// far larger than HttpsClient::kMaxResponseBytes (a message's MIME through Graph's /$value). A
// retried request (a stale kept-alive connection) rewrites it. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <ostream>
#include <string_view>

namespace email {

class SpooledBody {
 public:
   SpooledBody();  // throws Failure(internal) when no temporary file can be made
   ~SpooledBody();
   SpooledBody(const SpooledBody &) = delete;
   SpooledBody &operator=(const SpooledBody &) = delete;

   // Empties the file; the stream that writes the body into it (for the HTTP clients that spool:
   // http/https_client.cpp, http/http1_connection.cpp).
   std::ostream &rewrite();

   std::uint64_t size() const;
   // Feeds the body from its start in chunks of at most 64 KiB; stops when `chunk` returns false.
   // Returns whether every byte was taken.
   bool read(const std::function<bool(std::string_view chunk)> &chunk) const;
   // As read(), for `length` bytes from `offset` (fewer where the body ends first).
   bool read(std::uint64_t offset, std::uint64_t length,
             const std::function<bool(std::string_view chunk)> &chunk) const;

 private:
   std::FILE *file_ = nullptr;
   std::unique_ptr<std::streambuf> output_buffer_;
   std::unique_ptr<std::ostream> output_;
};

}  // namespace email
