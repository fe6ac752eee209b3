// ActionSchema: one action's JSON Schema (draft-04, embedded from schemas/ at build time) and
// what the plugin needs from it: validation that names every problem by field, and defaults.
//
// RapidJSON's validator stops at the first error, so each property is validated on its own
// against its own subschema (a copy of the schema with only that property); required fields,
// including those required only for one connection type (oneOf/anyOf branches selected by an
// enum discriminator such as "connection"), are collected from the schema's own keywords; and the
// whole bag is validated last as the final word.
//
// "pattern" keywords are matched with RE2, not by RapidJSON: its std::regex recurses once per
// character of the value (a 2 000-character URL overflows a 256 KiB thread stack) and its own
// engine is not thread-safe. RE2 runs in bounded stack and linear time, and one compiled pattern
// serves every thread. Patterns are allowed on top-level properties only (a test checks).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "util/secret.h"

namespace email {

struct PropertyProblem {
   std::string field;    // property name; "" for the bag as a whole
   std::string message;  // "must be between 1 and 65535", never the value itself
};

class ActionSchema {
 public:
   // Throws std::runtime_error when the text is not a usable schema (a build defect).
   explicit ActionSchema(const char *schema_text);

   const char *text() const { return text_; }
   const rapidjson::Document &document() const { return schema_; }

   // Every problem in `bag`, in schema field order. Empty when the bag is valid.
   std::vector<PropertyProblem> check(const SecretValue &bag) const;

   // The schema's "default" for `property`, or nullptr.
   const rapidjson::Value *default_of(const char *property) const;
   // The subschema of `property`, or nullptr when the schema has no such property.
   const rapidjson::Value *property_schema(const char *property) const;

 private:
   // A field the bag must have: `name`, or one of `alternatives` ("or b" listed after it); `because`
   // names the branch that asks for it ("connection is \"ews\""), empty at the top level.
   struct RequiredField {
      std::string name;
      std::string alternatives;
      std::string because;
   };
   void collect_required(const rapidjson::Value &schema, const SecretValue &bag,
                         std::vector<RequiredField> &required, std::string &because) const;
   bool branch_applies(const rapidjson::Value &branch, const SecretValue &bag, std::string &because) const;
   std::string describe_failure(const std::string &property, const std::string &keyword,
                                const SecretValue &value) const;

   // Whether `bag` passes every check at once: no huge number, every pattern, the whole schema.
   // A bag that does not is then checked property by property, to name every problem. The caller
   // holds validating_.
   bool fits_as_a_whole(const SecretValue &bag) const;
   // The compiled validator of property `name`, or of the whole schema for "", built on first use
   // (a bag names a few of the schema's properties, and most bags are never wrong). The caller
   // holds validating_.
   const rapidjson::SchemaDocument &validator_for(const std::string &name) const;

   // One property's own schema (a copy with the schema's definitions, for $ref) and its validator.
   struct PropertyValidator {
      std::unique_ptr<rapidjson::Document> schema;
      std::unique_ptr<rapidjson::SchemaDocument> compiled;
   };

   const char *text_;
   rapidjson::Document schema_;
   mutable std::unique_ptr<rapidjson::SchemaDocument> whole_;
   mutable std::map<std::string, PropertyValidator> by_property_;
   std::vector<std::string> order_;
   std::map<std::string, std::unique_ptr<re2::RE2>> patterns_;  // property -> its "pattern"
   // One validation at a time, which also guards the validators built on first use: RapidJSON's SchemaDocument is not safe to validate against from
   // several threads at once (Tencent/rapidjson#728: heap corruption; seen here as a crash under
   // Wine when six threads connected at once). A check takes microseconds.
   mutable std::mutex validating_;
};

// Joins problems into one message: "invalid properties: host: required when connection is
// \"email_server\"; port: must be between 1 and 65535".
std::string describe_problems(const std::vector<PropertyProblem> &problems);

}  // namespace email
