// trust_store on Windows (net/trust_store.h): the ROOT and CA system stores, current user and
// local machine, copied into OpenSSL's X509_STORE (as curl's CURLSSLOPT_NATIVE_CA does).
// Certificates that Windows marks as not for server authentication are left out; expiry and the
// rest are OpenSSL's verification's to judge, as for a CA file.
#include "net/trust_store.h"

#include <windows.h>
#include <wincrypt.h>

#include <openssl/x509.h>
#include <sys/stat.h>

#include <vector>

#include "rpa_common/utf16.h"

namespace email {

using rpa::widen;

namespace {

// Whether the certificate's enhanced key usage (if it has one) allows server authentication.
bool for_server_authentication(PCCERT_CONTEXT certificate) {
   DWORD size = 0;
   if (!CertGetEnhancedKeyUsage(certificate, 0, nullptr, &size) || size == 0) return true;  // no EKU: any use
   std::vector<unsigned char> bytes(size);
   auto *usage = reinterpret_cast<CERT_ENHKEY_USAGE *>(bytes.data());
   if (!CertGetEnhancedKeyUsage(certificate, 0, usage, &size)) return true;
   if (usage->cUsageIdentifier == 0) return GetLastError() == static_cast<DWORD>(CRYPT_E_NOT_FOUND);
   for (DWORD i = 0; i < usage->cUsageIdentifier; ++i)
      if (std::string(usage->rgpszUsageIdentifier[i]) == szOID_PKIX_KP_SERVER_AUTH) return true;
   return false;
}

int add_store(X509_STORE *store, DWORD location, const wchar_t *name) {
   HCERTSTORE system =
       CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                     location | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG, name);
   if (!system) return 0;
   int added = 0;
   for (PCCERT_CONTEXT certificate = CertEnumCertificatesInStore(system, nullptr); certificate;
        certificate = CertEnumCertificatesInStore(system, certificate)) {
      if (certificate->dwCertEncodingType != X509_ASN_ENCODING || !for_server_authentication(certificate))
         continue;
      const unsigned char *der = certificate->pbCertEncoded;
      X509 *x509 = d2i_X509(nullptr, &der, static_cast<long>(certificate->cbCertEncoded));
      if (!x509) continue;
      if (X509_STORE_add_cert(store, x509) == 1) ++added;  // a duplicate across stores is refused: fine
      X509_free(x509);
   }
   CertCloseStore(system, 0);
   return added;
}

}  // namespace

bool load_system_trust(SSL_CTX *ctx) {
   X509_STORE *store = SSL_CTX_get_cert_store(ctx);
   int added = 0;
   for (DWORD location : {CERT_SYSTEM_STORE_CURRENT_USER, CERT_SYSTEM_STORE_LOCAL_MACHINE})
      for (const wchar_t *name : {L"ROOT", L"CA"}) added += add_store(store, location, name);
   return added > 0;
}

std::string file_stamp(const std::string &path) {
   struct _stat64 info {};
   if (_wstat64(widen(path).c_str(), &info) != 0) return "missing";
   return std::to_string(info.st_mtime) + ":" + std::to_string(info.st_size);
}

}  // namespace email
