// SecretString: bytes that must not outlive their use.
//
// Holds a password, token or an encoding of one. The storage is wiped with OPENSSL_cleanse when
// the object is destroyed, cleared or moved from, and it is never copied implicitly (copy is
// deleted; use clone() where a second owner is really needed). Growth reserves up front so a
// reallocation never leaves an unwiped copy behind: call reserve() before append() when the final
// size is known. Never put the contents into a log line, message or exception.
#pragma once

#include <cstddef>
#include <string>
#include <initializer_list>
#include <string_view>

namespace rpa {

class SecretString {
 public:
   SecretString() = default;
   explicit SecretString(std::string_view value);
   SecretString(const SecretString &) = delete;
   SecretString &operator=(const SecretString &) = delete;
   SecretString(SecretString &&other) noexcept;
   SecretString &operator=(SecretString &&other) noexcept;
   ~SecretString();

   SecretString clone() const { return SecretString(view()); }
   // A clone with one NUL byte after the bytes, for C libraries that read a C string (data()).
   SecretString c_string() const {
      SecretString copy;
      copy.reserve(size_ + 1);
      copy.append(view());
      copy.append('\0');
      return copy;
   }

   void reserve(std::size_t capacity);
   void append(std::string_view bytes);
   void append(char c) { append(std::string_view(&c, 1)); }
   void clear();  // wipes

   std::string_view view() const { return std::string_view(data_, size_); }
   const char *data() const { return data_; }
   char *mutable_data() { return data_; }
   std::size_t size() const { return size_; }
   bool empty() const { return size_ == 0; }
   // Sets the size after writing into mutable_data() (size <= capacity()).
   void resize_within_capacity(std::size_t size);
   std::size_t capacity() const { return capacity_; }

 private:
   void release();
   char *data_ = nullptr;
   std::size_t size_ = 0;
   std::size_t capacity_ = 0;
};

// Secrets shorter than this are not searched for by redact(): inside ordinary words the stars
// would reveal them rather than hide them.
inline constexpr std::size_t kMinRedactedSecret = 3;

// Replaces every occurrence of each secret of kMinRedactedSecret characters or more in `text`
// with "****". A last line of defence for text that came from a server (a server may echo what
// it was sent).
std::string redact(std::string text, std::initializer_list<std::string_view> secrets);

}  // namespace rpa
