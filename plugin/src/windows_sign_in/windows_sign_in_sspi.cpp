// WindowsSignIn on Windows (windows_sign_in/windows_sign_in.h): SSPI (secur32), as Outlook and every
// Windows tool signs in. With no password, the signed-in Windows user's own credentials (Kerberos
// tickets from the logon session, or NTLM with the logon's hash); with a password, that account.
// The Kerberos package gives the same mechanism token as MIT's GSSAPI on Linux (no SPNEGO wrapping;
// docs/design/windows-sign-in.md), under HTTP "Negotiate"; NTLM under HTTP "NTLM".
// Windows' own KDC exchange replaces windows_sign_in/kerberos_tickets.h: it follows the machine's
// domain, with Windows' own timeouts, so every SSPI call is made on a worker thread and waited for
// under the call's timeout and cancellation (net/bounded_call.h).
#include "windows_sign_in/windows_sign_in.h"

#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "http/www_authenticate.h"
#include "net/bounded_call.h"
#include "util/text.h"
#include "rpa_common/utf16.h"

namespace email {

using rpa::widen;

namespace {

// SSPI's answer in Windows terms a bot designer can act on (never a secret).
[[noreturn]] void fail(const char *doing, SECURITY_STATUS status, const std::string &user,
                       const std::string &service) {
   const std::string who = user.empty() ? std::string("the signed-in Windows user") : user;
   const std::string context = " (" + std::string(doing) + " as " + who + " for " + service + ")";
   switch (status) {
   case SEC_E_NO_AUTHENTICATING_AUTHORITY:
      throw KerberosUnavailable(RPA_AUTHENTICATION_FAILED,
                                "authentication failed: no domain controller could be reached" + context);
   case SEC_E_TARGET_UNKNOWN:
      throw KerberosUnavailable(RPA_AUTHENTICATION_FAILED,
                                "authentication failed: the domain knows no service principal (SPN) for " +
                                    service + "; set spn to the one Exchange is registered under" + context);
   case SEC_E_LOGON_DENIED:
      throw Failure(
          RPA_AUTHENTICATION_FAILED,
          "authentication failed: the user name or password is wrong, or the account is locked" + context);
   case SEC_E_TIME_SKEW:
      throw Failure(
          RPA_AUTHENTICATION_FAILED,
          "authentication failed: this computer's clock differs too much from the domain's" + context);
   case SEC_E_NO_CREDENTIALS:
      throw KerberosUnavailable(RPA_AUTHENTICATION_FAILED,
                                "authentication failed: no Windows credentials to sign in with" + context);
   case SEC_E_WRONG_PRINCIPAL:
   case SEC_E_MUTUAL_AUTH_FAILED:
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "authentication failed: the server did not prove it is " + service + context);
   default: {
      char code[16];
      std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(status));
      throw Failure(
          RPA_AUTHENTICATION_FAILED,
          "authentication failed: Windows sign-in refused with SSPI status " + std::string(code) + context);
   }
   }
}

// "DOMAIN\user" -> user and domain; "user@domain" stays whole in User (a UPN), as SSPI takes it.
void split_user(const std::string &username, std::wstring &user, std::wstring &domain) {
   const std::size_t slash = username.find('\\');
   if (slash == std::string::npos) {
      user = widen(username);
      return;
   }
   domain = widen(username.substr(0, slash));
   user = widen(username.substr(slash + 1));
}

// The SSPI handles, shared with the worker thread each SSPI call is made on (net/bounded_call.h):
// SSPI asks the domain controller for tickets with Windows' own timeouts, so a call the caller
// stopped waiting for (timeout_seconds, a cancel) runs on and still finds them. One call at a time.
struct SspiHandles {
   std::mutex busy;
   bool ntlm = false;
   std::string principal;      // who signs in, for messages ("" = the signed-in Windows user)
   std::string shown_service;  // the service as the settings name it, for messages
   std::wstring target;        // "HTTP/host", SSPI's target name
   CredHandle credential{};
   bool has_credential = false;
   CtxtHandle context{};
   bool has_context = false;
   unsigned long max_token = 0;  // the package's largest token (cbMaxToken): the output buffer's size

   const char *scheme() const { return ntlm ? "NTLM" : "Negotiate"; }

   ~SspiHandles() {
      end_context();
      if (has_credential) FreeCredentialsHandle(&credential);
   }

   void end_context() {
      if (has_context) DeleteSecurityContext(&context);
      has_context = false;
   }

