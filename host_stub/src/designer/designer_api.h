// DesignerApi: what the designer page asks the host to do (designer.h lists the requests). Plain
// C++ in and out, no HTTP: the server (designer.cpp) guards and routes, this does the work. One
// call at a time (the server serialises them), since actions share the session table.
#pragma once

#include <string>
#include <vector>

#include "bot_folder.h"
#include "host_services_table.h"
#include "plugin_registry.h"
#include "session_table.h"
#include "vault.h"

namespace rpa_host {

struct ApiAnswer {
   int http_status = 200;
   std::string json;  // the body
};

class DesignerApi {
 public:
   DesignerApi(const PluginRegistry &plugins, Vault *vault, SessionTable &sessions,
               const HostServicesTable &host, const BotFolder &bots)
       : plugins_(plugins), vault_(vault), sessions_(sessions), host_(host), bots_(bots) {}

   ApiAnswer actions() const;
   ApiAnswer vault_names() const;
   // `body` may hold a secret; the caller wipes it.
   ApiAnswer store_secret(const std::string &body);
   // Runs {action, properties}; with `close_sessions`, sessions the run opened are closed again.
   ApiAnswer invoke(const std::string &body, bool close_sessions);
   // {path, steps} / {path}: `path` names a file in the bot folder (bot_folder.h); anything
   // that could reach outside it is a 400 saying why.
   ApiAnswer save_bot(const std::string &body);
   ApiAnswer run_bot_file(const std::string &body);

 private:
   // Closes (removes from the table) every session opened since `before` was taken.
   void close_sessions_since(const std::vector<std::string> &before);

   const PluginRegistry &plugins_;
   Vault *vault_;
   SessionTable &sessions_;
   const HostServicesTable &host_;
   const BotFolder &bots_;
};

// {"error": message} with `status`.
ApiAnswer api_error(int status, const std::string &message);

}  // namespace rpa_host
