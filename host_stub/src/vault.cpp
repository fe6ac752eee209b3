#include "vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "rpa_common/base64.h"
#include "rpa_common/json.h"
#include "rpa_common/wiping_allocator.h"

namespace rpa_host {

using rpa::SecretString;

namespace {

constexpr const char *kFormat = "rpa-vault/1";
constexpr std::uint64_t kScryptN = 1u << 15;  // 32 MiB with r = 8: about 0.1 s here
constexpr std::uint64_t kScryptR = 8, kScryptP = 1;
constexpr std::size_t kKeyBytes = 32, kSaltBytes = 16, kNonceBytes = 12, kTagBytes = 16;

struct KdfParameters {
   std::uint64_t n = kScryptN, r = kScryptR, p = kScryptP;
   std::string salt;
};

SecretString derive_key(const SecretString &passphrase, const KdfParameters &kdf) {
   SecretString key;
   key.reserve(kKeyBytes);
   if (kdf.n < 2 || kdf.n > (1u << 22) || kdf.r > 64 || kdf.p > 16)
      throw VaultError("the vault file has unusable key derivation parameters");
   if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(),
                      reinterpret_cast<const unsigned char *>(kdf.salt.data()), kdf.salt.size(),
                      kdf.n, kdf.r, kdf.p, 1024ull * 1024 * 1024,
                      reinterpret_cast<unsigned char *>(key.mutable_data()), kKeyBytes) != 1)
      throw VaultError("deriving the vault key failed");
   key.resize_within_capacity(kKeyBytes);
   return key;
}

std::string random_bytes(std::size_t size) {
   std::string bytes(size, '\0');
   if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(size)) != 1)
      throw VaultError("the system random generator failed");
   return bytes;
}

std::string to_base64(std::string_view bytes) { return std::string(rpa::base64_encode(bytes).view()); }
std::string from_base64(const rapidjson::Value &object, const char *field) {
   if (!object.HasMember(field) || !object[field].IsString())
      throw VaultError(std::string("the vault file has no ") + field);
   const rapidjson::Value &value = object[field];
   auto decoded = rpa::base64_decode(std::string_view(value.GetString(), value.GetStringLength()));
   if (!decoded) throw VaultError(std::string("the vault file's ") + field + " is not base64");
   return std::string(decoded->view());
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string encrypt(const SecretString &key, const std::string &nonce, std::string_view plaintext,
                    std::string &tag) {
   CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
   std::string ciphertext(plaintext.size(), '\0');
   int length = 0;
   tag.assign(kTagBytes, '\0');
   if (!ctx ||
       EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
       EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr,
                          reinterpret_cast<const unsigned char *>(key.data()),
                          reinterpret_cast<const unsigned char *>(nonce.data())) != 1 ||
       EVP_EncryptUpdate(ctx.get(), nullptr, &length,
                         reinterpret_cast<const unsigned char *>(kFormat),
                         static_cast<int>(std::strlen(kFormat))) != 1 ||
       EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(ciphertext.data()), &length,
                         reinterpret_cast<const unsigned char *>(plaintext.data()),
                         static_cast<int>(plaintext.size())) != 1 ||
       EVP_EncryptFinal_ex(ctx.get(), nullptr, &length) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1)
      throw VaultError("encrypting the vault failed");
   return ciphertext;
}

SecretString decrypt(const SecretString &key, const std::string &nonce,
                     const std::string &ciphertext, const std::string &tag) {
   CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
   SecretString plaintext;
   plaintext.reserve(ciphertext.size() + 1);
   int length = 0, final_length = 0;
   if (!ctx || tag.size() != kTagBytes ||
       EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
       EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr,
                          reinterpret_cast<const unsigned char *>(key.data()),
                          reinterpret_cast<const unsigned char *>(nonce.data())) != 1 ||
       EVP_DecryptUpdate(ctx.get(), nullptr, &length,
                         reinterpret_cast<const unsigned char *>(kFormat),
                         static_cast<int>(std::strlen(kFormat))) != 1 ||
       EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plaintext.mutable_data()),
                         &length, reinterpret_cast<const unsigned char *>(ciphertext.data()),
                         static_cast<int>(ciphertext.size())) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                           const_cast<char *>(tag.data())) != 1)
      throw VaultError("decrypting the vault failed");
   if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plaintext.mutable_data()) + length,
                           &final_length) != 1)
      throw WrongPassphrase();
   plaintext.resize_within_capacity(static_cast<std::size_t>(length + final_length));
   return plaintext;
}

