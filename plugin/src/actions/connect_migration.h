// Step migration for Connect and Authorize bags (the plugin's "rpa.step-migration/1"): a step
// that reaches Exchange Online through EWS becomes a Microsoft Graph step (connection
// "microsoft365"), because Microsoft blocks EWS there since October 2026 and ends it on
// 1 April 2027 (ews/ews_retirement.h).
//
// Rewritten: connection "ews" with OAuth2 (delegated or app-only) whose endpoint is Exchange
// Online: an ews_url on an Exchange Online host, or no ews_url and a domain that means Office 365.
// Kept: session name, username, password, client_id, tenant_id, client_secret,
// client_certificate, authority, ca_file, timeout_seconds (credential references as they are);
// dropped: ews_url, domain, exchange_version; `cloud` set for national clouds. The notes name
// the Graph permission to grant.
// Left as they are, with a note saying why: on-premises endpoints (EWS lives on there), a domain
// Autodiscover resolves at run time, and Basic sign-in (Graph needs an app registration).
// Other connections: unchanged, no notes.
#pragma once

#include "actions/action.h"

namespace email {

// `schema` is Connect's: the rewritten bag is checked against it and any problem becomes a note.
StepMigration migrate_connect_bag(const ActionSchema &schema, const SecretDocument &bag);

}  // namespace email
