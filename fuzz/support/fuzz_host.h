// What the fuzz targets share: a host services table that logs nowhere, is never cancelled and
// answers every vault lookup with one fixed secret; and the input as a string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "rpa/host.h"

namespace fuzz {

inline const rpa_host_services *quiet_host() {
   static const rpa_host_services services = [] {
      rpa_host_services table{};
      table.struct_size = sizeof(rpa_host_services);
      table.log = [](void *, rpa_log_level, const char *) {};
      table.is_cancelled = [](void *) { return 0; };
      table.vault_get = [](void *, const char *, const char *, const char *, char *buffer, size_t buffer_size,
                           size_t *size) {
         static const char kSecret[] = "vault secret";
         *size = sizeof kSecret - 1;
         if (!buffer || buffer_size < *size) return RPA_BUFFER_TOO_SMALL;
         std::memcpy(buffer, kSecret, *size);
         return RPA_OK;
      };
      return table;
   }();
   return &services;
}

inline std::string text_of(const std::uint8_t *data, std::size_t size) {
   return std::string(reinterpret_cast<const char *>(data), size);
}

}  // namespace fuzz