void write_all(int fd, std::string_view bytes, const std::string &path) {
   while (!bytes.empty()) {
      ssize_t written = ::write(fd, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) throw VaultError("cannot write \"" + path + "\": " + std::strerror(errno));
      bytes.remove_prefix(static_cast<std::size_t>(written));
   }
}

}  // namespace

SecretString vault_passphrase_from_environment() {
   const char *value = std::getenv("RPA_VAULT_PASSPHRASE");
   if (!value || !*value)
      throw VaultError("set the environment variable RPA_VAULT_PASSPHRASE to the vault's passphrase");
   return SecretString(value);
}

Vault Vault::open(const std::string &path, SecretString passphrase) {
   Vault vault(path, std::move(passphrase));
   struct stat info {};
   if (::stat(path.c_str(), &info) != 0 && errno == ENOENT) return vault;  // created by save()
   std::ifstream file(path, std::ios::binary);
   if (!file) throw VaultError("cannot read the vault \"" + path + "\"");
   std::stringstream text;
   text << file.rdbuf();
   rapidjson::Document header;
   const std::string file_text = text.str();
   if (!rpa::parse_json(header, file_text) || !header.IsObject() || !header.HasMember("format") ||
       !header["format"].IsString() || std::string(header["format"].GetString()) != kFormat ||
       !header.HasMember("kdf") || !header["kdf"].IsObject())
      throw VaultError("\"" + path + "\" is not an " + std::string(kFormat) + " vault file");
   const rapidjson::Value &kdf_json = header["kdf"];
   KdfParameters kdf;
   for (auto [name, field] : {std::pair{"n", &kdf.n}, {"r", &kdf.r}, {"p", &kdf.p}}) {
      if (!kdf_json.HasMember(name) || !kdf_json[name].IsUint64())
         throw VaultError("the vault file has no scrypt parameter " + std::string(name));
      *field = kdf_json[name].GetUint64();
   }
   kdf.salt = from_base64(kdf_json, "salt");
   auto field = [&](const char *name) { return from_base64(header, name); };
   SecretString key = derive_key(vault.passphrase_, kdf);
   SecretString plaintext = decrypt(key, field("nonce"), field("ciphertext"), field("tag"));

   rpa::SecretDocument document;
   if (!rpa::parse_json(document, plaintext.data(), plaintext.size()) || !document.IsObject() || !document.HasMember("lockers") ||
       !document["lockers"].IsObject())
      throw VaultError("the vault's contents are malformed");
   for (auto &locker : document["lockers"].GetObject())
      for (auto &credential : locker.value.GetObject())
         for (auto &attribute : credential.value.GetObject())
            if (attribute.value.IsString())
               vault.lockers_[locker.name.GetString()][credential.name.GetString()]
                             [attribute.name.GetString()] =
                   SecretString(std::string_view(attribute.value.GetString(),
                                                 attribute.value.GetStringLength()));
   return vault;
}

const SecretString *Vault::find(const std::string &locker, const std::string &credential,
                                const std::string &attribute) const {
   auto l = lockers_.find(locker);
   if (l == lockers_.end()) return nullptr;
   auto c = l->second.find(credential);
   if (c == l->second.end()) return nullptr;
   auto a = c->second.find(attribute);
   return a == c->second.end() ? nullptr : &a->second;
}

void Vault::set(const std::string &locker, const std::string &credential,
                const std::string &attribute, SecretString value) {
   lockers_[locker][credential][attribute] = std::move(value);
}

