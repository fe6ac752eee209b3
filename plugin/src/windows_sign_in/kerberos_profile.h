// KerberosProfile: krb5.conf as the plugin's krb5 context sees it (windows_sign_in/kerberos_tickets.h). It is
// the machine's (KRB5_CONFIG or /etc/krb5.conf), with every DNS lookup libkrb5 would make itself —
// through the blocking system resolver, past the call's timeout — turned off: a realm's KDCs are
// its `kdc` lines or, where it has none and dns_lookup_kdc is not false, the SRV records the plugin
// looks up through c-ares (windows_sign_in/kdc_exchange.h); a host's realm comes from [domain_realm] or a
// referral (no TXT lookups: dns_lookup_realm is read as false); no URI records.
//
// libkrb5 asks the profile while it works (a profile_init_vtable back end); what the lookups meet
// that must not pass through C code (a timeout, a cancellation) is kept and taken by the caller
// after the library call returns.
#pragma once

#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "windows_sign_in/kdc_exchange.h"
#include "net/call_context.h"

struct _profile_t;

namespace email {

class KerberosProfile {
 public:
   // Reads the machine's krb5.conf. Throws Failure(internal) when it cannot be read.
   KerberosProfile();
   ~KerberosProfile();
   KerberosProfile(const KerberosProfile &) = delete;
   KerberosProfile &operator=(const KerberosProfile &) = delete;

   // The profile to make a krb5 context from (krb5_init_context_profile); this object must outlive
   // every context made from it.
   _profile_t *profile() const { return view_; }

   // The call whose time and cancellation the lookups (and windows_sign_in/kerberos_tickets.h's KDC hook) work
   // under, around each library call; nullptr between calls.
   void set_call(CallContext *call) { call_ = call; }
   CallContext *call() const { return call_; }
   // What a lookup or the KDC hook met that is not the library's to report (timeout, cancelled):
   // kept (the first one) and taken once after the library returns.
   void keep_failure(std::exception_ptr failure) {
      if (!failure_) failure_ = std::move(failure);
   }
   std::exception_ptr take_failure() { return std::exchange(failure_, nullptr); }
   // Why the last realm without KDCs has none ("none of the realm R was found: ..."), or "".
   const std::string &why_no_kdc() const { return why_no_kdc_; }

   // The KDCs of `realm`, located once per realm (krb5.conf's kdc lines, else DNS SRV). Throws
   // KdcUnreachable when there are none, timeout/cancelled through the call.
   const std::vector<KdcAddress> &kdcs_of(const std::string &realm);

   struct Callbacks;  // the vtable's functions

 private:
   _profile_t *machine_ = nullptr;  // the machine's krb5.conf, read as it is
   _profile_t *view_ = nullptr;     // what libkrb5 reads (the vtable)
   CallContext *call_ = nullptr;
   std::exception_ptr failure_;
   std::string why_no_kdc_;
   std::map<std::string, std::vector<KdcAddress>> located_;
};

}  // namespace email
