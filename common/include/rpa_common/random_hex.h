// Random names and tokens: `bytes` bytes from OpenSSL's generator as lower-case hex (twice as many
// characters). For temporary file names and one-time tokens, not for secrets that must be wiped.
// Throws std::runtime_error when the generator fails.
#pragma once

#include <cstddef>
#include <string>

namespace rpa {

std::string random_hex(std::size_t bytes);

}  // namespace rpa
