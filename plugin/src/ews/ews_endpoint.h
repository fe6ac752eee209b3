// Where a mailbox's EWS lives (the Connect action's "Optional: Domain name" rules):
//   ews_url given                         -> that URL (https only, checked by the schema)
//   domain blank or smtp.office365.com    -> Office 365: https://outlook.office365.com/EWS/Exchange.asmx
//   a company DNS domain                  -> Autodiscover (ews/autodiscover.h) from that domain
//   another name (a Windows domain such   -> Autodiscover from the domain part of username
//   as CONTOSO)
#pragma once

#include <string>

namespace email {

inline constexpr const char *kOffice365EwsUrl = "https://outlook.office365.com/EWS/Exchange.asmx";

// Whether the Domain name field means Office 365 (blank, smtp.office365.com, ...).
bool means_office365(const std::string &domain);

// Whether `host` is Exchange Online (outlook.office365.com, outlook.office.com, ..., and the
// national clouds' outlook.office365.us, webmail.apps.mil, partner.outlook.cn), where Microsoft is
// retiring EWS.
bool is_exchange_online_host(const std::string &host);
// The Connect `cloud` of an Exchange Online host ("global", "usgov", "usgov_dod", "china"), or ""
// for any other host.
std::string exchange_online_cloud(const std::string &host);

// "https://host[:port]" of an absolute URL (the OAuth2 resource of an EWS endpoint).
std::string url_origin(const std::string &url);
std::string url_host(const std::string &url);

}  // namespace email
