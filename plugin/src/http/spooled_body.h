// SpooledBody: a response body kept on disk instead of in memory (http/https_client.h spools into
// it): a temporary file in $TMPDIR (mode 0600), removed with this object. For bodies that may be
// far larger than HttpsClient::kMaxResponseBytes (a message's MIME through Graph's /$value). A
// retried request (a stale kept-alive connection) rewrites it. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace email {

class SpooledBody {
 public:
   SpooledBody();  // throws Failure(internal) when no temporary file can be made
   ~SpooledBody();
   SpooledBody(const SpooledBody &) = delete;
   SpooledBody &operator=(const SpooledBody &) = delete;

   std::uint64_t size() const;
   // Feeds the body from its start in chunks of at most 64 KiB; stops when `chunk` returns false.
   // Returns whether every byte was taken.
   bool read(const std::function<bool(std::string_view chunk)> &chunk) const;

 private:
   friend class HttpsClient;  // writes the body through path_
   std::string path_;
   std::FILE *file_ = nullptr;
};

}  // namespace email
