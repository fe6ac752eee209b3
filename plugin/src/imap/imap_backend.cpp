#include "imap/imap_backend.h"

#include "imap/imap_client.h"
#include "line/mail_server_backend.h"

namespace email {

const Backend &imap_backend() {
   static const MailServerBackend backend(
       {MailProtocol::imap, "IMAP", "IMAP", &open_line_client<ImapClient>});
   return backend;
}

}  // namespace email
