// Property bags and checks shared by the integration tests.
#pragma once

#include <cstdlib>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <rpa_common/json.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dovecot_peer.h"
#include "environment.h"
#include "json_bag.h"
#include "rpa/ext/email_session.h"
#include "test_host.h"

namespace test {

// An email_server bag for `user` against the peer on `port_name` (a DovecotPeer variable), with
// the peer's CA trusted. Implicit-TLS ports get tls_mode "implicit" (they are not 993/995 here).
inline JsonBag peer_bag(const std::string &protocol, const std::string &port_name,
                        const std::string &user = "alice") {
   const DovecotPeer &peer = DovecotPeer::get();
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "localhost")
       .set("port", peer.port(port_name))
       .set("username", user)
       .set("password", peer.password(user))
       .set("protocol", protocol)
       .set("ca_file", peer.ca_file())
       .set("timeout_seconds", 20);
   if (port_name == "PEER_IMAPS_PORT" || port_name == "PEER_POP3S_PORT") bag.set("tls_mode", "implicit");
   return bag;
}

// The outcome's result as a JSON document (FAILs the test unless it is an object).
inline rapidjson::Document result_of(const rpa_host::ActionOutcome &outcome) {
   rapidjson::Document result;
   result.Parse(outcome.result_json.c_str());
   REQUIRE(result.IsObject());
   return result;
}

// An email_server bag for a scripted or silent peer on 127.0.0.1:`port` (no TLS offered there,
// so tests that expect a login add use_secure_connection false).
inline JsonBag loopback_bag(int port, const std::string &protocol, const std::string &username,
                            const std::string &password) {
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "127.0.0.1")
       .set("port", port)
       .set("username", username)
       .set("password", password)
       .set("protocol", protocol);
   return bag;
}

// Runs `action` with `bag`, REQUIREs success (saying the status and message) and returns its result.
// Whether the SMTP peer runs (it needs root for Postfix: tests/peers/smtp/smtp-peer.sh); says why
// not, for the sending tests to skip.
inline bool smtp_peer_available() {
   if (DovecotPeer::get().value("PEER_SMTP") == "available") return true;
   MESSAGE("skipped: the SMTP peer needs root for Postfix (tests/peers/smtp/smtp-peer.sh)");
   return false;
}

inline rapidjson::Document run_ok(TestHost &host, const std::string &action, const JsonBag &bag) {
   auto outcome = host.run(action, bag.str());
   REQUIRE_MESSAGE(outcome.ok(),
                   action << ": " << rpa_status_name(outcome.status) << ": " << outcome.message);
   return result_of(outcome);
}

// The "session" member of a Connect outcome's result (the session's info).
inline rapidjson::Document session_of(const rpa_host::ActionOutcome &outcome) {
   rapidjson::Document result = result_of(outcome);
   REQUIRE(result.HasMember("session"));
   rapidjson::Document info;
   info.CopyFrom(result["session"], info.GetAllocator());
   return info;
}

// loopback_bag for a scripted server that speaks no TLS: use_secure_connection false, and a
// timeout_seconds of its own.
inline JsonBag plain_loopback_bag(int port, const std::string &protocol, const std::string &username,
                                  int timeout_seconds) {
   return loopback_bag(port, protocol, username, "pw")
       .set("use_secure_connection", false)
       .set("timeout_seconds", timeout_seconds);
}

// The folder names a Sibling.ListFolders outcome lists (FAILs the test unless it lists some).
inline std::vector<std::string> folders_of(const rpa_host::ActionOutcome &outcome) {
   rapidjson::Document result;
   result.Parse(outcome.result_json.c_str());
   REQUIRE(result.IsObject());
   REQUIRE(result.HasMember("folders"));
   std::vector<std::string> names;
   for (auto &name : result["folders"].GetArray()) names.emplace_back(name.GetString());
   return names;
}

inline bool contains(const std::vector<std::string> &names, const std::string &name) {
   return std::find(names.begin(), names.end(), name) != names.end();
}

inline bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}

// A text sink that appends to `text`.
inline rpa_text_sink string_sink(std::string &text) {
   return {sizeof(rpa_text_sink), &text, [](const rpa_text_sink *sink, const char *data, size_t size) {
              static_cast<std::string *>(sink->sink_data)->append(data, size);
           }};
}

// The email session stored under `name`, with one reference the caller releases through
// `session->handle.release`. FAILs the test unless it is there and compatible.
inline const rpa_email_session *email_session_named(TestHost &host, const char *name) {
   const rpa_session_handle *handle = nullptr;
   REQUIRE(host.services()->session_get(host.services()->host_data, name, RPA_EMAIL_SESSION_INTERFACE,
                                        RPA_EMAIL_SESSION_REVISION, &handle) == RPA_OK);
   const auto *session = reinterpret_cast<const rpa_email_session *>(handle);
   REQUIRE(rpa_email_session_is_compatible(session));
   return session;
}

// No log line and no outcome text holds any of the peer's passwords.
// Every secret the test peers know, so that no test's output can carry one unnoticed: each
// password file of the peer state (Dovecot's users, Kerberos and NTLM's alice, the proxies'
// users, the master user), the identity peer's user passwords and client secrets, the EWS peer's
// Basic passwords, and a line from the body of each app credential's private key.
inline const std::vector<std::string> &known_secrets() {
   static const std::vector<std::string> secrets = [] {
      const DovecotPeer &peer = DovecotPeer::get();
      std::vector<std::string> found;
      auto read = [](const std::string &path) {
         std::ifstream in(path, std::ios::binary);
         REQUIRE_MESSAGE(in, "cannot read " << path);
         return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      };
      auto add = [&](std::string secret) {
         while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
         if (secret.size() >= 6) found.push_back(std::move(secret));  // shorter ones are words
      };
      for (const auto &[name, path] : peer.values_ending_in("_PASSWORD_FILE")) add(read(path));
      rapidjson::Document directory, ews;
      REQUIRE(rpa::parse_json(directory, read(peer.value("PEER_IDENTITY_DIRECTORY"))));
      for (auto &user : directory["users"].GetObject()) add(user.value["password"].GetString());
      for (auto &client : directory["confidential_clients"].GetObject()) add(client.value.GetString());
      REQUIRE(rpa::parse_json(ews, read(peer.value("PEER_EWS_MAILBOXES"))));
      for (auto &mailbox : ews["mailboxes"].GetObject())
         if (mailbox.value.HasMember("password")) add(mailbox.value["password"].GetString());
      for (const char *credential : {"PEER_APP_CREDENTIAL", "PEER_OTHER_APP_CREDENTIAL"}) {
         const std::string pem = read(peer.value(credential));
         const std::size_t key = pem.find("PRIVATE KEY-----\n");
         REQUIRE(key != std::string::npos);
         const std::size_t line = key + 17, end = pem.find('\n', line);
         add(pem.substr(line, end - line));  // the key's first 64 base64 characters
      }
      REQUIRE(found.size() >= 20);
      return found;
   }();
   return secrets;
}

// CHECKs that no secret any peer knows is in `message`, `result` or the host's log lines.
inline void check_no_secret_leaked(const TestHost &host, const std::string &message,
                                   const std::string &result) {
   for (const std::string &secret : known_secrets()) {
      CHECK_MESSAGE(message.find(secret) == std::string::npos, "a secret in the message");
      CHECK_MESSAGE(result.find(secret) == std::string::npos, "a secret in the result");
      for (const std::string &line : host.logs())
         CHECK_MESSAGE(line.find(secret) == std::string::npos, "a secret in a log line");
   }
}

}  // namespace test
