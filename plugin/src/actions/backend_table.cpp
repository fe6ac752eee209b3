#include "actions/backend_table.h"

#include "ews/ews_backend.h"
#include "graph/graph_backend.h"
#include "imap/imap_backend.h"
#include "outlook/outlook_backend.h"
#include "pop3/pop3_backend.h"
#include "util/failure.h"

namespace email {

const Backend &backend_for(const ConnectRequest &request) {
   for (const Backend *backend :
        {&imap_backend(), &pop3_backend(), &ews_backend(), &graph_backend(), &outlook_backend()})
      if (backend->serves(request)) return *backend;
   throw Failure(RPA_UNSUPPORTED, "this connection type opens no mailbox here");
}

}  // namespace email
