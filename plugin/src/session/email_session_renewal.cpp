// EmailSessionObject's new connections in the middle of a session (email_session_object.h): after
// a lost one, and for a mailbox whose connection shows only the mail there when it opened.
#include "session/email_session_object.h"

#include "util/failure.h"

namespace email {

void EmailSessionObject::reconnect(const std::string &lost, CallContext &context) {
   context.host().info(protocol_ + ": the connection to " + facts_.host + " was lost (" + lost +
                       "); reconnecting once");
   client_.reset();  // the old connection is gone; free it before opening the next
   try {
      client_ = reopen_(context);
   } catch (const Failure &failed) {
      throw Failure(failed.status(), "the connection to " + facts_.host + " was lost (" + lost +
                                         ") and reconnecting failed: " + failed.what());
   }
   ++reconnects_;
   snapshot();
}

bool EmailSessionObject::shows_stale_view(const Failure &failure) {
   return failure.status() == RPA_MESSAGE_NOT_FOUND && reopen_ && client_ &&
          client_->mailbox().capabilities().sees_new_mail_on_new_connection_only;
}

void EmailSessionObject::renew_view(CallContext &context) {
   context.host().info(protocol_ + ": the message may have come after this connection opened (a " +
                       protocol_ +
                       " connection shows only the mail there then); opening a new one, which carries out "
                       "the deletions asked for so far");
   client_->logout(context);
   client_.reset();
   client_ = reopen_(context);
   ++reconnects_;
   snapshot();
}

}  // namespace email
