#include "util/base64_decoder.h"

#include <openssl/evp.h>

#include <algorithm>

#include "util/failure.h"

namespace email {

namespace {
constexpr std::size_t kPiece = 64 * 1024;  // text per EVP_DecodeUpdate: at most 48 KiB out
}

Base64Decoder::Base64Decoder()
    : context_(EVP_ENCODE_CTX_new(), EVP_ENCODE_CTX_free), out_(kPiece / 4 * 3 + 80, '\0') {
   if (!context_) throw Failure(RPA_INTERNAL, "out of memory");
   EVP_DecodeInit(context_.get());
}

Base64Decoder::~Base64Decoder() = default;

bool Base64Decoder::update(std::string_view text, const Sink &sink) {
   while (!text.empty()) {
      const std::string_view piece = text.substr(0, kPiece);
      text.remove_prefix(piece.size());
      int written = 0;
      if (EVP_DecodeUpdate(context_.get(), reinterpret_cast<unsigned char *>(out_.data()), &written,
                           reinterpret_cast<const unsigned char *>(piece.data()),
                           static_cast<int>(piece.size())) < 0)
         return false;
      if (written > 0) sink(std::string_view(out_.data(), static_cast<std::size_t>(written)));
   }
   return true;
}

bool Base64Decoder::finish(const Sink &sink) {
   int written = 0;
   if (EVP_DecodeFinal(context_.get(), reinterpret_cast<unsigned char *>(out_.data()), &written) < 0)
      return false;
   if (written > 0) sink(std::string_view(out_.data(), static_cast<std::size_t>(written)));
   return true;
}

}  // namespace email
