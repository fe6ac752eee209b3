#include "windows_sign_in/kerberos_profile.h"

#include <krb5/krb5.h>
#include <profile.h>

#include <cstdlib>
#include <cstring>

#include "net/server_endpoint.h"
#include "util/failure.h"

namespace email {

namespace {

// A NULL-terminated list in the layout profile_free_list() frees.
char **value_list(const std::vector<std::string> &values) {
   auto **list = static_cast<char **>(std::calloc(values.size() + 1, sizeof(char *)));
   if (!list) return nullptr;
   for (std::size_t i = 0; i < values.size(); ++i) list[i] = strdup(values[i].c_str());
   return list;
}

bool is(const char *const *names, std::initializer_list<const char *> wanted) {
   std::size_t i = 0;
   for (const char *name : wanted) {
      if (names[i] == nullptr || (name != nullptr && std::strcmp(names[i], name) != 0)) return false;
      ++i;
   }
   return names[i] == nullptr;
}

}  // namespace

struct KerberosProfile::Callbacks {
   static long get_values(void *data, const char *const *names, char ***values) {
      auto &self = *static_cast<KerberosProfile *>(data);
      *values = nullptr;
      if (names == nullptr || names[0] == nullptr) return PROF_NO_RELATION;
      // The lookups libkrb5 would make through the system resolver, off.
      for (const char *setting : {"dns_lookup_kdc", "dns_fallback", "dns_lookup_realm", "dns_uri_lookup"})
         if (is(names, {"libdefaults", setting})) {
            *values = value_list({"false"});
            return *values ? 0 : ENOMEM;
         }
      if (is(names, {"realms", nullptr, "kdc"})) {
         try {
            std::vector<std::string> kdcs;
            for (const KdcAddress &kdc : self.kdcs_of(names[1]))
               kdcs.push_back(endpoint_label(kdc.host, kdc.port));
            *values = value_list(kdcs);
            return *values ? 0 : ENOMEM;
         } catch (const KdcUnreachable &unreachable) {
            self.why_no_kdc_ = unreachable.what();
         } catch (...) {
            self.keep_failure(std::current_exception());
         }
         return PROF_NO_RELATION;
      }
      return profile_get_values(self.machine_, names, values);
   }

   static void free_values(void *, char **values) { profile_free_list(values); }

   static long iterator_create(void *data, const char *const *names, int flags, void **iterator) {
      return profile_iterator_create(static_cast<KerberosProfile *>(data)->machine_,
                                     const_cast<const char **>(names), flags, iterator);
   }
   static long iterator(void *, void *state, char **name, char **value) {
      return profile_iterator(&state, name, value);
   }
   static void iterator_free(void *, void *state) { profile_iterator_free(&state); }
   static void free_string(void *, char *string) { profile_release_string(string); }
};

KerberosProfile::KerberosProfile() {
   krb5_context plain = nullptr;
   krb5_error_code code = krb5_init_context(&plain);
   if (code == 0) code = krb5_get_profile(plain, &machine_);
   if (plain) krb5_free_context(plain);
   if (code != 0)
      throw Failure(RPA_INTERNAL,
                    "Windows sign-in: the Kerberos configuration (krb5.conf) cannot be read (error " +
                        std::to_string(code) + ")");
   static profile_vtable vtable = [] {
      profile_vtable table{};
      table.minor_ver = 1;
      table.get_values = &Callbacks::get_values;
      table.free_values = &Callbacks::free_values;
      table.iterator_create = &Callbacks::iterator_create;
      table.iterator = &Callbacks::iterator;
      table.iterator_free = &Callbacks::iterator_free;
      table.free_string = &Callbacks::free_string;
      return table;
   }();
   if (profile_init_vtable(&vtable, this, &view_) != 0) {
      profile_release(machine_);
      throw Failure(RPA_INTERNAL, "Windows sign-in: cannot set up the Kerberos configuration");
   }
}

KerberosProfile::~KerberosProfile() {
   if (view_) profile_release(view_);
   if (machine_) profile_release(machine_);
}

const std::vector<KdcAddress> &KerberosProfile::kdcs_of(const std::string &realm) {
   auto found = located_.find(realm);
   if (found != located_.end()) return found->second;
   std::vector<std::string> configured;
   const char *names[] = {"realms", realm.c_str(), "kdc", nullptr};
   char **values = nullptr;
   if (profile_get_values(machine_, names, &values) == 0) {
      for (char **value = values; *value; ++value) configured.emplace_back(*value);
      profile_free_list(values);
   }
   int dns_lookup = 1;
   profile_get_boolean(machine_, "libdefaults", "dns_lookup_kdc", nullptr, 1, &dns_lookup);
   if (call_ == nullptr) throw Failure(RPA_INTERNAL, "Windows sign-in: a KDC lookup outside a call");
   return located_[realm] = locate_kdcs(realm, configured, dns_lookup != 0, *call_);
}

}  // namespace email
