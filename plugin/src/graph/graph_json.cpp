#include "graph/graph_json.h"

#include <rapidjson/document.h>

#include <stdexcept>

#include "util/text.h"

namespace email::graph {

namespace {
constexpr unsigned kParseFlags = rapidjson::kParseStopWhenDoneFlag;

std::string string_member(const rapidjson::Value &object, const char *name) {
   auto found = object.FindMember(name);
   return found != object.MemberEnd() && found->value.IsString()
              ? std::string(found->value.GetString(), found->value.GetStringLength())
              : std::string();
}
}  // namespace

Error parse_error(const std::string &body) {
   rapidjson::Document document;
   document.Parse<kParseFlags>(body.c_str(), body.size());
   if (document.HasParseError() || !document.IsObject()) return {};
   auto error = document.FindMember("error");
   if (error == document.MemberEnd() || !error->value.IsObject()) return {};
   return {printable(string_member(error->value, "code"), 100),
           printable(string_member(error->value, "message"), 300)};
}

FolderPage parse_folder_page(const std::string &body) {
   rapidjson::Document document;
   document.Parse<kParseFlags>(body.c_str(), body.size());
   if (document.HasParseError() || !document.IsObject()) throw std::invalid_argument("not a JSON object");
   auto value = document.FindMember("value");
   if (value == document.MemberEnd() || !value->value.IsArray())
      throw std::invalid_argument("no value array");
   FolderPage page;
   for (const auto &folder : value->value.GetArray()) {
      if (!folder.IsObject()) continue;
      FolderEntry entry{string_member(folder, "id"), string_member(folder, "displayName"), false};
      if (entry.id.empty() || entry.display_name.empty()) continue;
      auto children = folder.FindMember("childFolderCount");
      entry.has_children =
          children != folder.MemberEnd() && children->value.IsInt() && children->value.GetInt() > 0;
      page.folders.push_back(std::move(entry));
   }
   page.next_link = string_member(document, "@odata.nextLink");
   return page;
}

}  // namespace email::graph
