#include "outlook/outlook_filter.h"

#include <vector>

namespace email {

namespace {

constexpr const char kRead[] = "\"urn:schemas:httpmail:read\"";
constexpr const char kFlagStatus[] = "\"http://schemas.microsoft.com/mapi/proptag/0x10900003\"";
constexpr const char kHasAttachment[] = "\"urn:schemas:httpmail:hasattachment\"";
constexpr const char kReceived[] = "\"urn:schemas:httpmail:datereceived\"";
constexpr const char kSubject[] = "\"urn:schemas:httpmail:subject\"";
constexpr const char kFromName[] = "\"urn:schemas:httpmail:fromname\"";
constexpr const char kFromEmail[] = "\"urn:schemas:httpmail:fromemail\"";

std::string contains(const char *property, const std::string &text) {
   return std::string(property) + " LIKE '%" + dasl_quoted(text) + "%'";
}

}  // namespace

std::string dasl_quoted(const std::string &text) {
   std::string quoted;
   quoted.reserve(text.size());
   for (char c : text) {
      quoted.push_back(c);
      if (c == '\'') quoted.push_back('\'');
   }
   return quoted;
}

std::string dasl_filter(const SearchQuery &query, const DateText &date_text,
                        const std::string &received_since) {
   std::vector<std::string> conditions;
   if (!received_since.empty())
      conditions.push_back(std::string(kReceived) + " >= '" + dasl_quoted(received_since) + "'");
   if (query.seen) conditions.push_back(std::string(kRead) + (*query.seen ? " = 1" : " = 0"));
   if (query.flagged)
      conditions.push_back(*query.flagged ? std::string(kFlagStatus) + " = 2"
                                          : "NOT (" + std::string(kFlagStatus) + " = 2)");
   if (query.has_attachments)
      conditions.push_back(std::string(kHasAttachment) + (*query.has_attachments ? " = 1" : " = 0"));
   if (query.since)
      conditions.push_back(std::string(kReceived) + " >= '" + dasl_quoted(date_text(*query.since)) + "'");
   if (query.before)
      conditions.push_back(std::string(kReceived) + " < '" + dasl_quoted(date_text(*query.before)) + "'");
   if (!query.subject.empty()) conditions.push_back(contains(kSubject, query.subject));
   if (!query.from.empty())
      conditions.push_back("(" + contains(kFromName, query.from) + " OR " + contains(kFromEmail, query.from) +
                           ")");
   if (conditions.empty()) return "";
   std::string filter = "@SQL=";
   for (std::size_t i = 0; i < conditions.size(); ++i) filter += (i ? " AND " : "") + conditions[i];
   return filter;
}

}  // namespace email
