// Property bags as the host passes them: parsed (bounded JSON), validated against the Connect
// schema (RE2 patterns), and resolved (credentials from a vault that always answers); and the
// step migration (actions/connect_migration.h), which reads saved bags before any validation.
#include "actions/connect_migration.h"
#include "embedded_schemas.h"
#include "fuzz_host.h"
#include "properties/action_schema.h"
#include "properties/connect_request.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   static const email::ActionSchema schema(email::embedded::connect_schema);
   const email::HostServices host(fuzz::quiet_host());
   try {
      email::SecretDocument bag;
      email::parse_property_bag(reinterpret_cast<const char *>(data), size, bag);
      (void)email::migrate_connect_bag(schema, bag);  // rpa-host migrate reads saved bags unvalidated
      (void)schema.check(bag);
      email::require_valid(schema, bag);
      (void)email::resolve_connect_request(schema, bag, host);
   } catch (const email::Failure &) {}
   return 0;
}
