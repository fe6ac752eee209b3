#include "actions/connect_migration.h"

#include "ews/ews_endpoint.h"
#include "ews/ews_retirement.h"

namespace email {

namespace {

std::string text_of(const SecretDocument &bag, const char *name, const char *fallback = "") {
   auto found = bag.FindMember(name);
   return found != bag.MemberEnd() && found->value.IsString() ? found->value.GetString() : fallback;
}

}  // namespace

StepMigration migrate_connect_bag(const ActionSchema &schema, const SecretDocument &bag) {
   StepMigration migration;
   if (!bag.IsObject() || text_of(bag, "connection") != "ews") return migration;

   std::string cloud;
   if (bag.HasMember("ews_url")) {
      const std::string url = text_of(bag, "ews_url");
      std::string host;
      try {
         host = url_host(url);
      } catch (const std::exception &) {
         host.clear();
      }
      cloud = exchange_online_cloud(host);
      if (cloud.empty()) {
         migration.notes.push_back("left as it is: ews_url \"" + url +
                                   "\" is not Exchange Online; on-premises Exchange keeps EWS");
         return migration;
      }
   } else {
      const std::string domain = text_of(bag, "domain");
      if (!means_office365(domain)) {
         migration.notes.push_back(
             "left as it is: domain \"" + domain +
             "\" is resolved by Autodiscover when the bot runs, so whether the mailbox is in Exchange Online "
             "is known only then; if Connect warns that EWS is retiring there, set connection "
             "\"microsoft365\" by hand");
         return migration;
      }
      cloud = "global";
   }

   const std::string auth = text_of(bag, "auth_type", "basic");
   if (auth != "oauth2" && auth != "oauth2_app") {
      migration.notes.push_back(
          "left as it is: it signs in with a password (auth_type \"" + auth +
          "\"), which Exchange Online no longer accepts for EWS and Microsoft Graph never did. Register an "
          "app in Microsoft Entra ID with " +
          graph_permission_for(EwsSignIn::delegated) +
          ", then set connection \"microsoft365\", auth_type \"oauth2\", client_id and tenant_id");
      return migration;
   }

   SecretDocument &rewritten = migration.properties;
   rewritten.SetObject();
   auto &allocator = rewritten.GetAllocator();
   for (auto &member : bag.GetObject()) {
      const std::string name = member.name.GetString();
      if (name == "ews_url" || name == "domain" || name == "exchange_version" || name == "cloud") continue;
      SecretValue key(member.name, allocator);
      SecretValue value(member.value, allocator);
      if (name == "connection") value.SetString("microsoft365", allocator);
      rewritten.AddMember(key, value, allocator);
   }
   if (cloud != "global") rewritten.AddMember("cloud", SecretValue(cloud.c_str(), allocator), allocator);
   migration.changed = true;

   const EwsSignIn sign_in = auth == "oauth2_app" ? EwsSignIn::app_only : EwsSignIn::delegated;
   migration.notes.push_back(
       "rewritten to connection \"microsoft365\" (Microsoft Graph) with the same session name, username, "
       "client and credentials; ews_url, domain and exchange_version dropped" +
       (cloud == "global" ? std::string() : "; cloud \"" + cloud + "\""));
   migration.notes.push_back("an administrator grants " + graph_permission_for(sign_in));
   if (sign_in == EwsSignIn::delegated)
      migration.notes.push_back(
          "if this step signs in through Authorize (no password), press Authorize "
          "once more (rpa-host authorize) so the user consents to Graph's Mail.ReadWrite");
   for (const PropertyProblem &problem : schema.check(rewritten))
      migration.notes.push_back(
          "the rewritten step needs attention: " +
          (problem.field.empty() ? problem.message : problem.field + " " + problem.message));
   return migration;
}

}  // namespace email
