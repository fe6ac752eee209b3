#include "rpa_common/secret.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace rpa {

SecretString::SecretString(std::string_view value) { append(value); }

SecretString::SecretString(SecretString &&other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
   other.data_ = nullptr;
   other.size_ = other.capacity_ = 0;
}

SecretString &SecretString::operator=(SecretString &&other) noexcept {
   if (this != &other) {
      release();
      data_ = other.data_;
      size_ = other.size_;
      capacity_ = other.capacity_;
      other.data_ = nullptr;
      other.size_ = other.capacity_ = 0;
   }
   return *this;
}

SecretString::~SecretString() { release(); }

void SecretString::release() {
   if (data_) {
      OPENSSL_cleanse(data_, capacity_);
      delete[] data_;
   }
   data_ = nullptr;
   size_ = capacity_ = 0;
}

void SecretString::reserve(std::size_t capacity) {
   if (capacity <= capacity_) return;
   char *grown = new char[capacity];
   if (size_) std::memcpy(grown, data_, size_);
   std::size_t size = size_;
   release();
   data_ = grown;
   size_ = size;
   capacity_ = capacity;
}

void SecretString::append(std::string_view bytes) {
   if (bytes.empty()) return;
   if (size_ + bytes.size() > capacity_) reserve((size_ + bytes.size()) * 2);
   std::memcpy(data_ + size_, bytes.data(), bytes.size());
   size_ += bytes.size();
}

void SecretString::clear() {
   if (data_) OPENSSL_cleanse(data_, capacity_);
   size_ = 0;
}

void SecretString::resize_within_capacity(std::size_t size) {
   if (size > capacity_) throw std::length_error("SecretString::resize_within_capacity");
   size_ = size;
}

std::string redact(std::string text, std::initializer_list<std::string_view> secrets) {
   for (std::string_view secret : secrets) {
      // A one- or two-character secret would be found inside ordinary words ("nope" with the
      // password "p" would become "no****e"), and the stars would give it away.
      if (secret.size() < kMinRedactedSecret) continue;
      for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 4)) {
         text.replace(at, secret.size(), "****");
      }
   }
   return text;
}

}  // namespace rpa
