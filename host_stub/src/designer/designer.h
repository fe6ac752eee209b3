// rpa-host designer: the Actions palette as a local web page (host_stub/designer/*, embedded at
// build time), served on 127.0.0.1 with cpprestsdk's http_listener.
//
// Who may use it: it listens on 127.0.0.1 alone. The printed address carries a one-time token:
// the first page load (GET / with ?token=) exchanges it for a fresh random session secret, set as
// an HttpOnly, SameSite=Strict cookie and written into the page (a meta tag), and redirects to /.
// The token is then spent: a load with it and without the cookie is a 403 page saying to restart
// the designer. Every later request must carry the cookie, and every API request the secret in
// the X-Designer-Token header too (a page of another site can set neither). The Host header must
// name the loopback address and port (no DNS rebinding), a cross-origin Origin is refused, and no
// CORS header is ever sent. Refusals are 403; a body over 1 MiB is 413; an exception's own text
// goes to the terminal (`errors`), never to the page. /favicon.svg (and .ico) needs no token.
// Bot files are named relative to the bot folder (--bots, bot_folder.h) and never leave it.
//
// API (JSON in and out; one action at a time):
//   GET  /api/actions      every loaded action with its schema
//   GET  /api/vault        the vault's names ("locker/credential/attribute"), never values
//   POST /api/vault        {locker, credential, attribute, value}: stores one secret
//   POST /api/test         {action, properties}: runs it; a session it opened is closed again
//   POST /api/invoke       {action, properties}: runs it (the schema's buttons, e.g. Authorize)
//   GET  /api/sign-in      {url}: the sign-in page the running action asked to open, or null
//   POST /api/bot/save     {path, steps}: writes a bot file rpa-host run accepts (locked, atomic)
//                          in the bot folder; {path, file, steps}
//   POST /api/bot/run      {path}: runs a bot file of the bot folder; {output, code}
// Secrets: a typed value reaches the host only to run, store or save; nothing is logged. The
// request bodies that carry one sit in cpprestsdk's strings until the request is done.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace rpa_host {

class CancelSignal;

// What `rpa-host designer` was started with (the command line, cli.h, fills it in).
struct DesignerOptions {
   std::vector<std::string> plugin_folders;
   std::string vault_path;  // "" for none: the page then offers no vault
   bool verbose = false;
   std::uint16_t port = 0;  // 0: a free port
   std::string bots = ".";  // the bot folder
};

// Serves until `cancelled` (Ctrl-C). Prints the address with its token on `out`; returns
// kExitUsage when --bots is not a folder. `signal`, when given, is offered to the plugins as
// "rpa.cancel-signal/1" (cancel_signal.h): a step that waits (for new mail) sleeps until Ctrl-C
// rings it instead of asking every second.
int run_designer(const DesignerOptions &options, const std::atomic<bool> &cancelled, std::ostream &out,
                 std::ostream &errors, CancelSignal *signal = nullptr);

}  // namespace rpa_host