bool Vault::remove(const std::string &locker, const std::string &credential,
                   const std::string &attribute) {
   auto l = lockers_.find(locker);
   if (l == lockers_.end()) return false;
   if (credential.empty()) {
      lockers_.erase(l);
      return true;
   }
   auto c = l->second.find(credential);
   if (c == l->second.end()) return false;
   if (attribute.empty()) {
      l->second.erase(c);
   } else {
      if (!c->second.erase(attribute)) return false;
      if (c->second.empty()) l->second.erase(c);
   }
   if (l->second.empty()) lockers_.erase(l);
   return true;
}

std::vector<std::string> Vault::list() const {
   std::vector<std::string> names;
   for (auto &[locker, credentials] : lockers_)
      for (auto &[credential, attributes] : credentials)
         for (auto &entry : attributes) names.push_back(locker + "/" + credential + "/" + entry.first);
   return names;
}

void Vault::save() const {
   using SecretBuffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator>;
   SecretBuffer plaintext;
   {
      rapidjson::Writer<SecretBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rpa::WipingAllocator> json(plaintext);
      json.StartObject();
      json.Key("lockers");
      json.StartObject();
      for (auto &[locker, credentials] : lockers_) {
         json.Key(locker.c_str());
         json.StartObject();
         for (auto &[credential, attributes] : credentials) {
            json.Key(credential.c_str());
            json.StartObject();
            for (auto &[attribute, value] : attributes) {
               json.Key(attribute.c_str());
               json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
            }
            json.EndObject();
         }
         json.EndObject();
      }
      json.EndObject();
      json.EndObject();
   }
   KdfParameters kdf;
   kdf.salt = random_bytes(kSaltBytes);
   const std::string nonce = random_bytes(kNonceBytes);
   SecretString key = derive_key(passphrase_, kdf);
   std::string tag;
   const std::string ciphertext =
       encrypt(key, nonce, std::string_view(plaintext.GetString(), plaintext.GetSize()), tag);

   rapidjson::StringBuffer file_text;
   rapidjson::Writer<rapidjson::StringBuffer> json(file_text);
   json.StartObject();
   json.Key("format");
   json.String(kFormat);
   json.Key("kdf");
   json.StartObject();
   json.Key("name");
   json.String("scrypt");
   json.Key("n");
   json.Uint64(kdf.n);
   json.Key("r");
   json.Uint64(kdf.r);
   json.Key("p");
   json.Uint64(kdf.p);
   json.Key("salt");
   json.String(to_base64(kdf.salt).c_str());
   json.EndObject();
   json.Key("cipher");
   json.String("AES-256-GCM");
   json.Key("nonce");
   json.String(to_base64(nonce).c_str());
   json.Key("ciphertext");
   json.String(to_base64(ciphertext).c_str());
   json.Key("tag");
   json.String(to_base64(tag).c_str());
   json.EndObject();

   const std::string temporary = path_ + ".tmp." + std::to_string(::getpid());
   int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
   if (fd < 0) throw VaultError("cannot create \"" + temporary + "\": " + std::strerror(errno));
   try {
      write_all(fd, std::string_view(file_text.GetString(), file_text.GetSize()), temporary);
      write_all(fd, "\n", temporary);
      if (::fsync(fd) != 0) throw VaultError("cannot flush \"" + temporary + "\": " + std::strerror(errno));
   } catch (...) {
      ::close(fd);
      ::unlink(temporary.c_str());
      throw;
   }
   ::close(fd);
   if (::rename(temporary.c_str(), path_.c_str()) != 0) {
      ::unlink(temporary.c_str());
      throw VaultError("cannot replace \"" + path_ + "\": " + std::strerror(errno));
   }
   std::string folder = path_.find('/') == std::string::npos ? "." : path_.substr(0, path_.rfind('/'));
   if (folder.empty()) folder = "/";
   int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   if (dir >= 0) {
      ::fsync(dir);  // make the rename itself durable
      ::close(dir);
   }
}

}  // namespace rpa_host
