#include "session/attachment_sources.h"

#include <memory>
#include <string>

#include "mime/message_composer.h"
#include "util/failure.h"

namespace email {

namespace {

std::string attachment_name(std::size_t i) { return "attachments[" + std::to_string(i) + "]"; }

// Copies `source` to a new file at `path`.
void copy_source(const rpa_byte_source &source, const std::string &path, const std::string &which,
                 const CallContext &context) {
   std::string error;
   std::unique_ptr<std::FILE, SpoolCloser> file(open_new_file_for_writing(path, error));
   if (!file)
      throw Failure(RPA_INTERNAL, "the bytes of " + which + " could not be kept to attach them: " + error);
   std::string buffer(64 * 1024, '\0');
   for (;;) {
      context.next_wait_ms(("the byte source of " + which).c_str());
      const std::size_t got = source.read(&source, buffer.data(), buffer.size());
      if (got == RPA_BYTE_SOURCE_FAILED)
         throw Failure(RPA_CANCELLED,
                       "the byte source of " + which + " said its bytes cannot be read; nothing was sent");
      if (got == 0) break;
      if (got > buffer.size())
         throw Failure(RPA_INVALID_PROPERTIES, "the byte source of " + which + " said it gave " +
                                                   std::to_string(got) + " bytes into a buffer of " +
                                                   std::to_string(buffer.size()));
      if (std::fwrite(buffer.data(), 1, got, file.get()) != got)
         throw Failure(RPA_INTERNAL,
                       "the bytes of " + which + " could not be kept to attach them (disk full?)");
   }
   if (std::fflush(file.get()) != 0)
      throw Failure(RPA_INTERNAL, "the bytes of " + which + " could not be kept to attach them (disk full?)");
}

}  // namespace

void take_attachment_sources(std::vector<OutgoingAttachment> &attachments,
                             const rpa_byte_source *const *sources, std::size_t source_count,
                             const PrivateDirectory &directory, const CallContext &context) {
   if (source_count > 0 && !sources)
      throw Failure(RPA_INVALID_PROPERTIES, "the byte sources are missing (source_count " +
                                                std::to_string(source_count) + ", no array)");
   std::vector<bool> named(source_count, false);
   for (std::size_t i = 0; i < attachments.size(); ++i) {
      if (!attachments[i].source) continue;
      const std::size_t index = *attachments[i].source;
      const std::string which = attachment_name(i);
      if (index >= source_count)
         throw Failure(RPA_INVALID_PROPERTIES, which + ".source " + std::to_string(index) +
                                                   " names no byte source (" + std::to_string(source_count) +
                                                   " given)");
      if (named[index])
         throw Failure(RPA_INVALID_PROPERTIES, which + ".source " + std::to_string(index) +
                                                   " names a byte source another attachment names: each is "
                                                   "read once");
      named[index] = true;
      if (!rpa_byte_source_is_usable(sources[index]))
         throw Failure(RPA_INVALID_PROPERTIES, which + ".source " + std::to_string(index) +
                                                   " is not a usable byte source (NULL, no read, or a "
                                                   "struct_size too small)");
   }
   for (std::size_t index = 0; index < source_count; ++index)
      if (!named[index])
         throw Failure(RPA_INVALID_PROPERTIES,
                       "byte source " + std::to_string(index) +
                           " is named by no attachment (\"source\": " + std::to_string(index) + ")");
   for (std::size_t i = 0; i < attachments.size(); ++i) {
      if (!attachments[i].source) continue;
      const std::string path = directory.file("source-" + std::to_string(*attachments[i].source));
      copy_source(*sources[*attachments[i].source], path, attachment_name(i), context);
      attachments[i].path = path;
   }
}

}  // namespace email
