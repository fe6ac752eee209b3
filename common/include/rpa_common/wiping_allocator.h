// WipingAllocator: a RapidJSON base allocator that cleanses memory before freeing it, for
// documents that hold secrets (a property bag with a typed password, a decrypted vault).
// Use SecretDocument rather than rapidjson::Document for such JSON.
#pragma once

#include <openssl/crypto.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <cstring>

namespace rpa {

class WipingAllocator {
 public:
   static const bool kNeedFree = true;
   void *Malloc(size_t size) {
      if (!size) return nullptr;
      auto *block = static_cast<size_t *>(std::malloc(size + sizeof(size_t)));
      if (!block) return nullptr;
      *block = size;
      return block + 1;
   }
   void *Realloc(void *original, size_t original_size, size_t new_size) {
      (void)original_size;
      if (new_size == 0) {
         Free(original);
         return nullptr;
      }
      void *grown = Malloc(new_size);
      if (original && grown) {
         size_t old = *(static_cast<size_t *>(original) - 1);
         std::memcpy(grown, original, old < new_size ? old : new_size);
      }
      Free(original);
      return grown;
   }
   static void Free(void *pointer) {
      if (!pointer) return;
      size_t *block = static_cast<size_t *>(pointer) - 1;
      OPENSSL_cleanse(pointer, *block);
      std::free(block);
   }
   bool operator==(const WipingAllocator &) const { return true; }
   bool operator!=(const WipingAllocator &) const { return false; }
};

using SecretDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<WipingAllocator>,
                               WipingAllocator>;
using SecretValue = SecretDocument::ValueType;

}  // namespace rpa
