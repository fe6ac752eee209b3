#include "graph/json_batch.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <rpa_common/json.h>

#include <stdexcept>

#include "util/text.h"

namespace email::graph {

std::string batch_request_body(const std::vector<std::string> &urls,
                               const std::vector<std::pair<std::string, std::string>> &headers) {
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
   writer.StartObject();
   writer.Key("requests");
   writer.StartArray();
   for (std::size_t index = 0; index < urls.size(); ++index) {
      writer.StartObject();
      writer.Key("id");
      writer.String(std::to_string(index + 1).c_str());
      writer.Key("method");
      writer.String("GET");
      writer.Key("url");
      writer.String(urls[index].c_str(), static_cast<rapidjson::SizeType>(urls[index].size()));
      if (!headers.empty()) {
         writer.Key("headers");
         writer.StartObject();
         for (const auto &[name, value] : headers) {
            writer.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
            writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
         }
         writer.EndObject();
      }
      writer.EndObject();
   }
   writer.EndArray();
   writer.EndObject();
   return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// "1" to "count" as the index from 0; `count` when the id is none of the batch's.
std::size_t index_of(const rapidjson::Value &id, std::size_t count) {
   if (!id.IsString() || id.GetStringLength() == 0 || id.GetStringLength() > 2) return count;
   std::size_t number = 0;
   for (const char *digit = id.GetString(); *digit; ++digit) {
      if (*digit < '0' || *digit > '9') return count;
      number = number * 10 + static_cast<std::size_t>(*digit - '0');
   }
   return number >= 1 && number <= count && id.GetString()[0] != '0' ? number - 1 : count;
}

std::string json_text(const rapidjson::Value &value) {
   if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
   if (!value.IsObject() && !value.IsArray()) return {};
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
   value.Accept(writer);
   return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::vector<BatchAnswer> parse_batch_answers(const std::string &body, std::size_t count) {
   rapidjson::Document document;
   if (!rpa::parse_json<rapidjson::kParseStopWhenDoneFlag>(document, body.data(), body.size()).ok ||
       !document.IsObject())
      throw std::invalid_argument("not a JSON object");
   auto responses = document.FindMember("responses");
   if (responses == document.MemberEnd() || !responses->value.IsArray())
      throw std::invalid_argument("no responses array");
   std::vector<BatchAnswer> answers;
   std::vector<bool> answered(count, false);
   for (const auto &response : responses->value.GetArray()) {
      if (!response.IsObject()) continue;
      auto id = response.FindMember("id");
      auto status = response.FindMember("status");
      if (id == response.MemberEnd() || status == response.MemberEnd() || !status->value.IsInt()) continue;
      const std::size_t index = index_of(id->value, count);
      if (index >= count || answered[index]) continue;
      answered[index] = true;
      BatchAnswer answer;
      answer.index = index;
      answer.status = status->value.GetInt();
      auto headers = response.FindMember("headers");
      if (headers != response.MemberEnd() && headers->value.IsObject())
         for (const auto &header : headers->value.GetObject())
            if (header.value.IsString())
               answer.headers[to_lower_ascii(
                   std::string(header.name.GetString(), header.name.GetStringLength()))] =
                   std::string(header.value.GetString(), header.value.GetStringLength());
      auto content = response.FindMember("body");
      if (content != response.MemberEnd()) answer.body = json_text(content->value);
      answers.push_back(std::move(answer));
   }
   return answers;
}

}  // namespace email::graph
