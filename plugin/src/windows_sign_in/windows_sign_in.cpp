#include "windows_sign_in/windows_sign_in.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

#include <cstring>
#include <optional>

#include "http/www_authenticate.h"
#include "net/sigpipe_guard.h"
#include "windows_sign_in/gss_names.h"
#include "windows_sign_in/kerberos_failure.h"
#include "windows_sign_in/kerberos_tickets.h"
#include "util/failure.h"
#include "util/lazy_library.h"
#include "util/text.h"

namespace email {

namespace {

std::string display_status(OM_uint32 code, int type, gss_OID mech) {
   std::string text;
   OM_uint32 minor = 0, context = 0;
   do {
      gss_buffer_desc part = GSS_C_EMPTY_BUFFER;
      if (GSS_ERROR(gss_display_status(&minor, code, type, mech, &context, &part))) break;
      if (!text.empty()) text += "; ";
      text.append(static_cast<const char *>(part.value), part.length);
      gss_release_buffer(&minor, &part);
   } while (context != 0);
   return text;
}

// A failed GSSAPI call, in Windows terms (the minor status is the mechanism's own code: krb5's or
// gss-ntlmssp's).
[[noreturn]] void fail(const char *doing, OM_uint32 major, OM_uint32 minor, const std::string &user,
                       const std::string &service) {
   const std::string detail =
       display_status(major, GSS_C_GSS_CODE, GSS_C_NO_OID) +
       (minor ? " (" + display_status(minor, GSS_C_MECH_CODE, GSS_C_NO_OID) + ")" : "");
   throw_kerberos_failure(doing, static_cast<krb5_error_code>(minor), detail, user, service);
}

}  // namespace

struct WindowsSignIn::State {
   WindowsSignInSettings settings;
   std::string principal;                     // who signs in
   std::string service;                       // "HTTP@host"
   std::unique_ptr<KerberosTickets> tickets;  // Kerberos: the cache GSSAPI makes tokens from
   gss_cred_id_t credential = GSS_C_NO_CREDENTIAL;
   gss_name_t target = GSS_C_NO_NAME;
   gss_ctx_id_t context = GSS_C_NO_CONTEXT;

   bool ntlm() const { return settings.mechanism == WindowsMechanism::ntlm; }
   gss_OID mechanism() const { return ntlm() ? &gss_names::ntlm_mechanism : &gss_names::kerberos_mechanism; }
   const char *scheme() const { return ntlm() ? "NTLM" : "Negotiate"; }

   ~State() {
      release_credential();
      OM_uint32 minor = 0;
      if (target != GSS_C_NO_NAME) gss_release_name(&minor, &target);
   }

   void release_credential() {
      OM_uint32 minor = 0;
      if (context != GSS_C_NO_CONTEXT) gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
      context = GSS_C_NO_CONTEXT;
      if (credential != GSS_C_NO_CREDENTIAL) gss_release_cred(&minor, &credential);
      credential = GSS_C_NO_CREDENTIAL;
   }

   // Kerberos: the service ticket into the tickets' cache (through the plugin's KDC exchange), the
   // target named as the ticket names it, and the GSSAPI credential from that cache: GSSAPI then
   // finds the ticket there and asks no KDC itself.
   void fetch_ticket(CallContext &call) {
      const std::size_t at = service.find('@');
      const std::string server = tickets->fetch_service_ticket(service.substr(0, at), service.substr(at + 1),
                                                               spn_realm(settings.spn), call);
      release_credential();
      OM_uint32 minor = 0;
      if (target != GSS_C_NO_NAME) gss_release_name(&minor, &target);
      gss_buffer_desc name{server.size(), const_cast<char *>(server.data())};
      OM_uint32 major = gss_import_name(&minor, &name, &gss_names::kerberos_principal, &target);
      if (GSS_ERROR(major)) fail("naming the service", major, minor, principal, shown_service());
      const std::string &cache = tickets->cache_name();
      gss_key_value_element_desc element{"ccache", cache.c_str()};
      gss_key_value_set_desc store{1, &element};
      gss_OID_set_desc mechs{1, mechanism()};
      major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &store,
                                    &credential, nullptr, nullptr);
      if (GSS_ERROR(major)) fail("using the tickets", major, minor, principal, shown_service());
   }

