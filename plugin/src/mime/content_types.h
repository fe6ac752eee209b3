// The content type of a file by its name's extension: what mail programs send for the files bots
// attach most (PDF, Office documents, images, text, archives); application/octet-stream for the rest.
#pragma once

#include <string>

namespace email {

std::string content_type_for(const std::string &file_name);

}  // namespace email