   // `username` and `password` given: that account; none: the signed-in Windows user.
   void acquire(const std::string &username, const SecretString &password) {
      SEC_WINNT_AUTH_IDENTITY_W identity{};
      std::wstring user, domain, wide_password;
      const bool explicit_user = !password.empty();
      if (explicit_user) {
         split_user(username, user, domain);
         wide_password = widen(password.view());
         identity.User = reinterpret_cast<unsigned short *>(user.data());
         identity.UserLength = static_cast<unsigned long>(user.size());
         identity.Domain = reinterpret_cast<unsigned short *>(domain.data());
         identity.DomainLength = static_cast<unsigned long>(domain.size());
         identity.Password = reinterpret_cast<unsigned short *>(wide_password.data());
         identity.PasswordLength = static_cast<unsigned long>(wide_password.size());
         identity.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
      }
      TimeStamp expiry{};
      wchar_t package_ntlm[] = L"NTLM", package_kerberos[] = L"Kerberos";
      const SECURITY_STATUS status = AcquireCredentialsHandleW(
          nullptr, ntlm ? package_ntlm : package_kerberos, SECPKG_CRED_OUTBOUND, nullptr,
          explicit_user ? &identity : nullptr, nullptr, nullptr, &credential, &expiry);
      if (!wide_password.empty())
         SecureZeroMemory(wide_password.data(), wide_password.size() * sizeof(wchar_t));
      if (status != SEC_E_OK) fail("signing in", status, principal, shown_service);
      has_credential = true;
      // Tokens go into a buffer of ours, of the package's largest token size, rather than one SSPI
      // allocates (ISC_REQ_ALLOCATE_MEMORY), as curl does: Wine's Kerberos package fills only a
      // buffer it is given.
      PSecPkgInfoW info = nullptr;
      if (QuerySecurityPackageInfoW(ntlm ? package_ntlm : package_kerberos, &info) == SEC_E_OK && info) {
         max_token = info->cbMaxToken;
         FreeContextBuffer(info);
      }
      if (max_token == 0) max_token = 64 * 1024;  // Kerberos tokens with a large PAC stay below it
   }

   // One InitializeSecurityContext step on the server's `input` token ("" starts an exchange);
   // the output token as an Authorization value, or "" (also for an answer to no exchange: the
   // last one completed).
   SecretString step(const SecretString &input) {
      if (input.empty())
         end_context();
      else if (!has_context)
         return SecretString();
      SecBuffer in_buffer{static_cast<unsigned long>(input.size()), SECBUFFER_TOKEN,
                          const_cast<char *>(input.view().data())};
      SecBufferDesc in{SECBUFFER_VERSION, 1, &in_buffer};
      std::vector<char> token(max_token);
      const auto wipe_token = [&token] { SecureZeroMemory(token.data(), token.size()); };
      SecBuffer out_buffer{max_token, SECBUFFER_TOKEN, token.data()};
      SecBufferDesc out{SECBUFFER_VERSION, 1, &out_buffer};
      unsigned long attributes = 0;
      SECURITY_STATUS status = InitializeSecurityContextW(
          &credential, has_context ? &context : nullptr, target.data(),
          ISC_REQ_MUTUAL_AUTH | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION, 0, SECURITY_NATIVE_DREP,
          input.empty() ? nullptr : &in, 0, &context, &out, &attributes, nullptr);
      if (status == SEC_I_COMPLETE_NEEDED || status == SEC_I_COMPLETE_AND_CONTINUE) {
         CompleteAuthToken(&context, &out);
         status = status == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
      }
      if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
         wipe_token();
         end_context();
         fail(input.empty() ? "making a token for the server" : "checking the server's answer", status,
              principal, shown_service);
      }
      has_context = true;
      SecretString header;
      if (out_buffer.cbBuffer > 0 && out_buffer.cbBuffer <= token.size()) {
         const SecretString encoded = base64_encode(
             std::string_view(static_cast<const char *>(out_buffer.pvBuffer), out_buffer.cbBuffer));
         header.append(scheme());
         header.append(' ');
         header.append(encoded.view());
      }
      wipe_token();
      if (status == SEC_E_OK) end_context();  // complete: the next request starts a new exchange
      return header;
   }
};

}  // namespace

struct WindowsSignIn::State {
   WindowsSignInSettings settings;
   std::string principal;  // who signs in ("" until known: the logon session's user)
   std::string service;    // "HTTP/host", SSPI's target name
   std::shared_ptr<SspiHandles> sspi = std::make_shared<SspiHandles>();

   bool ntlm() const { return settings.mechanism == WindowsMechanism::ntlm; }
   const char *scheme() const { return ntlm() ? "NTLM" : "Negotiate"; }

   // Who SSPI waits for, in messages: the KDC of the principal's realm, or the NTLM package.
   std::string peer() const {
      if (ntlm()) return "Windows' NTLM sign-in";
      const std::size_t at = principal.rfind('@');
      return "the domain controller (Kerberos KDC)" + (at == std::string::npos
                                                           ? std::string(" of the signed-in user's domain")
                                                           : " of " + principal.substr(at + 1));
   }

