// The JSON the mailbox interface speaks (rpa/ext/email_mailbox.h): search queries in, folders,
// summaries, attachments and bodies out. Parsing checks every member and names the one that is
// wrong.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "util/json_writer.h"

namespace email {

// Parses a search query (NULL or "" = all defaults). Throws Failure(invalid_properties).
SearchQuery parse_search_query(const char *json);

std::string folders_json(const std::vector<FolderInfo> &folders);
std::string folder_json(const FolderInfo &folder);
// {"messages": [...], "next_cursor", "total"}, streamed to `sink` in pieces of about 64 KiB
// (JsonWriter's streamed form: nothing is allocated once the first piece is out).
void write_search_page(const SearchPage &page, const JsonPieceSink &sink);
// {"messages": [...], "cursor", "cursor_reset"} (rpa/ext/email_watch.h).
std::string arrivals_json(const Arrivals &arrivals);
std::string attachment_json(const AttachmentInfo &attachment);
std::string bodies_json(const std::optional<std::string> &text, const std::optional<std::string> &html);

}  // namespace email
