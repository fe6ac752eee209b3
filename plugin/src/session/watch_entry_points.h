// The C entry point of "email.watch/1" (rpa/ext/email_watch.h) on EmailSessionObject: the
// arguments read and checked (the filter as email.mailbox/1's search filter, with poll_seconds),
// and the wait run by the session's SessionWatcher outside the session's lock.
#pragma once

#include "mailbox/mailbox.h"
#include "rpa/ext/email_watch.h"

namespace email {

// Sets every function of `table` (its handle is the session object's business).
void fill_watch_interface(rpa_email_watch &table);

// The filter of a wait: the search members (mailbox/mailbox_json.h) and poll_seconds (1-3600),
// which it sets in `poll_seconds` when given (else leaves it). Throws Failure(invalid_properties) naming the
// member; limit, order and cursor are refused (a wait has its own).
SearchQuery parse_wait_filter(const char *json, unsigned &poll_seconds);

}  // namespace email
