// MessageSender: how a session sends a message (email.send/2, rpa/ext/email_send.h), whatever the
// connection type: the envelope and the finished RFC 5322 message, streamed from its source. An
// email_server session sends over SMTP (smtp/smtp_sender.h), which the session owns; a service that
// sends itself (EWS: ews/ews_sender.h, Microsoft Graph: graph/graph_sender.h) offers its sender through
// MailClient::sender(). The session serialises calls on either.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/call_context.h"
#include "session/mail_client.h"

namespace email {

// The message's bytes, read once from the start: lines end in CRLF (the composer and the raw
// message spool make them so). read() fills up to `size` bytes and returns how many; 0 at the end.
class MessageSource {
 public:
   virtual ~MessageSource() = default;
   virtual std::size_t read(char *buffer, std::size_t size) = 0;
   // Reads to the end, in chunks of 64 KiB, into `sink` (the services that take the message
   // whole or parse it first: Graph, EWS, Outlook).
   void read_all(const ByteSink &sink) {
      std::string buffer(64 * 1024, '\0');
      while (const std::size_t got = read(buffer.data(), buffer.size()))
         sink(std::string_view(buffer.data(), got));
   }
};

// One message to send.
struct Submission {
   std::string from;                     // the envelope sender (MAIL FROM); "" for the null path <>
   std::vector<std::string> recipients;  // to, cc and bcc together, each once
   std::uint64_t size = 0;               // the message's size in bytes
   bool eightbit = false;                // the message has 8-bit text (BODY=8BITMIME)
   bool utf8_headers = false;            // headers or addresses in UTF-8 (SMTPUTF8, RFC 6531)
   // The recipients in neither To nor Cc. SMTP carries them in the envelope only; a service that
   // reads the recipients from the message itself (Graph) is given them in a Bcc field, which it
   // leaves out of what it delivers, as Exchange does with Outlook's Bcc.
   std::vector<std::string> bcc;
   bool keep_copy = false;  // SentCopy::kept_if_asked: keep a copy in the sent folder
};

// Where the copy of a sent message goes.
enum class SentCopy {
   appended,       // nowhere by itself: the session appends one to the sent folder (SMTP)
   kept_if_asked,  // the service keeps one when Submission::keep_copy is set (EWS)
   always_kept,    // the service keeps one in Sent Items whatever is asked (Graph's MIME sends)
};

struct RefusedRecipient {
   std::string address;
   std::string reason;  // the server's reply ("550 5.1.1 <x@y>: Recipient address rejected ...")
};

struct SubmissionResult {
   std::vector<std::string> accepted;
   std::vector<RefusedRecipient> refused;
   std::string server_said;   // the final reply's text: often the queue id ("2.0.0 Ok: queued as 4F3A")
   unsigned round_trips = 0;  // replies waited for, in this transaction
   bool copy_kept = false;    // the service put a copy in the sent folder itself
};

class MessageSender {
 public:
   virtual ~MessageSender() = default;
   virtual const char *protocol() const = 0;  // "SMTP", "EWS", "Graph"
   virtual SentCopy sent_copy() const { return SentCopy::appended; }
   // What the sending connection came to ("" host when none is open now).
   virtual ConnectionFacts facts() const = 0;
   // Sends one message. Throws Failure (see SmtpClient::send for the statuses).
   virtual SubmissionResult send(const Submission &submission, MessageSource &message,
                                 CallContext &context) = 0;
   // Says goodbye, best effort.
   virtual void close(CallContext &context) = 0;
};

}  // namespace email
