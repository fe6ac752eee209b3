// rpa-host designer: the Actions palette as a local web page (host_stub/designer/*, embedded at
// build time), served on 127.0.0.1 with cpprestsdk's http_listener.
//
// Who may use it: the printed address carries a one-time token; the first page load (GET / with
// ?token=) sets it as an HttpOnly, SameSite=Strict cookie, every later request must carry it in a
// header (the cookie), and every API request in the X-Designer-Token header too (a page of
// another site can set neither). The Host header must name the loopback address and port (no DNS
// rebinding), a cross-origin Origin is refused, and no CORS header is ever sent. Refusals are 403.
//
// API (JSON in and out; one action at a time):
//   GET  /api/actions      every loaded action with its schema
//   GET  /api/vault        the vault's names ("locker/credential/attribute"), never values
//   POST /api/vault        {locker, credential, attribute, value}: stores one secret
//   POST /api/test         {action, properties}: runs it; a session it opened is closed again
//   POST /api/invoke       {action, properties}: runs it (the schema's buttons, e.g. Authorize)
//   GET  /api/sign-in      {url}: the sign-in page the running action asked to open, or null
//   POST /api/bot/save     {path, steps}: writes a bot file rpa-host run accepts (locked, atomic)
//   POST /api/bot/run      {path}: runs a bot file; {output, code}
// Secrets: a typed value reaches the host only to run, store or save; nothing is logged. The
// request bodies that carry one sit in cpprestsdk's strings until the request is done.
#pragma once

#include <atomic>
#include <iosfwd>

#include "cli.h"

namespace rpa_host {

// Serves until `cancelled` (Ctrl-C). Prints the address with its token on `out`.
int run_designer(const CommandLine &line, const std::atomic<bool> &cancelled, std::ostream &out,
                 std::ostream &errors);

}  // namespace rpa_host
