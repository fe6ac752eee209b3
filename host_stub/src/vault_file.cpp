#include "vault_file.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <memory>

#include "rpa_common/base64.h"
#include "rpa_common/json.h"
#include "rpa_common/wiping_allocator.h"

namespace rpa_host::vault_file {

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
   if (kdf.n < 2 || kdf.n > (1u << 22) || (kdf.n & (kdf.n - 1)) != 0 || kdf.r < 1 || kdf.r > 64 ||
       kdf.p < 1 || kdf.p > 16)
      throw VaultError("the vault file has unusable key derivation parameters");
   if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(),
                      reinterpret_cast<const unsigned char *>(kdf.salt.data()), kdf.salt.size(), kdf.n, kdf.r,
                      kdf.p, 1024ull * 1024 * 1024, reinterpret_cast<unsigned char *>(key.mutable_data()),
                      kKeyBytes) != 1)
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
   if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
       EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(key.data()),
                          reinterpret_cast<const unsigned char *>(nonce.data())) != 1 ||
       EVP_EncryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(kFormat),
                         static_cast<int>(std::strlen(kFormat))) != 1 ||
       EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(ciphertext.data()), &length,
                         reinterpret_cast<const unsigned char *>(plaintext.data()),
                         static_cast<int>(plaintext.size())) != 1 ||
       EVP_EncryptFinal_ex(ctx.get(), nullptr, &length) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1)
      throw VaultError("encrypting the vault failed");
   return ciphertext;
}

SecretString decrypt(const SecretString &key, const std::string &nonce, const std::string &ciphertext,
                     const std::string &tag) {
   CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
   SecretString plaintext;
   plaintext.reserve(ciphertext.size() + 1);
   int length = 0, final_length = 0;
   if (!ctx || tag.size() != kTagBytes || nonce.size() != kNonceBytes || ciphertext.size() > (1u << 30) ||
       EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
       EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(key.data()),
                          reinterpret_cast<const unsigned char *>(nonce.data())) != 1 ||
       EVP_DecryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(kFormat),
                         static_cast<int>(std::strlen(kFormat))) != 1 ||
       EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plaintext.mutable_data()), &length,
                         reinterpret_cast<const unsigned char *>(ciphertext.data()),
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

// A name as stored: a string without NUL (names become C strings at the host boundary).
std::string name_of(const rpa::SecretValue &name, const char *what) {
   const std::string_view text(name.GetString(), name.GetStringLength());
   if (text.empty() || text.find('\0') != std::string_view::npos)
      throw VaultError(std::string("the vault's contents are malformed: a ") + what +
                       " name is empty or holds a NUL");
   return std::string(text);
}

}  // namespace

SecretString plaintext_of(const Lockers &lockers) {
   using SecretBuffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator>;
   SecretBuffer buffer;
   rapidjson::Writer<SecretBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rpa::WipingAllocator> json(buffer);
   json.StartObject();
   json.Key("lockers");
   json.StartObject();
   for (auto &[locker, credentials] : lockers) {
      json.Key(locker.c_str(), static_cast<rapidjson::SizeType>(locker.size()));
      json.StartObject();
      for (auto &[credential, attributes] : credentials) {
         json.Key(credential.c_str(), static_cast<rapidjson::SizeType>(credential.size()));
         json.StartObject();
         for (auto &[attribute, value] : attributes) {
            json.Key(attribute.c_str(), static_cast<rapidjson::SizeType>(attribute.size()));
            json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
         }
         json.EndObject();
      }
      json.EndObject();
   }
   json.EndObject();
   json.EndObject();
   return SecretString(std::string_view(buffer.GetString(), buffer.GetSize()));
}

Lockers parse_plaintext(std::string_view plaintext) {
   rpa::SecretDocument document;
   if (!rpa::parse_json(document, plaintext.data(), plaintext.size()) || !document.IsObject() ||
       !document.HasMember("lockers") || !document["lockers"].IsObject())
      throw VaultError("the vault's contents are malformed");
   Lockers lockers;
   for (auto &locker : document["lockers"].GetObject()) {
      if (!locker.value.IsObject())
         throw VaultError("the vault's contents are malformed: a locker is not an object");
      Credentials &credentials = lockers[name_of(locker.name, "locker")];
      for (auto &credential : locker.value.GetObject()) {
         if (!credential.value.IsObject())
            throw VaultError("the vault's contents are malformed: a credential is not an object");
         Attributes &attributes = credentials[name_of(credential.name, "credential")];
         for (auto &attribute : credential.value.GetObject()) {
            if (!attribute.value.IsString())
               throw VaultError("the vault's contents are malformed: an attribute is not a string");
            attributes[name_of(attribute.name, "attribute")] = SecretString(
                std::string_view(attribute.value.GetString(), attribute.value.GetStringLength()));
         }
      }
   }
   return lockers;
}

Key make_key(const SecretString &passphrase) {
   KdfParameters kdf;
   kdf.salt = random_bytes(kSaltBytes);
   return {kdf.salt, derive_key(passphrase, kdf), {}};
}

