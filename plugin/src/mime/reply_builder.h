// Reply and forward, built from the original message (a MessageFile: mime/message_file.h) into an
// OutgoingMessage that the composer (mime/message_composer.h) writes as any other:
//   - reply: to the original's Reply-To, else its From; with `all`, its To and Cc too, the
//     session's own addresses left out; "Re: " once (an existing Re:, RE:, 返信: is kept);
//     In-Reply-To and References (RFC 5322 3.6.4); the original's text quoted with "> " and its
//     HTML in a blockquote, under "On <date>, <sender> wrote:" (ja: "<date>、<sender> さんは書きました:").
//   - forward: "Fwd: " once (Fwd:, FW:, Fw:, 転送: kept); inline, the original's text and HTML under a
//     "Forwarded message" block (From, Date, Subject, To; ja: 差出人, 日付, 件名, 宛先) and its
//     attachments attached again; or the whole original as message/rfc822.
// The request's own text and HTML come first.
#pragma once

#include <string>
#include <vector>

#include "mime/message_file.h"
#include "mime/outgoing_message.h"
#include "util/files.h"

namespace email {

// `own_addresses`: the session's addresses, never replied to with `all`.
OutgoingMessage build_reply(const mime::MessageFile &original, const ReplyRequest &request,
                            const std::vector<std::string> &own_addresses);

// `directory` receives the files the forward attaches (the original's attachments, or the original
// itself); it must outlive the composition.
OutgoingMessage build_forward(const mime::MessageFile &original, const ForwardRequest &request,
                              const PrivateDirectory &directory);

// The subject with `prefix` ("Re: ", "Fwd: ") unless it already starts with one of `known`
// (compared without case, after spaces).
std::string prefixed_subject(const std::string &subject, const std::string &prefix,
                             const std::vector<std::string> &known);

}  // namespace email
