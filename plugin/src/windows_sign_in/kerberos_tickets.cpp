#include "windows_sign_in/kerberos_tickets.h"

#include <krb5/krb5.h>

#include <ctime>
#include <exception>
#include <vector>

#include "windows_sign_in/kdc_exchange.h"
#include "windows_sign_in/kerberos_failure.h"
#include "windows_sign_in/kerberos_profile.h"

namespace email {

struct KerberosTickets::State {
   KerberosProfile profile;  // outlives the context made from it
   krb5_context library = nullptr;
   krb5_ccache cache = nullptr;
   bool own_cache = false;  // a MEMORY cache of ours (destroyed), or the runner's (closed)
   krb5_principal client = nullptr;
   std::string principal;
   std::string cache_name;
   std::string service;  // for messages
   SecretString password;
   krb5_timestamp initial_ticket_ends = 0;
   krb5_timestamp service_ticket_ends = 0;

   ~State() {
      if (client) krb5_free_principal(library, client);
      if (cache) own_cache ? krb5_cc_destroy(library, cache) : krb5_cc_close(library, cache);
      if (library) krb5_free_context(library);
   }

   std::string library_message(krb5_error_code code) const {
      const char *text = krb5_get_error_message(library, code);
      std::string message = text ? text : "Kerberos error " + std::to_string(code);
      krb5_free_error_message(library, text);
      return message;
   }

   // Before a library call that may reach a KDC: the call its lookups and exchanges work under.
   void under(CallContext &context) { profile.set_call(&context); }

   // After a library call: rethrows what the KDC lookups or the hook met, else maps a failure code
   // (a realm without KDCs says why, in the plugin's words).
   void check(krb5_error_code code, const char *doing) {
      profile.set_call(nullptr);
      if (std::exception_ptr failure = profile.take_failure()) std::rethrow_exception(failure);
      if (code == 0) return;
      const bool no_kdc = code == KRB5_REALM_CANT_RESOLVE || code == KRB5_REALM_UNKNOWN;
      throw_kerberos_failure(
          doing, code, no_kdc && !profile.why_no_kdc().empty() ? profile.why_no_kdc() : library_message(code),
          principal, service);
   }

   // krb5_set_kdc_send_hook: answers every KDC message through windows_sign_in/kdc_exchange.h. Nothing may
   // be thrown through the library: a KDC not reached becomes KRB5_KDC_UNREACH with the reason as
   // the library's message; the call's timeout or cancellation is kept and rethrown by check().
   static krb5_error_code KRB5_CALLCONV send_to_kdc(krb5_context library, void *data, const krb5_data *realm,
                                                    const krb5_data *message, krb5_data **,
                                                    krb5_data **reply_out) {
      KerberosProfile &profile = static_cast<State *>(data)->profile;
      CallContext *call = profile.call();
      if (call == nullptr) return KRB5_KDC_UNREACH;  // never: every library call sets it
      try {
         const std::string realm_name(realm->data, realm->length);
         const std::string reply = exchange_with_kdc(realm_name, profile.kdcs_of(realm_name),
                                                     std::string(message->data, message->length), *call);
         krb5_data wrapped{};
         wrapped.magic = KV5M_DATA;
         wrapped.length = static_cast<unsigned>(reply.size());
         wrapped.data = const_cast<char *>(reply.data());
         return krb5_copy_data(library, &wrapped, reply_out);
      } catch (const KdcUnreachable &unreachable) {
         krb5_set_error_message(library, KRB5_KDC_UNREACH, "%s", unreachable.what());
         return KRB5_KDC_UNREACH;
      } catch (...) {
         profile.keep_failure(std::current_exception());
         return KRB5_KDC_UNREACH;
      }
   }

