#include "pop3/pop3_backend.h"

#include "line/mail_server_backend.h"
#include "pop3/pop3_client.h"

namespace email {

const Backend &pop3_backend() {
   static const MailServerBackend backend({MailProtocol::pop3, "POP3", "POP", &open_line_client<Pop3Client>});
   return backend;
}

}  // namespace email
