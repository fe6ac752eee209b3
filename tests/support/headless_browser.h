// HeadlessBrowser: what a user's browser does during Authorize, for tests. Given the sign-in URL
// the plugin asked the host to open, it GETs it (trusting the test CA), takes the identity
// peer's redirect (Location) and GETs that — the plugin's loopback redirect address — exactly
// as a browser would after the user signed in. Runs on its own thread, because the plugin is
// waiting for the redirect while open_url returns.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test {

// The body of a GET of `url` (https, trusting the test CA), e.g. a peer's test statistics.
std::string https_get(const std::string &url);

class HeadlessBrowser {
 public:
   ~HeadlessBrowser();  // joins every visit

   // Starts a visit of `url`; `rewrite` may change the redirect target before it is followed
   // (a test that tampers with state or code). Returns at once.
   void visit(const std::string &url, std::function<std::string(std::string)> rewrite = {});

   std::vector<std::string> opened() const;     // every URL given to visit()
   std::vector<std::string> redirects() const;  // every redirect target followed
   std::vector<std::string> pages() const;      // every final page body (the plugin's answer)

 private:
   mutable std::mutex mutex_;
   std::vector<std::thread> visits_;
   std::vector<std::string> opened_, redirects_, pages_;
};

}  // namespace test
