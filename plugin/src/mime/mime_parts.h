// The parts a message is built of, made with GMime the one way both builders want them: the
// composer of outgoing mail (mime/message_composer.h) and the message made from an Outlook item
// (outlook/outlook_mime.h). Every function returns a new reference the caller owns, and takes
// over the references of the parts it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <gmime/gmime.h>

namespace email::mime {

// A text body (`subtype` "plain" or "html"), in the lightest encoding that keeps every line within
// 998 octets: 7bit, quoted-printable or base64. `text` is UTF-8 (charset utf-8, us-ascii when it
// is), or, with `charset` ("ISO-2022-JP"), already in that charset, labelled so.
GMimeObject *text_part(const char *subtype, const std::string &text, const char *charset = nullptr);

// A multipart/`subtype` of `parts`.
GMimeObject *multipart(const char *subtype, const std::vector<GMimeObject *> &parts);

// An attached message read from `stream`, carried as itself (RFC 2046 5.2.1 allows message/rfc822
// no base64), marked attachment, named `filename` when there is one. nullptr when the bytes do
// not parse as a message: the caller attaches them as a file instead.
GMimeObject *message_part(GMimeStream *stream, const std::string &filename);

// A file streamed from `stream` in base64, never whole in memory: `content_type` ("image/png";
// one that does not parse is application/octet-stream), marked attachment, or inline when it has
// a `content_id` (the HTML's "cid:", angle brackets optional). A name that is not ASCII goes in
// RFC 2231 (Content-Disposition's filename) and as an RFC 2047 word (Content-Type's name, which
// older readers and Outlook's own messages use).
GMimeObject *file_part(GMimeStream *stream, const std::string &content_type, const std::string &name,
                       const std::string &content_id);

// A message's body: the text and HTML (multipart/alternative when both; an empty text when
// neither), inline images with the HTML (multipart/related), attachments (multipart/mixed).
// `charset`: as for text_part, the bodies' charset when they are not UTF-8.
GMimeObject *message_body(const std::optional<std::string> &text, const std::optional<std::string> &html,
                          std::vector<GMimeObject *> inline_parts, std::vector<GMimeObject *> attached,
                          const char *charset = nullptr);

}  // namespace email::mime
