// What the OAuth2 and EWS integration tests know about the identity and EWS peers: their test
// directories (tests/peers/identity/directory.json, tests/peers/ews/mailboxes.json) and bags for
// them. Passwords come from those files, never from the state file or a command line.
#pragma once

#include <rapidjson/document.h>

#include <cstdlib>
#include <string>

#include "connect_helpers.h"
#include "files.h"

namespace test {

class IdentityPeer {
 public:
   static const IdentityPeer &get() {
      static const IdentityPeer peer;
      return peer;
   }
   std::string tenant() const { return directory_["tenant"].GetString(); }
   std::string public_client() const { return directory_["public_clients"][0].GetString(); }
   std::string app_client() const {
      return directory_["confidential_clients"].MemberBegin()->name.GetString();
   }
   std::string app_secret() const {
      return directory_["confidential_clients"].MemberBegin()->value.GetString();
   }
   // The app registration an admin granted no application permission (directory.json app_roles).
   std::string unpermitted_client() const {
      return (directory_["confidential_clients"].MemberBegin() + 1)->name.GetString();
   }
   std::string unpermitted_secret() const {
      return (directory_["confidential_clients"].MemberBegin() + 1)->value.GetString();
   }
   // The app registered with a certificate credential (the peer's --app-cert) and no secret.
   std::string certificate_client() const { return directory_["certificate_clients"][0].GetString(); }
   std::string password(const std::string &user) const {
      return directory_["users"][user.c_str()]["password"].GetString();
   }
   std::string ews_password(const std::string &mailbox) const {
      return mailboxes_["mailboxes"][mailbox.c_str()]["password"].GetString();
   }

 private:
   IdentityPeer() {
      const DovecotPeer &peer = DovecotPeer::get();
      directory_.Parse(read_file(peer.value("PEER_IDENTITY_DIRECTORY")).c_str());
      mailboxes_.Parse(read_file(peer.value("PEER_EWS_MAILBOXES")).c_str());
      REQUIRE(directory_.IsObject());
      REQUIRE(mailboxes_.IsObject());
   }
   rapidjson::Document directory_, mailboxes_;
};

// While alive, the plugin's DNS lookups go to the DNS peer (Autodiscover's SRV records).
struct WithTestDns {
   WithTestDns() { set_environment("RPA_EMAIL_DNS_SERVERS", DovecotPeer::get().value("PEER_DNS_SERVER")); }
   ~WithTestDns() { unset_environment("RPA_EMAIL_DNS_SERVERS"); }
   WithTestDns(const WithTestDns &) = delete;
   WithTestDns &operator=(const WithTestDns &) = delete;
};

// An EWS bag for `mailbox` at the EWS peer, without a password.
inline JsonBag ews_bag(const std::string &mailbox) {
   const DovecotPeer &peer = DovecotPeer::get();
   JsonBag bag;
   bag.set("connection", "ews")
       .set("username", mailbox)
       .set("ews_url", peer.value("PEER_EWS_URL"))
       .set("ca_file", peer.ca_file())
       .set("timeout_seconds", 20);
   return bag;
}

// An EWS bag for `mailbox` at the EWS peer with Basic authentication.
inline JsonBag ews_basic_bag(const std::string &mailbox) {
   JsonBag bag = ews_bag(mailbox);
   return bag.set("password", IdentityPeer::get().ews_password(mailbox));
}

// The OAuth2 fields for the identity peer (public client, delegated); add "password" for the
// password grant, or set auth_type "oauth2_app" and a client_secret for app-only.
inline JsonBag &with_oauth2(JsonBag &bag) {
   const IdentityPeer &identity = IdentityPeer::get();
   return bag.set("auth_type", "oauth2")
       .set("client_id", identity.public_client())
       .set("tenant_id", identity.tenant())
       .set("authority", DovecotPeer::get().value("PEER_AUTHORITY"));
}

// An EWS bag for `mailbox` with OAuth2 and no password.
inline JsonBag ews_oauth2_bag(const std::string &mailbox) {
   JsonBag bag = ews_bag(mailbox);
   return with_oauth2(bag);
}

// An IMAP or POP3 bag for the Dovecot that takes OAuth2 tokens (`instance` "OAUTH" offers
// OAUTHBEARER and XOAUTH2, "XOAUTH" XOAUTH2 alone), signing in with the password grant.
inline JsonBag oauth2_mail_bag(const std::string &protocol, const std::string &instance,
                               const std::string &user = "alice") {
   const DovecotPeer &peer = DovecotPeer::get();
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "localhost")
       .set("protocol", protocol)
       .set("port", peer.port("PEER_" + instance + (protocol == "IMAP" ? "_IMAPS_PORT" : "_POP3S_PORT")))
       .set("tls_mode", "implicit")
       .set("ca_file", peer.ca_file())
       .set("timeout_seconds", 20)
       .set("username", user)
       .set("password", IdentityPeer::get().password(user));
   return with_oauth2(bag);
}

// A microsoft365 bag for the Graph peer: delegated (the password grant of alice@contoso.test)
// signed in as `user`.
inline JsonBag graph_bag(const std::string &user) {
   const DovecotPeer &peer = DovecotPeer::get();
   JsonBag bag;
   bag.set("connection", "microsoft365")
       .set("username", user)
       .set("graph_url", peer.value("PEER_GRAPH_URL"))
       .set("ca_file", peer.ca_file())
       .set("timeout_seconds", 20);
   with_oauth2(bag);
   return bag.set("password", IdentityPeer::get().password("alice@contoso.test"));
}

// A microsoft365 bag, app-only (client credentials), for the mailbox `mailbox`.
inline JsonBag graph_app_bag(const std::string &mailbox) {
   const IdentityPeer &identity = IdentityPeer::get();
   JsonBag bag = graph_bag(mailbox);
   return bag.erase("password")
       .set("auth_type", "oauth2_app")
       .set("client_id", identity.app_client())
       .set("client_secret", identity.app_secret());
}

// A microsoft365 bag, app-only with a certificate credential: `certificate` is a PEM path or
// text holding certificate and key (the fixture's PEER_APP_CREDENTIAL is the registered one).
inline JsonBag graph_certificate_bag(const std::string &mailbox, const std::string &certificate) {
   JsonBag bag = graph_app_bag(mailbox);
   return bag.erase("client_secret")
       .set("client_id", IdentityPeer::get().certificate_client())
       .set("client_certificate", certificate);
}

}  // namespace test
