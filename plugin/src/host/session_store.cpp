#include "host/session_store.h"

#include "util/failure.h"

namespace email {

namespace {
const rpa_host_services &store(const HostServices &host) {
   const rpa_host_services *raw = host.raw();
   if (!RPA_HOST_HAS(raw, session_put) || !RPA_HOST_HAS(raw, session_get) ||
       !RPA_HOST_HAS(raw, session_remove))
      throw Failure(RPA_UNSUPPORTED, "this host has no session store");
   return *raw;
}

Failure name_in_use(const std::string &name) {
   return Failure(RPA_SESSION_NAME_IN_USE, "the session name \"" + name +
                                               "\" is already in use; disconnect it first or "
                                               "choose another session name");
}
}  // namespace

void require_free_session_name(const HostServices &host, const std::string &name) {
   const rpa_host_services &services = store(host);
   const rpa_session_handle *existing = nullptr;
   rpa_status status = services.session_get(services.host_data, name.c_str(), "", 0, &existing);
   if (existing) existing->release(existing);
   if (status != RPA_SESSION_NOT_FOUND) throw name_in_use(name);
}

void put_session(const HostServices &host, const std::string &name, const rpa_session_handle *session) {
   const rpa_host_services &services = store(host);
   rpa_status status = services.session_put(services.host_data, name.c_str(), session);
   if (status == RPA_SESSION_NAME_IN_USE) throw name_in_use(name);
   if (status != RPA_OK) throw Failure(status, "the host could not store the session \"" + name + "\"");
}

SessionReference get_email_session(const HostServices &host, const std::string &name) {
   const rpa_host_services &services = store(host);
   const rpa_session_handle *handle = nullptr;
   rpa_status status = services.session_get(services.host_data, name.c_str(), RPA_EMAIL_SESSION_INTERFACE,
                                            RPA_EMAIL_SESSION_REVISION, &handle);
   SessionReference reference(status == RPA_OK ? handle : nullptr);
   if (status == RPA_SESSION_NOT_FOUND)
      throw Failure(RPA_SESSION_NOT_FOUND,
                    "there is no session named \"" + name + "\"; run Connect with that session name first");
   if (status != RPA_OK || !rpa_email_session_is_compatible(reference.email()))
      throw Failure(RPA_UNSUPPORTED, "the session \"" + name + "\" is not an email session");
   return reference;
}

void remove_session(const HostServices &host, const std::string &name) {
   const rpa_host_services &services = store(host);
   rpa_status status = services.session_remove(services.host_data, name.c_str());
   if (status == RPA_SESSION_NOT_FOUND)
      throw Failure(RPA_SESSION_NOT_FOUND, "there is no session named \"" + name + "\"");
}

}  // namespace email
