#include "properties/action_schema.h"

#include <cmath>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>

#include <cstring>
#include <stdexcept>

#include "rpa_common/json.h"

namespace email {

namespace {

template <typename Value>
std::string value_kind(const Value &v) {
   if (v.IsNull()) return "null";
   if (v.IsBool()) return "a boolean";
   if (v.IsInt64() || v.IsUint64()) return "an integer";
   if (v.IsNumber()) return "a number";
   if (v.IsString()) return "a string";
   if (v.IsArray()) return "an array";
   return "an object";
}

std::string type_name(const std::string &type) {
   if (type == "integer") return "an integer";
   if (type == "object" || type == "array") return "an " + type;
   return "a " + type;
}

std::string enum_list(const rapidjson::Value &values) {
   std::string text;
   for (auto &v : values.GetArray()) {
      if (!text.empty()) text += ", ";
      text += v.IsString() ? "\"" + std::string(v.GetString()) + "\"" : value_kind(v);
   }
   return text;
}

template <typename Value>
bool value_in_enum(const Value &value, const rapidjson::Value &values) {
   if (!value.IsString()) return false;
   for (auto &v : values.GetArray())
      if (v.IsString() && std::string(v.GetString()) == value.GetString()) return true;
   return false;
}

}  // namespace

ActionSchema::ActionSchema(const char *schema_text) : text_(schema_text) {
   const rpa::JsonParseResult parsed = rpa::parse_json(schema_, schema_text, std::strlen(schema_text));
   if (!parsed || !schema_.IsObject() || !schema_.HasMember("properties"))
      throw std::runtime_error("embedded schema is not valid JSON Schema: " + parsed.message());
   for (auto &property : schema_["properties"].GetObject()) {
      if (!property.value.IsObject() || !property.value.HasMember("pattern")) continue;
      const rapidjson::Value &pattern = property.value["pattern"];
      re2::RE2::Options options;
      options.set_log_errors(false);
      auto compiled = std::make_unique<re2::RE2>(
          re2::StringPiece(pattern.GetString(), pattern.GetStringLength()), options);
      if (!compiled->ok())
         throw std::runtime_error("embedded schema has a pattern RE2 cannot compile: " + compiled->error());
      patterns_[property.name.GetString()] = std::move(compiled);
   }
   const rapidjson::Value *ui = schema_.HasMember("x-ui") ? &schema_["x-ui"] : nullptr;
   if (ui && ui->HasMember("order"))
      for (auto &name : (*ui)["order"].GetArray()) order_.emplace_back(name.GetString());
   for (auto &property : schema_["properties"].GetObject()) {
      bool listed = false;
      for (auto &name : order_) listed = listed || name == property.name.GetString();
      if (!listed) order_.emplace_back(property.name.GetString());
   }
}

const rapidjson::SchemaDocument &ActionSchema::validator_for(const std::string &name) const {
   std::unique_ptr<rapidjson::SchemaDocument> &compiled = name.empty() ? whole_ : by_property_[name].compiled;
   if (compiled) return *compiled;
   if (name.empty()) {
      compiled = std::make_unique<rapidjson::SchemaDocument>(schema_);
      return *compiled;
   }
   // A copy of the schema that checks this one property: keep definitions for $ref.
   auto single = std::make_unique<rapidjson::Document>();
   single->SetObject();
   auto &allocator = single->GetAllocator();
   rapidjson::Value properties(rapidjson::kObjectType);
   properties.AddMember(rapidjson::Value(name.c_str(), allocator),
                        rapidjson::Value(*property_schema(name.c_str()), allocator), allocator);
   single->AddMember("type", "object", allocator);
   single->AddMember("properties", properties, allocator);
   if (schema_.HasMember("definitions"))
      single->AddMember("definitions", rapidjson::Value(schema_["definitions"], allocator), allocator);
   compiled = std::make_unique<rapidjson::SchemaDocument>(*single);
   by_property_[name].schema = std::move(single);
   return *compiled;
}

const rapidjson::Value *ActionSchema::property_schema(const char *property) const {
   auto &properties = schema_["properties"];
   auto found = properties.FindMember(property);
   return found == properties.MemberEnd() ? nullptr : &found->value;
}

const rapidjson::Value *ActionSchema::default_of(const char *property) const {
   const rapidjson::Value *schema = property_schema(property);
   if (!schema || !schema->HasMember("default")) return nullptr;
   return &(*schema)["default"];
}

bool ActionSchema::branch_applies(const rapidjson::Value &branch, const SecretValue &bag,
                                  std::string &because) const {
   if (!branch.HasMember("properties")) return true;
   for (auto &discriminator : branch["properties"].GetObject()) {
      if (!discriminator.value.HasMember("enum")) continue;
      const char *name = discriminator.name.GetString();
      auto found = bag.FindMember(name);
      const rapidjson::Value *fallback = default_of(name);
      bool matches = false;
      std::string value;
      if (found != bag.MemberEnd()) {
         matches = value_in_enum(found->value, discriminator.value["enum"]);
         if (found->value.IsString()) value = found->value.GetString();
      } else if (fallback) {
         matches = value_in_enum(*fallback, discriminator.value["enum"]);
         if (fallback->IsString()) value = fallback->GetString();
      }
      if (!matches) return false;
      if (found == bag.MemberEnd()) continue;  // a default explains nothing to the designer
      if (!because.empty()) because += " and ";
      because += std::string(name) + " is \"" + value + "\"";
   }
   return true;
}

namespace {

// An anyOf whose branches only list required fields (no discriminating "properties") is a choice:
// any one branch satisfied is enough, e.g. client_secret or client_certificate.
bool is_choice(const rapidjson::Value &branches) {
   for (auto &branch : branches.GetArray())
      if (branch.HasMember("properties") || !branch.HasMember("required") || branch.MemberCount() != 1)
         return false;
   return true;
}

bool has_all(const SecretValue &bag, const rapidjson::Value &names) {
   for (auto &name : names.GetArray())
      if (!bag.HasMember(name.GetString())) return false;
   return true;
}

}  // namespace

void ActionSchema::collect_required(const rapidjson::Value &schema, const SecretValue &bag,
                                    std::vector<RequiredField> &required, std::string &because) const {
   if (schema.HasMember("required"))
      for (auto &name : schema["required"].GetArray()) required.push_back({name.GetString(), "", because});
   for (const char *combinator : {"oneOf", "anyOf", "allOf"}) {
      if (!schema.HasMember(combinator)) continue;
      const rapidjson::Value &branches = schema[combinator];
      if (std::string_view(combinator) == "anyOf" && is_choice(branches)) {
         RequiredField choice{"", "", because};
         for (auto &branch : branches.GetArray()) {
            if (has_all(bag, branch["required"])) return;
            for (auto &name : branch["required"].GetArray()) {
               if (choice.name.empty())
                  choice.name = name.GetString();
               else
                  choice.alternatives += std::string(" or ") + name.GetString();
            }
         }
         required.push_back(choice);
         continue;
      }
      for (auto &branch : branches.GetArray()) {
         std::string branch_because = because;
         if (branch_applies(branch, bag, branch_because))
            collect_required(branch, bag, required, branch_because);
      }
   }
}

std::string ActionSchema::describe_failure(const std::string &property, const std::string &keyword,
                                           const SecretValue &value) const {
   const rapidjson::Value &schema = *property_schema(property.c_str());
   if (keyword == "pattern" && schema.HasMember("x-invalid-pattern"))
      return schema["x-invalid-pattern"].GetString();
   if (schema.HasMember("x-invalid")) return schema["x-invalid"].GetString();
   if (schema.HasMember("$ref"))  // the String-or-Credential choice
      return "must be a non-empty string (String) or {\"credential\": {\"locker\": \"...\", "
             "\"name\": \"...\", \"attribute\": \"...\"}} (Credential) with all three names "
             "given; got " +
             value_kind(value);
   if (keyword == "type" && schema.HasMember("type"))
      return "must be " + type_name(schema["type"].GetString()) + ", got " + value_kind(value);
   if (keyword == "enum" && schema.HasMember("enum")) return "must be one of " + enum_list(schema["enum"]);
   if ((keyword == "minimum" || keyword == "maximum") && schema.HasMember("minimum") &&
       schema.HasMember("maximum"))
      return "must be between " + std::to_string(schema["minimum"].GetInt64()) + " and " +
             std::to_string(schema["maximum"].GetInt64());
   if (keyword == "minLength") return "must not be empty";
   if (keyword == "maxLength" && schema.HasMember("maxLength"))
      return "must be at most " + std::to_string(schema["maxLength"].GetInt()) + " characters";
   if (keyword == "pattern") return "has characters that are not allowed here (spaces, slashes)";
   return "is not valid (" + keyword + ")";
}

namespace {

// RapidJSON's schema validator converts each number to a 64-bit integer to hash it (for enum
// checks), which is undefined behaviour beyond 2^63 (found by fuzzing); such numbers are refused
// before the validator sees them. No property takes numbers that large.
bool has_huge_number(const SecretValue &value) {
   if (value.IsDouble()) return !(std::fabs(value.GetDouble()) < 9.0e18);
   if (value.IsObject())
      for (auto &member : value.GetObject())
         if (has_huge_number(member.value)) return true;
   if (value.IsArray())
      for (auto &element : value.GetArray())
         if (has_huge_number(element)) return true;
   return false;
}

}  // namespace

bool ActionSchema::fits_as_a_whole(const SecretValue &bag) const {
   if (has_huge_number(bag)) return false;
   for (auto &[name, pattern] : patterns_) {
      auto found = bag.FindMember(name.c_str());
      if (found != bag.MemberEnd() && found->value.IsString() &&
          !re2::RE2::PartialMatch(re2::StringPiece(found->value.GetString(), found->value.GetStringLength()),
                                  *pattern))
         return false;
   }
   rapidjson::SchemaValidator validator(validator_for(""));
   return bag.Accept(validator);
}

std::vector<PropertyProblem> ActionSchema::check(const SecretValue &bag) const {
   std::vector<PropertyProblem> problems;
   if (!bag.IsObject()) return {{"", "the properties must be a JSON object"}};
   std::lock_guard<std::mutex> one_at_a_time(validating_);
   if (fits_as_a_whole(bag)) return problems;  // most bags: one validation, no per-property validators

   std::map<std::string, std::string> found;  // field -> message
   for (auto &member : bag.GetObject()) {
      const std::string name = member.name.GetString();
      if (!property_schema(name.c_str())) {
         problems.push_back({name, "is not a property of this action"});
         continue;
      }
      if (has_huge_number(member.value)) {
         found[name] = "holds a number too large for any property (beyond 2^63)";
         continue;
      }
      rapidjson::SchemaValidator validator(validator_for(name));
      validator.StartObject();
      validator.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()), true);
      member.value.Accept(validator);
      validator.EndObject(1);
      if (!validator.IsValid()) {
         found[name] = describe_failure(name, validator.GetInvalidSchemaKeyword(), member.value);
         continue;
      }
      auto pattern = patterns_.find(name);
      if (pattern != patterns_.end() && member.value.IsString() &&
          !re2::RE2::PartialMatch(re2::StringPiece(member.value.GetString(), member.value.GetStringLength()),
                                  *pattern->second))
         found[name] = describe_failure(name, "pattern", member.value);
   }

   std::vector<RequiredField> required;
   std::string because;
   collect_required(schema_, bag, required, because);
   for (auto &entry : required) {
      if (bag.HasMember(entry.name.c_str()) || found.count(entry.name)) continue;
      found[entry.name] = (entry.alternatives.empty() ? "" : entry.alternatives.substr(1) + " ") +
                          (entry.because.empty() ? "is required" : "is required when " + entry.because);
   }
   for (auto &name : order_) {
      auto problem = found.find(name);
      if (problem != found.end()) problems.push_back({name, problem->second});
   }

   if (problems.empty()) {  // the whole schema has the last word
      rapidjson::SchemaValidator validator(validator_for(""));
      if (!bag.Accept(validator)) {
         rapidjson::StringBuffer pointer;
         validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
         problems.push_back({"", std::string("the properties do not fit the schema (") +
                                     validator.GetInvalidSchemaKeyword() + " at " + pointer.GetString() +
                                     ")"});
      }
   }
   return problems;
}

std::string describe_problems(const std::vector<PropertyProblem> &problems) {
   std::string text = "invalid properties: ";
   for (std::size_t i = 0; i < problems.size(); ++i) {
      if (i) text += "; ";
      text += problems[i].field.empty() ? problems[i].message : problems[i].field + " " + problems[i].message;
   }
   return text;
}

}  // namespace email
