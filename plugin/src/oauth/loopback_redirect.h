// LoopbackRedirect: the one-shot HTTP listener that receives the browser's redirect at the end
// of an interactive sign-in (RFC 8252 section 7.3). Bound to loopback addresses only; reads one
// GET request line per connection (bounded), answers a small HTML page and closes.
#pragma once

#include <map>
#include <string>

#include "net/call_context.h"

namespace email {

class LoopbackRedirect {
 public:
   LoopbackRedirect();  // binds 127.0.0.1:0 (and [::1] on the same port when possible)
   ~LoopbackRedirect();
   LoopbackRedirect(const LoopbackRedirect &) = delete;
   LoopbackRedirect &operator=(const LoopbackRedirect &) = delete;

   std::string redirect_uri() const { return "http://localhost:" + std::to_string(port_) + "/"; }

   // Waits for the next request to the redirect path and returns its decoded query parameters;
   // requests for other paths (a browser's /favicon.ico) get 404 and are skipped. The caller
   // answers with respond().
   std::map<std::string, std::string> next_query(CallContext &context);
   void respond(int status, const std::string &title, const std::string &text);

 private:
   int listeners_[2] = {-1, -1};
   int client_ = -1;
   unsigned port_ = 0;
};

}  // namespace email
