// The JSON the mailbox interface speaks (rpa/ext/email_mailbox.h): search queries in, folders,
// summaries, attachments and bodies out. Parsing checks every member and names the one that is
// wrong.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"

namespace email {

// Parses a search query (NULL or "" = all defaults). Throws Failure(invalid_properties).
SearchQuery parse_search_query(const char *json);

std::string folders_json(const std::vector<FolderInfo> &folders);
std::string folder_json(const FolderInfo &folder);
std::string search_page_json(const SearchPage &page);
// {"messages": [...], "cursor", "cursor_reset"} (rpa/ext/email_watch.h).
std::string arrivals_json(const Arrivals &arrivals);
std::string attachment_json(const AttachmentInfo &attachment);
std::string bodies_json(const std::optional<std::string> &text, const std::optional<std::string> &html);

}  // namespace email
