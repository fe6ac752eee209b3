#include "mime/message_spool.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/failure.h"
#include "util/files.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

struct Line {
   std::string_view text;  // without its line end
   std::size_t next;       // where the next line starts
};

// The line at `at`: it ends at CR LF, a lone LF or a lone CR.
Line line_at(std::string_view data, std::size_t at) {
   const std::size_t end = data.find_first_of("\r\n", at);
   const std::size_t line_end = end == std::string_view::npos ? data.size() : end;
   std::size_t next = line_end;
   if (next < data.size())
      next += (data[next] == '\r' && next + 1 < data.size() && data[next + 1] == '\n') ? 2 : 1;
   return {data.substr(at, line_end - at), next};
}

// Whether every CR of `text` starts a CRLF and every LF ends one.
bool crlf_only(std::string_view text) {
   std::size_t line_feeds = 0;
   for (const char *at = text.data(), *end = text.data() + text.size();;) {
      const void *found = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
      if (!found) break;
      const char *lf = static_cast<const char *>(found);
      if (lf == text.data() || lf[-1] != '\r') return false;
      ++line_feeds;
      at = lf + 1;
   }
   return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r')) == line_feeds;
}

}  // namespace

std::unique_ptr<std::FILE, SpoolCloser> new_spool() {
   std::string error;
   std::unique_ptr<std::FILE, SpoolCloser> file(open_temporary_file(error));
   if (!file) throw Failure(RPA_INTERNAL, "no temporary file for the message to send: " + error);
   return file;
}

std::uint64_t rewind_spool(std::FILE *file) {
   if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_END) != 0)
      throw Failure(RPA_INTERNAL, "the message to send could not be written to its temporary file");
   const long size = std::ftell(file);
   if (size < 0 || std::fseek(file, 0, SEEK_SET) != 0)
      throw Failure(RPA_INTERNAL, "the message to send could not be read back from its temporary file");
   return static_cast<std::uint64_t>(size);
}

void prepare_raw_bytes(std::string_view data, ComposedMessage &composed) {
   // The header, through the empty line that ends it.
   std::string head;
   std::size_t at = 0;
   bool skipping = false;
   while (at < data.size()) {
      const Line line = line_at(data, at);
      at = line.next;
      if (line.text.empty()) {
         head += "\r\n";
         break;
      }
      if (line.text.front() == ' ' || line.text.front() == '\t') {
         if (skipping) continue;
      } else {
         skipping = line.text.size() >= 4 && to_lower_ascii(std::string(line.text.substr(0, 4))) == "bcc:";
         if (skipping) continue;
      }
      head.append(line.text);
      head += "\r\n";
   }
   const std::string_view body = data.substr(at);
   composed.eightbit = !is_ascii(head) || !is_ascii(body);
   if (crlf_only(body)) {
      composed.head = std::move(head);
      composed.body = body;
      if (!body.empty() && body.back() != '\n') composed.tail = "\r\n";
      composed.size = composed.head.size() + composed.body.size() + composed.tail.size();
      return;
   }
   composed.file = new_spool();
   std::string out = std::move(head);
   auto flush = [&](bool force) {
      if (out.size() < kFlushBytes && !force) return;
      if (!out.empty() && std::fwrite(out.data(), 1, out.size(), composed.file.get()) != out.size())
         throw Failure(RPA_INTERNAL, "the message to send could not be written to its temporary file");
      out.clear();
   };
   for (std::size_t from = 0; from < body.size();) {
      const Line line = line_at(body, from);
      from = line.next;
      out.append(line.text);
      out += "\r\n";
      flush(false);
   }
   flush(true);
   composed.size = rewind_spool(composed.file.get());
}

ComposedReader::ComposedReader(const ComposedMessage &message) : message_(message) {
   if (message_.file && std::fseek(message_.file.get(), 0, SEEK_SET) != 0)
      throw Failure(RPA_INTERNAL, "the message to send could not be read back from its temporary file");
}

std::size_t ComposedReader::read(char *buffer, std::size_t capacity) {
   if (message_.file) return std::fread(buffer, 1, capacity, message_.file.get());
   std::size_t given = 0;
   std::uint64_t offset = at_;
   for (const std::string_view piece :
        {std::string_view(message_.head), message_.body, std::string_view(message_.tail)}) {
      if (given == capacity) break;
      if (offset >= piece.size()) {
         offset -= piece.size();
         continue;
      }
      const std::size_t n =
          std::min<std::size_t>(capacity - given, piece.size() - static_cast<std::size_t>(offset));
      std::memcpy(buffer + given, piece.data() + offset, n);
      given += n;
      offset = 0;
   }
   at_ += given;
   return given;
}

}  // namespace email