   std::string shown_service() const { return settings.spn.empty() ? service : settings.spn; }

   // One gss_init_sec_context step; the output token as an Authorization value, or "".
   SecretString step(const std::string &input_base64) {
      OM_uint32 minor = 0;
      SecretString input;
      if (!input_base64.empty()) {
         std::optional<SecretString> decoded = base64_decode(input_base64);
         if (!decoded)
            throw Failure(RPA_PROTOCOL_ERROR, "the server's Negotiate answer is not base64: \"" +
                                                  printable(input_base64, 60) + "\"");
         input = std::move(*decoded);
      }
      gss_buffer_desc in{input.size(), const_cast<char *>(input.view().data())};
      gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
      OM_uint32 flags = 0;
      // GSSAPI may ask a KDC itself for a ticket our cache lacks, through libkrb5's own sockets,
      // which write with writev(2): the one place left where SIGPIPE could reach the host.
      const SigpipeGuard no_sigpipe;
      const OM_uint32 major = gss_init_sec_context(
          &minor, credential, &context, target, mechanism(), GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG, 0,
          GSS_C_NO_CHANNEL_BINDINGS, input.empty() ? GSS_C_NO_BUFFER : &in, nullptr, &out, &flags, nullptr);
      if (GSS_ERROR(major)) {
         OM_uint32 ignored = 0;  // `minor` says why the step failed: kept for the message
         if (context != GSS_C_NO_CONTEXT) gss_delete_sec_context(&ignored, &context, GSS_C_NO_BUFFER);
         fail(input.empty() ? "making a token for the server" : "checking the server's answer", major, minor,
              principal, shown_service());
      }
      SecretString header;
      if (out.length > 0) {
         SecretString token(std::string_view(static_cast<const char *>(out.value), out.length));
         const SecretString encoded = base64_encode(token.view());
         header.append(scheme());
         header.append(' ');
         header.append(encoded.view());
      }
      gss_release_buffer(&minor, &out);
      if (!(major & GSS_S_CONTINUE_NEEDED) && context != GSS_C_NO_CONTEXT) {
         // Complete: this exchange is over; the next request starts a new one.
         gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
         context = GSS_C_NO_CONTEXT;
      }
      return header;
   }
};

WindowsSignIn::WindowsSignIn(WindowsSignInSettings settings, const std::string &server_host,
                             CallContext &context)
    : state_(std::make_unique<State>()) {
   const std::string unloadable = load_kerberos();  // on Linux, loaded on first use
   if (!unloadable.empty())
      throw Failure(RPA_UNSUPPORTED, "Windows sign-in is not possible here: " + unloadable);
   State &s = *state_;
   s.settings = std::move(settings);
   // NTLM names the user as given (DOMAIN\user); Kerberos as its principal (user@REALM).
   s.principal = s.ntlm() ? s.settings.username : kerberos_principal(s.settings.username);
   s.service = gss_service_name(s.settings.spn, server_host);
   if (!s.ntlm()) {
      if (s.settings.password.empty())
         context.host().debug("Windows sign-in: looking for the runner's Kerberos ticket cache");
      else
         context.host().debug("Windows sign-in: getting a Kerberos ticket for " + s.principal);
      s.tickets =
          std::make_unique<KerberosTickets>(s.principal, s.settings.password, s.shown_service(), context);
      if (s.settings.password.empty()) {
         s.principal = s.tickets->principal();
         context.host().debug("Windows sign-in: using the ticket cache of " + s.principal);
      }
      s.fetch_ticket(context);  // a missing SPN shows at Connect
      return;
   }
   if (s.settings.password.empty())
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid properties: password is required for auth_type \"ntlm\" (NTLM has no ticket "
                    "cache; use \"negotiate\" for the runner's Kerberos tickets)");
   OM_uint32 minor = 0;
   gss_buffer_desc service{s.service.size(), const_cast<char *>(s.service.data())};
   OM_uint32 major = gss_import_name(&minor, &service, &gss_names::host_based_service, &s.target);
   if (GSS_ERROR(major)) fail("naming the service", major, minor, s.principal, s.service);
   gss_name_t user = GSS_C_NO_NAME;
   gss_buffer_desc name{s.principal.size(), const_cast<char *>(s.principal.data())};
   major = gss_import_name(&minor, &name, &gss_names::user_name, &user);
   if (GSS_ERROR(major)) fail("naming the user", major, minor, s.principal, s.service);
   // NUL-terminated as well: gss-ntlmssp reads the buffer as a C string, whatever its length.
   const SecretString terminated = s.settings.password.c_string();
   gss_buffer_desc password{s.settings.password.size(), const_cast<char *>(terminated.data())};
   gss_OID_set_desc mechs{1, s.mechanism()};
   major = gss_acquire_cred_with_password(&minor, user, &password, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
                                          &s.credential, nullptr, nullptr);
   OM_uint32 ignored = 0;
   gss_release_name(&ignored, &user);
   if (GSS_ERROR(major)) fail("signing in", major, minor, s.principal, s.service);
}

