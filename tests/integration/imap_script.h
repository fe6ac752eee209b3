// Scripted IMAP servers (ScriptedServer, silent_server.h) for what Dovecot will not act out on
// request: a server without BINARY, a folder that will not open, an unsolicited FETCH.
//
//   test::ScriptedServer server(test::kImapGreeting, test::imap_responder([&](const test::ImapCommand &c) {
//      if (c.has(" SELECT ")) return "* OK [UIDVALIDITY 7] ok\r\n" + c.tag + " OK done\r\n";
//      return std::string();  // "BAD not in this script"
//   }));
#pragma once

#include <functional>
#include <string>

#include "silent_server.h"

namespace test {

// Offers AUTH=PLAIN with SASL-IR, so Connect signs in with one AUTHENTICATE line.
inline const char *const kImapGreeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n";

// One command line the client sent, with its tag.
struct ImapCommand {
   const std::string &line;
   std::string tag;
   bool has(const char *what) const { return line.find(what) != std::string::npos; }
};

// Signs anyone in (AUTHENTICATE: OK with IMAP4rev1 and UIDPLUS), says BYE to LOGOUT, and leaves
// the rest to `script`; a line `script` answers with "" gets "BAD not in this script".
inline ScriptedServer::Responder imap_responder(std::function<std::string(const ImapCommand &)> script) {
   return ScriptedServer::Responder([script = std::move(script)](const std::string &line) -> std::string {
      const ImapCommand command{line, line.substr(0, line.find(' '))};
      if (command.has(" AUTHENTICATE "))
         return command.tag + " OK [CAPABILITY IMAP4rev1 UIDPLUS] welcome\r\n";
      if (command.has(" LOGOUT")) return "* BYE bye\r\n" + command.tag + " OK done\r\n";
      std::string answer = script(command);
      return answer.empty() ? command.tag + " BAD not in this script\r\n" : answer;
   });
}

}  // namespace test