Key make_protected_key(const Protect &protect) {
   Key key;
   key.key.reserve(kKeyBytes);
   key.key.resize_within_capacity(kKeyBytes);
   if (RAND_bytes(reinterpret_cast<unsigned char *>(key.key.mutable_data()), static_cast<int>(kKeyBytes)) !=
       1)
      throw VaultError("the system random generator failed");
   key.protected_key = protect(key.key);
   return key;
}

std::string seal(std::string_view plaintext, const Key &key) {
   const std::string nonce = random_bytes(kNonceBytes);
   std::string tag;
   const std::string ciphertext = encrypt(key.key, nonce, plaintext, tag);
   rapidjson::StringBuffer file_text;
   rapidjson::Writer<rapidjson::StringBuffer> json(file_text);
   json.StartObject();
   json.Key("format");
   json.String(kFormat);
   json.Key("kdf");
   json.StartObject();
   json.Key("name");
   if (!key.protected_key.empty()) {
      json.String("dpapi");
      json.Key("protected_key");
      json.String(to_base64(key.protected_key).c_str());
   } else {
      json.String("scrypt");
      json.Key("n");
      json.Uint64(kScryptN);
      json.Key("r");
      json.Uint64(kScryptR);
      json.Key("p");
      json.Uint64(kScryptP);
      json.Key("salt");
      json.String(to_base64(key.salt).c_str());
   }
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
   return std::string(file_text.GetString(), file_text.GetSize()) + "\n";
}

Sealed read_sealed(std::string_view file_text) {
   rapidjson::Document header;
   if (!rpa::parse_json(header, file_text.data(), file_text.size()) || !header.IsObject() ||
       !header.HasMember("format") || !header["format"].IsString() ||
       std::string(header["format"].GetString()) != kFormat || !header.HasMember("kdf") ||
       !header["kdf"].IsObject())
      throw VaultError(std::string("not an ") + kFormat + " vault file");
   const rapidjson::Value &kdf_json = header["kdf"];
   Sealed sealed;
   if (kdf_json.HasMember("name")) {
      if (!kdf_json["name"].IsString()) throw VaultError("the vault file's kdf name is not text");
      sealed.kdf = kdf_json["name"].GetString();
   }
   if (sealed.kdf == "dpapi") {
      sealed.protected_key = from_base64(kdf_json, "protected_key");
      sealed.nonce = from_base64(header, "nonce");
      sealed.ciphertext = from_base64(header, "ciphertext");
      sealed.tag = from_base64(header, "tag");
      return sealed;
   }
   if (sealed.kdf != "scrypt")
      throw VaultError("the vault file's key comes from \"" + sealed.kdf.substr(0, 40) +
                       "\", which this host does not know (scrypt, dpapi)");
   for (auto [name, field] : {std::pair{"n", &sealed.n}, {"r", &sealed.r}, {"p", &sealed.p}}) {
      if (!kdf_json.HasMember(name) || !kdf_json[name].IsUint64())
         throw VaultError("the vault file has no scrypt parameter " + std::string(name));
      *field = kdf_json[name].GetUint64();
   }
   sealed.salt = from_base64(kdf_json, "salt");
   sealed.nonce = from_base64(header, "nonce");
   sealed.ciphertext = from_base64(header, "ciphertext");
   sealed.tag = from_base64(header, "tag");
   return sealed;
}

SecretString unseal(std::string_view file_text, const SecretString &passphrase, Key &key,
                    const Unprotect &unprotect) {
   const Sealed sealed = read_sealed(file_text);
   if (sealed.kdf == "dpapi") {
      if (!unprotect)
         throw VaultError(
             "the vault has no passphrase: Windows keeps its key for the Windows user who made it "
             "(DPAPI); open it on Windows as that user");
      if (key.key.empty() || key.protected_key != sealed.protected_key) {
         key.key = unprotect(sealed.protected_key);
         key.protected_key = sealed.protected_key;
         key.salt.clear();
      }
      return decrypt(key.key, sealed.nonce, sealed.ciphertext, sealed.tag);
   }
   if (passphrase.empty())
      throw VaultError("the vault has a passphrase: set the environment variable RPA_VAULT_PASSPHRASE to it");
   key.protected_key.clear();
   KdfParameters kdf;
   kdf.n = sealed.n;
   kdf.r = sealed.r;
   kdf.p = sealed.p;
   kdf.salt = sealed.salt;
   const bool standard = kdf.n == kScryptN && kdf.r == kScryptR && kdf.p == kScryptP;
   if (!standard || key.key.empty() || key.salt != kdf.salt) {
      key.key = derive_key(passphrase, kdf);
      key.salt = standard ? kdf.salt : std::string();  // reused for saving only with our parameters
   }
   return decrypt(key.key, sealed.nonce, sealed.ciphertext, sealed.tag);
}

}  // namespace rpa_host::vault_file
