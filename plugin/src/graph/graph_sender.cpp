#include "graph/graph_sender.h"

#include <cpprest/uri.h>
#include <rpa_common/base64.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "graph/graph_client.h"
#include "graph/graph_json.h"
#include "mime/message_file.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/json_writer.h"

namespace email {

namespace {

struct FileCloser {
   void operator()(std::FILE *file) const { std::fclose(file); }
};
using TemporaryFile = std::unique_ptr<std::FILE, FileCloser>;

// An attachment taken out of the message, decoded into a temporary file.
struct Detached {
   AttachmentInfo info;  // size: the decoded bytes, exactly
   TemporaryFile file;
};

std::string megabytes(std::uint64_t bytes) {
   char text[32];
   std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
   return text;
}

TemporaryFile new_temporary_file() {
   std::string error;
   TemporaryFile file(open_temporary_file(error));
   if (!file) throw Failure(RPA_INTERNAL, "no temporary file for an attachment to upload: " + error);
   return file;
}

// `size` bytes of `file` from where it stands.
std::string read_bytes(std::FILE *file, std::size_t size) {
   std::string bytes(size, '\0');
   if (std::fread(bytes.data(), 1, size, file) != size)
      throw Failure(RPA_INTERNAL, "an attachment could not be read back from its temporary file");
   return bytes;
}

std::string path_of(const std::string &id) { return "/messages/" + web::uri::encode_data_string(id); }

}  // namespace

ConnectionFacts GraphSender::facts() const { return client_.facts(); }

SubmissionResult GraphSender::send(const Submission &submission, MessageSource &message,
                                   CallContext &context) {
   if (submission.recipients.empty()) throw Failure(RPA_INVALID_PROPERTIES, "the message has no recipient");
   std::string bcc_field;
   for (const std::string &address : submission.bcc)
      bcc_field += (bcc_field.empty() ? "Bcc: " : ", ") + address;
   if (!bcc_field.empty()) bcc_field += "\r\n";

   SubmissionResult result;
   if (bcc_field.size() + submission.size <= kWholeMessageBytes) {
      std::string mime = bcc_field;
      message.read_all([&](std::string_view chunk) { mime.append(chunk); });
      client_.send("POST", "/sendMail", "text/plain", rpa::base64_text(mime), context,
                   GraphClient::kSendingWhat);
      result.round_trips = 1;
   } else {
      result.round_trips = send_in_parts(bcc_field, message, context);
   }
   result.accepted = submission.recipients;
   result.server_said =
       "202 Accepted: Exchange Online took the message; a recipient it cannot deliver to is "
       "reported later, in a non-delivery report";
   result.copy_kept = true;
   return result;
}

unsigned GraphSender::send_in_parts(const std::string &bcc_field, MessageSource &message,
                                    CallContext &context) {
   mime::MessageFile file([&](const ByteSink &sink) {
      if (!bcc_field.empty()) sink(bcc_field);
      message.read_all(sink);
   });
   // The largest attachments out, until the rest fits in one request (base64 grows by 4/3, and
   // each took a few header lines).
   std::vector<AttachmentInfo> candidates = file.attachments();
   std::sort(candidates.begin(), candidates.end(),
             [](const AttachmentInfo &a, const AttachmentInfo &b) { return a.size > b.size; });
   std::uint64_t rest = file.size();
   std::vector<unsigned> chosen;
   for (const AttachmentInfo &candidate : candidates) {
      if (rest <= kWholeMessageBytes) break;
      chosen.push_back(candidate.index);
      rest -= std::min(rest, candidate.size * 78 / 57 + 256);
   }
   std::vector<Detached> detached;
   for (unsigned index : chosen) {
      Detached part{{}, new_temporary_file()};
      part.info = file.write_attachment(index, [&](std::string_view chunk) {
         if (std::fwrite(chunk.data(), 1, chunk.size(), part.file.get()) != chunk.size())
            throw Failure(RPA_INTERNAL, "an attachment could not be written to a temporary file");
      });
      if (std::fflush(part.file.get()) != 0 || std::fseek(part.file.get(), 0, SEEK_SET) != 0)
         throw Failure(RPA_INTERNAL, "an attachment could not be written to a temporary file");
      detached.push_back(std::move(part));
   }
   const std::string remaining = file.without_attachments(chosen);
   if (remaining.size() > kWholeMessageBytes)
      throw Failure(RPA_UNSUPPORTED,
                    "the message is " + megabytes(remaining.size()) +
                        " without its attachments, and Microsoft Graph takes at most 4 MB in one "
                        "request (attachments can go in parts, text and inline images cannot); nothing "
                        "was sent. Make the text shorter, or attach the large images");

   const std::string draft = client_.send("POST", "/messages", "text/plain", rpa::base64_text(remaining),
                                          context, GraphClient::kSendingWhat);
   const std::string id = graph::parse_id(draft);
   if (id.empty())
      throw Failure(RPA_PROTOCOL_ERROR,
                    "Microsoft Graph answered the draft of the message to send with "
                    "something that is not a message (no id): " +
                        graph::describe_body(draft));
   unsigned requests = 1;
   try {
      for (Detached &part : detached) {
         const std::uint64_t size = part.info.size;
         const std::string &type = part.info.content_type;
         if (size < kSmallAttachmentBytes) {
            const std::string body =
                JsonWriter()
                    .string("@odata.type", "#microsoft.graph.fileAttachment")
                    .string("name", part.info.name)
                    .string("contentType", type)
                    .string("contentBytes", rpa::base64_text(read_bytes(part.file.get(), size)))
                    .finish();
            client_.send("POST", path_of(id) + "/attachments", "application/json", body, context,
                         GraphClient::kSendingWhat);
            ++requests;
            continue;
         }
         const std::string session_body = JsonWriter()
                                              .begin_object("AttachmentItem")
                                              .string("attachmentType", "file")
                                              .string("name", part.info.name)
                                              .number("size", size)
                                              .string("contentType", type)
                                              .end_object()
                                              .finish();
         const std::string session =
             client_.send("POST", path_of(id) + "/attachments/createUploadSession", "application/json",
                          session_body, context, GraphClient::kSendingWhat);
         ++requests;
         const std::string upload_url = graph::parse_member(session, "uploadUrl");
         for (std::uint64_t first = 0; first < size; first += kUploadChunkBytes) {
            const std::size_t length =
                static_cast<std::size_t>(std::min<std::uint64_t>(kUploadChunkBytes, size - first));
            client_.upload_range(upload_url, read_bytes(part.file.get(), length), first, size, context);
            ++requests;
         }
      }
      client_.send("POST", path_of(id) + "/send", "", "", context, GraphClient::kSendingWhat);
      ++requests;
   } catch (const Failure &) {
      try {  // no half-built draft left behind; the failure is what the caller hears of
         client_.send("DELETE", path_of(id), "", "", context, "the draft");
      } catch (const Failure &) {}
      throw;
   }
   return requests;
}

}  // namespace email
