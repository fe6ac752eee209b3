#include "graph/graph_backend.h"

#include "graph/graph_client.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

class GraphBackend final : public Backend {
 public:
   const char *protocol() const override { return "Graph"; }
   bool serves(const ConnectRequest &request) const override { return request.graph() != nullptr; }
   std::string server_label(const ConnectRequest &request) const override {
      return request.target_as<GraphTarget>().graph_url;
   }

   OpenedMailbox open(const ConnectRequest &request, CallContext &context) const override {
      const GraphTarget &graph = request.target_as<GraphTarget>();
      GraphSettings settings;
      settings.graph_url = graph.graph_url;
      settings.username = request.username;
      settings.mailbox = graph.mailbox;
      settings.oauth = oauth_settings(request, context);
      settings.tls = request.tls;
      OpenedMailbox opened;
      opened.server = graph.graph_url;
      opened.client = GraphClient::open(std::move(settings), context);
      return opened;
   }

   OAuthSettings oauth_settings(const ConnectRequest &request, CallContext &) const override {
      const GraphTarget &graph = request.target_as<GraphTarget>();
      OAuthSettings settings = request.oauth->clone();
      // Another user's or a shared mailbox needs the .Shared permission (delegated only).
      const bool shared = !graph.mailbox.empty() && graph.mailbox != to_lower_ascii(request.username);
      settings.scope = graph_scope(settings.flow, graph.resource, shared);
      return settings;
   }
};

}  // namespace

const Backend &graph_backend() {
   static const GraphBackend backend;
   return backend;
}

}  // namespace email