   // Runs `call` on the handles on a worker, under `context`'s deadline and cancellation.
   template <class Call>
   auto in_sspi(CallContext &context, const char *waiting_for, Call call) {
      return bounded_call(context, waiting_for, peer(), [sspi = sspi, call = std::move(call)]() mutable {
         std::lock_guard<std::mutex> one_at_a_time(sspi->busy);
         return call(*sspi);
      });
   }

   SecretString step(const std::string &input_base64, CallContext &context) {
      auto input = std::make_shared<SecretString>();
      if (!input_base64.empty()) {
         std::optional<SecretString> decoded = base64_decode(input_base64);
         if (!decoded)
            throw Failure(RPA_PROTOCOL_ERROR, std::string("the server's ") + scheme() +
                                                  " answer is not base64: \"" + printable(input_base64, 60) +
                                                  "\"");
         *input = std::move(*decoded);
      }
      const char *waiting_for = ntlm()                 ? "an NTLM token"
                                : input_base64.empty() ? "a service ticket for the server"
                                                       : "the check of the server's Kerberos answer";
      return in_sspi(context, waiting_for, [input](SspiHandles &handles) { return handles.step(*input); });
   }
};

WindowsSignIn::WindowsSignIn(WindowsSignInSettings settings, const std::string &server_host,
                             CallContext &context)
    : state_(std::make_unique<State>()) {
   State &s = *state_;
   s.settings = std::move(settings);
   s.principal = s.settings.password.empty() ? std::string()
                 : s.ntlm()                  ? s.settings.username
                                             : kerberos_principal(s.settings.username);
   // SSPI names the service "HTTP/host" (as setspn lists it), GSSAPI "HTTP@host".
   std::string service = gss_service_name(s.settings.spn, server_host);
   const std::size_t at = service.find('@');
   if (at != std::string::npos) service[at] = '/';
   s.service = service;
   SspiHandles &handles = *s.sspi;  // no worker has them yet
   handles.ntlm = s.ntlm();
   handles.principal = s.principal;
   handles.shown_service = s.settings.spn.empty() ? service : s.settings.spn;
   handles.target = widen(service);
   context.host().debug(std::string("Windows sign-in: ") + (s.ntlm() ? "NTLM" : "Kerberos") +
                        " through SSPI as " +
                        (s.principal.empty() ? std::string("the signed-in Windows user") : s.principal));
   s.in_sspi(context, s.ntlm() ? "NTLM credentials" : "a Kerberos ticket for the user",
             [username = s.settings.username,
              password = std::make_shared<SecretString>(s.settings.password.clone())](SspiHandles &sspi) {
                sspi.acquire(username, *password);
             });
   if (!s.ntlm()) {
      s.step("", context);  // asks the domain for the service ticket now: a missing SPN shows at Connect
      s.in_sspi(context, "the end of the first exchange", [](SspiHandles &sspi) { sspi.end_context(); });
   }
}

WindowsSignIn::~WindowsSignIn() = default;

SecretString WindowsSignIn::start(CallContext &context) { return state_->step("", context); }

std::unique_ptr<WindowsSignIn> WindowsSignIn::negotiate(WindowsSignInSettings settings,
                                                        const std::string &server_host, CallContext &context,
                                                        const std::string &who) {
   try {
      return std::make_unique<WindowsSignIn>(settings.clone(), server_host, context);
   } catch (const KerberosUnavailable &unavailable) {
      if (settings.mechanism != WindowsMechanism::kerberos) throw;
      context.host().info(who + ": Kerberos is not possible here (" + unavailable.what() +
                          "); signing in with NTLM");
      settings.mechanism = WindowsMechanism::ntlm;
      return std::make_unique<WindowsSignIn>(std::move(settings), server_host, context);
   }
}

std::unique_ptr<WindowsSignIn> WindowsSignIn::with_ntlm(const std::string &server_host,
                                                        CallContext &context) const {
   WindowsSignInSettings settings = state_->settings.clone();
   settings.mechanism = WindowsMechanism::ntlm;
   return std::make_unique<WindowsSignIn>(std::move(settings), server_host, context);
}

SecretString WindowsSignIn::answer(const std::string &www_authenticate, CallContext &context) {
   const std::string token = authentication_token(www_authenticate, state_->scheme());
   if (token.empty()) return SecretString();
   return state_->step(token, context);
}

WindowsMechanism WindowsSignIn::mechanism() const { return state_->settings.mechanism; }
const char *WindowsSignIn::scheme() const { return state_->scheme(); }
bool WindowsSignIn::multi_leg() const { return state_->ntlm(); }

std::string WindowsSignIn::description() const {
   return std::string(state_->ntlm() ? "NTLM" : "Negotiate (Kerberos)") + " through SSPI as " +
          (state_->principal.empty() ? std::string("the signed-in Windows user") : state_->principal) +
          " for " + state_->service;
}

}  // namespace email
