// What a bot asks to send (email.send/2, rpa/ext/email_send.h), read from its JSON with every
// member checked before anything is sent: a message built from parts (parse_send_request), or the
// envelope of a raw message (parse_raw_envelope). Addresses stay as the bot wrote them here; the
// composer (mime/message_composer.h) parses them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace email {

enum class SaveCopy { automatic, always, never };

struct OutgoingAttachment {
   std::string path;          // the file to attach (UTF-8)
   std::string name;          // the name the recipient sees; "" = the file's own name
   std::string content_type;  // "" = from the name's extension
   std::string content_id;    // "" = an attachment; else an inline image named "cid:<content_id>"
   // Or the index of a byte source the caller gave (email.send/2), its bytes put in a file of
   // their own before composing (session/attachment_sources.h): path is then that file.
   std::optional<std::size_t> source;
};

struct OutgoingMessage {
   std::string from;  // "" = the session's own address
   // Each entry one address or several, separated by "," or ";" ("Sales <sales@contoso.com>").
   std::vector<std::string> to, cc, bcc, reply_to;
   std::string subject;
   std::optional<std::string> text, html;
   std::vector<OutgoingAttachment> attachments;
   std::string importance;  // "", "low", "normal", "high"
   // "utf-8", or "iso-2022-jp" (mime/iso2022jp.h): the subject, the names and the bodies in it.
   std::string charset = "utf-8";
   SaveCopy save_copy = SaveCopy::automatic;
   // A reply's threading headers (RFC 5322 3.6.4): "<id@host>" and the chain before it; "" = none.
   std::string in_reply_to, references;
};

// Throws Failure(invalid_properties) naming the member: not JSON, an unknown member, a value of
// the wrong kind, no recipient at all, a charset other than utf-8 and iso-2022-jp.
OutgoingMessage parse_send_request(const char *json);

// Reply and forward (email_send.h): the message's own members as for send, and these.
struct ReplyRequest {
   OutgoingMessage message;      // to may stay empty: the original's sender is the recipient
   bool all = false;             // to every recipient of the original too
   std::string language = "en";  // "en" | "ja": the line above the quoted original
};
struct ForwardRequest {
   OutgoingMessage message;     // needs a recipient
   bool as_attachment = false;  // the original as message/rfc822, else inline with its attachments
   std::string language = "en";
};
// Throw Failure(invalid_properties) naming the member, as parse_send_request does.
ReplyRequest parse_reply_request(const char *json);
ForwardRequest parse_forward_request(const char *json);

struct RawEnvelope {
   std::string from;                     // "" = the message's From, else the session's address
   std::vector<std::string> recipients;  // empty = the message's To, Cc and Bcc
   SaveCopy save_copy = SaveCopy::automatic;
};

// NULL or "" gives the defaults. Throws Failure(invalid_properties) naming the member.
RawEnvelope parse_raw_envelope(const char *json);

}  // namespace email
