#include "host/host_services.h"

#include <cstddef>

#include "rpa/ext/browser.h"
#include "rpa/ext/cancel_signal.h"
#include "rpa/ext/log_level.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {
std::string describe(const CredentialRef &ref) {
   return "locker \"" + printable(ref.locker, 100) + "\", credential \"" + printable(ref.name, 100) +
          "\", attribute \"" + printable(ref.attribute, 100) + "\"";
}
}  // namespace

namespace {
const rpa_host_log_level *log_level_of(const rpa_host_services *services) {
   const auto *level =
       static_cast<const rpa_host_log_level *>(RPA_HOST_EXTENSION(services, RPA_EXT_LOG_LEVEL));
   const bool complete =
       level && level->struct_size >= offsetof(rpa_host_log_level, lowest_kept) + sizeof(level->lowest_kept);
   return complete && level->lowest_kept ? level : nullptr;
}
}  // namespace

HostServices::HostServices(const rpa_host_services *services)
    : services_(services), log_level_(log_level_of(services)) {}

bool HostServices::logs(rpa_log_level level) const {
   if (!RPA_HOST_HAS(services_, log)) return false;
   return !log_level_ || level >= log_level_->lowest_kept(services_->host_data);
}

void HostServices::log(rpa_log_level level, const std::string &message) const {
   if (logs(level)) services_->log(services_->host_data, level, message.c_str());
}

void HostServices::log_asked(rpa_log_level level, const std::string &message) const {
   if (RPA_HOST_HAS(services_, log)) services_->log(services_->host_data, level, message.c_str());
}

bool HostServices::cancelled() const {
   return RPA_HOST_HAS(services_, is_cancelled) && services_->is_cancelled(services_->host_data);
}

bool HostServices::has_vault() const { return RPA_HOST_HAS(services_, vault_get); }
bool HostServices::can_store_secrets() const { return RPA_HOST_HAS(services_, vault_put); }

SecretString HostServices::vault_get(const CredentialRef &ref, const std::string &field) const {
   const std::string where = describe(ref);
   if (!has_vault())
      throw Failure(RPA_UNSUPPORTED, field + ": this host has no Credential Vault to read " + where);
   SecretString secret;
   secret.reserve(256);
   for (int attempt = 0; attempt < 2; ++attempt) {
      std::size_t size = 0;
      rpa_status status =
          services_->vault_get(services_->host_data, ref.locker.c_str(), ref.name.c_str(),
                               ref.attribute.c_str(), secret.mutable_data(), secret.capacity(), &size);
      if (status == RPA_OK && size <= secret.capacity()) {
         secret.resize_within_capacity(size);
         return secret;
      }
      if (status == RPA_BUFFER_TOO_SMALL && attempt == 0) {
         secret = SecretString();
         secret.reserve(size + 1);
         continue;
      }
      if (status == RPA_CREDENTIAL_NOT_FOUND)
         throw Failure(RPA_CREDENTIAL_NOT_FOUND, field + ": the Credential Vault has nothing at " + where);
      throw Failure(
          status == RPA_OK ? RPA_INTERNAL : status,
          field + ": the Credential Vault could not read " + where + " (" + rpa_status_name(status) + ")");
   }
   throw Failure(RPA_INTERNAL, field + ": the Credential Vault kept changing size for " + where);
}

void HostServices::vault_put(const CredentialRef &ref, std::string_view secret) const {
   const std::string where = describe(ref);
   if (!can_store_secrets())
      throw Failure(RPA_UNSUPPORTED,
                    "this host cannot store secrets in its Credential Vault (no "
                    "vault_put service), so the sign-in cannot be remembered at " +
                        where);
   rpa_status status = services_->vault_put(services_->host_data, ref.locker.c_str(), ref.name.c_str(),
                                            ref.attribute.c_str(), secret.data(), secret.size());
   if (status != RPA_OK)
      throw Failure(status,
                    "the Credential Vault could not store " + where + " (" + rpa_status_name(status) + ")");
}

namespace {
const rpa_host_browser *browser_of(const rpa_host_services *services) {
   const auto *browser = static_cast<const rpa_host_browser *>(RPA_HOST_EXTENSION(services, RPA_EXT_BROWSER));
   return browser && browser->open_url ? browser : nullptr;
}
}  // namespace

namespace {
const rpa_host_cancel_signal *cancel_signal_of(const rpa_host_services *services) {
   const auto *signal =
       static_cast<const rpa_host_cancel_signal *>(RPA_HOST_EXTENSION(services, RPA_EXT_CANCEL_SIGNAL));
   const bool complete = signal && signal->struct_size >= offsetof(rpa_host_cancel_signal, unsubscribe) +
                                                              sizeof(signal->unsubscribe);
   return complete && signal->subscribe && signal->unsubscribe ? signal : nullptr;
}
}  // namespace

std::uint64_t HostServices::subscribe_cancel(void (*notify)(void *context), void *context) const {
   const rpa_host_cancel_signal *signal = cancel_signal_of(services_);
   return signal ? signal->subscribe(services_->host_data, notify, context) : 0;
}

void HostServices::unsubscribe_cancel(std::uint64_t token) const {
   if (const rpa_host_cancel_signal *signal = cancel_signal_of(services_))
      signal->unsubscribe(services_->host_data, token);
}

bool HostServices::can_open_url() const { return browser_of(services_) != nullptr; }

void HostServices::open_url(const std::string &url) const {
   const rpa_host_browser *browser = browser_of(services_);
   if (!browser)
      throw Failure(RPA_UNSUPPORTED, "this host cannot open a browser (no " RPA_EXT_BROWSER " extension)");
   rpa_status status = browser->open_url(services_->host_data, url.c_str());
   if (status != RPA_OK)
      throw Failure(status, std::string("the host could not open a browser for the sign-in page (") +
                                rpa_status_name(status) + ")");
}

}  // namespace email