WindowsSignIn::~WindowsSignIn() = default;

SecretString WindowsSignIn::start(CallContext &context) {
   OM_uint32 minor = 0;
   if (state_->context != GSS_C_NO_CONTEXT) gss_delete_sec_context(&minor, &state_->context, GSS_C_NO_BUFFER);
   state_->context = GSS_C_NO_CONTEXT;
   // A service ticket about to run out is fetched again here, under this call's time, rather than
   // by GSSAPI on libkrb5's own terms.
   if (state_->tickets && state_->tickets->service_ticket_expires_within(std::chrono::minutes(5))) {
      context.host().debug("Windows sign-in: the ticket for " + state_->shown_service() +
                           " runs out within 5 minutes; getting a new one");
      state_->fetch_ticket(context);
   }
   return state_->step("");
}

std::unique_ptr<WindowsSignIn> WindowsSignIn::negotiate(WindowsSignInSettings settings,
                                                        const std::string &server_host, CallContext &context,
                                                        const std::string &who) {
   try {
      return std::make_unique<WindowsSignIn>(settings.clone(), server_host, context);
   } catch (const KerberosUnavailable &unavailable) {
      if (settings.mechanism != WindowsMechanism::kerberos || settings.password.empty()) throw;
      context.host().info(who + ": Kerberos is not possible here (" + unavailable.what() +
                          "); signing in with NTLM");
      settings.mechanism = WindowsMechanism::ntlm;
      return std::make_unique<WindowsSignIn>(std::move(settings), server_host, context);
   }
}

std::unique_ptr<WindowsSignIn> WindowsSignIn::with_ntlm(const std::string &server_host,
                                                        CallContext &context) const {
   if (state_->settings.password.empty()) return nullptr;
   WindowsSignInSettings settings = state_->settings.clone();
   settings.mechanism = WindowsMechanism::ntlm;
   return std::make_unique<WindowsSignIn>(std::move(settings), server_host, context);
}

SecretString WindowsSignIn::answer(const std::string &www_authenticate, CallContext &) {
   const std::string token = authentication_token(www_authenticate, state_->scheme());
   if (token.empty() || state_->context == GSS_C_NO_CONTEXT) return SecretString();
   return state_->step(token);
}

WindowsMechanism WindowsSignIn::mechanism() const { return state_->settings.mechanism; }
const char *WindowsSignIn::scheme() const { return state_->scheme(); }
bool WindowsSignIn::multi_leg() const { return state_->ntlm(); }

std::string WindowsSignIn::description() const {
   return std::string(state_->ntlm() ? "NTLM" : "Negotiate (Kerberos)") + " as " + state_->principal +
          " for " + state_->service;
}

}  // namespace email