   // The AS exchange with the password, into our MEMORY cache (emptied first).
   void sign_in(CallContext &context) {
      const SecretString terminated = password.c_string();  // the library takes a C string
      krb5_get_init_creds_opt *options = nullptr;
      krb5_error_code code = krb5_get_init_creds_opt_alloc(library, &options);
      if (code == 0) code = krb5_get_init_creds_opt_set_out_ccache(library, options, cache);
      krb5_creds creds{};
      under(context);
      if (code == 0)
         code = krb5_get_init_creds_password(library, &creds, client, terminated.data(), nullptr, nullptr, 0,
                                             nullptr, options);
      if (code == 0) initial_ticket_ends = creds.times.endtime;
      krb5_free_cred_contents(library, &creds);
      if (options) krb5_get_init_creds_opt_free(library, options);
      check(code, "signing in");
   }
};

KerberosTickets::KerberosTickets(const std::string &principal, const SecretString &password,
                                 const std::string &service, CallContext &context)
    : state_(std::make_unique<State>()) {
   State &s = *state_;
   s.principal = principal;
   s.service = service;
   s.password = password.clone();
   krb5_error_code code = krb5_init_context_profile(s.profile.profile(), 0, &s.library);
   if (code != 0)
      throw Failure(RPA_INTERNAL, "Windows sign-in: the Kerberos library cannot start (error " +
                                      std::to_string(code) + "; check krb5.conf)");
   krb5_set_kdc_send_hook(s.library, &State::send_to_kdc, &s);

   if (!s.password.empty()) {
      s.check(krb5_parse_name(s.library, principal.c_str(), &s.client), "naming the user");
      s.check(krb5_cc_new_unique(s.library, "MEMORY", nullptr, &s.cache), "making a ticket cache");
      s.own_cache = true;
      s.sign_in(context);
   } else {
      s.check(krb5_cc_default(s.library, &s.cache), "finding the ticket cache");
      s.check(krb5_cc_get_principal(s.library, s.cache, &s.client), "finding the ticket cache");
      char *name = nullptr;
      if (krb5_unparse_name(s.library, s.client, &name) == 0) {
         s.principal = name;
         krb5_free_unparsed_name(s.library, name);
      }
   }
   char *full_name = nullptr;
   s.check(krb5_cc_get_full_name(s.library, s.cache, &full_name), "naming the ticket cache");
   s.cache_name = full_name;
   krb5_free_string(s.library, full_name);
}

KerberosTickets::~KerberosTickets() = default;

std::string KerberosTickets::fetch_service_ticket(const std::string &service_type, const std::string &host,
                                                  const std::string &service_realm, CallContext &context) {
   State &s = *state_;
   krb5_timestamp now = 0;
   krb5_timeofday(s.library, &now);
   if (s.own_cache && s.initial_ticket_ends != 0 && s.initial_ticket_ends - now < 300) s.sign_in(context);

   // The realm of the host from [domain_realm]; "" (a referral: the user's KDC says) without one.
   std::string realm = service_realm;
   char **realms = nullptr;
   if (realm.empty() && krb5_get_host_realm(s.library, host.c_str(), &realms) == 0) {
      if (realms && realms[0]) realm = realms[0];
      krb5_free_host_realm(s.library, realms);
   }
   krb5_principal server = nullptr;
   s.check(krb5_build_principal(s.library, &server, static_cast<unsigned>(realm.size()), realm.c_str(),
                                service_type.c_str(), host.c_str(), nullptr),
           "naming the service");
   server->type = KRB5_NT_SRV_HST;
   krb5_creds wanted{};
   wanted.client = s.client;
   wanted.server = server;
   if (s.service_ticket_ends != 0) {
      // Fetching again (it runs out soon): the kept ticket would be handed back while it is still
      // valid at all, so it goes first (with its copy under the referral name, whatever the realm).
      krb5_cc_remove_cred(s.library, s.cache, KRB5_TC_MATCH_SRV_NAMEONLY, &wanted);
   }
   krb5_creds *got = nullptr;
   s.under(context);
   const krb5_error_code code = krb5_get_credentials(s.library, 0, s.cache, &wanted, &got);
   krb5_free_principal(s.library, server);
   s.check(code, "getting a ticket for the server");
   std::string name;
   char *unparsed = nullptr;
   const krb5_error_code named = krb5_unparse_name(s.library, got->server, &unparsed);
   if (named == 0) {
      name = unparsed;
      krb5_free_unparsed_name(s.library, unparsed);
   }
   s.service_ticket_ends = got->times.endtime;
   krb5_free_creds(s.library, got);
   s.check(named, "naming the service");
   return name;
}

bool KerberosTickets::service_ticket_expires_within(std::chrono::seconds margin) const {
   krb5_timestamp now = 0;
   krb5_timeofday(state_->library, &now);
   return state_->service_ticket_ends - now < margin.count();
}

const std::string &KerberosTickets::principal() const { return state_->principal; }
const std::string &KerberosTickets::cache_name() const { return state_->cache_name; }

}  // namespace email
