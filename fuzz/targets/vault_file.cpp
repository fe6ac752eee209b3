// The vault file (its outer JSON, base64 fields and scrypt parameters, not decrypted) and the
// plaintext inside (lockers -> credentials -> attributes), whatever they hold.
#include "fuzz_host.h"
#include "vault_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      (void)rpa_host::vault_file::read_sealed(input);
   } catch (const rpa_host::VaultError &) {}
   try {
      auto lockers = rpa_host::vault_file::parse_plaintext(input);
      (void)rpa_host::vault_file::parse_plaintext(rpa_host::vault_file::plaintext_of(lockers).view());
   } catch (const rpa_host::VaultError &) {}
   return 0;
}
