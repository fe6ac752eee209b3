// rpa_email.dll, built for Windows, loaded under Wine by a minimal host of its own (the C ABI only:
// LoadLibraryW, rpa_entry, rpa.actions/1) and used against the Dovecot that ctest starts on the
// Linux side: Connect over IMAPS and POP3S, a wrong password, a certificate the system store does
// not trust, Disconnect; then deinit joins every thread init and the calls started, and after
// FreeLibrary no thread is left. scripts/windows/check-plugin.sh builds and runs it.
//
// Arguments: --plugin=PATH --host=H --imaps-port=N --pop3s-port=N --ca-file=PATH --user=U;
// the password comes in RPA_SMOKE_PASSWORD (never on a command line).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <windows.h>
#include <tlhelp32.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rpa/ext/actions.h"
#include "rpa/plugin.h"

namespace {

std::map<std::string, std::string> g_args;

std::wstring widen(const std::string &utf8) {
   const int size = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
   std::wstring wide(static_cast<std::size_t>(size), L'\0');
   MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), wide.data(), size);
   return wide;
}

// JSON string contents: the values here are paths and names from the test's own setup.
std::string json_text(const std::string &text) {
   std::string out;
   for (char c : text) {
      if (c == '\\' || c == '"') out.push_back('\\');
      out.push_back(c);
   }
   return out;
}

int process_threads() {
   HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
   THREADENTRY32 entry{};
   entry.dwSize = sizeof entry;
   int count = 0;
   for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry))
      if (entry.th32OwnerProcessID == GetCurrentProcessId()) ++count;
   CloseHandle(snapshot);
   return count;
}

struct Host {
   std::mutex mutex;
   std::vector<std::string> log;
   std::map<std::string, const rpa_session_handle *> sessions;
   rpa_host_services services{};

   Host() {
      services.struct_size = sizeof services;
      services.host_data = this;
      services.log = [](void *data, rpa_log_level, const char *message) {
         auto *host = static_cast<Host *>(data);
         std::lock_guard<std::mutex> lock(host->mutex);
         host->log.emplace_back(message);
      };
      services.vault_get = [](void *, const char *, const char *, const char *, char *, size_t, size_t *) {
         return RPA_CREDENTIAL_NOT_FOUND;
      };
      services.session_put = [](void *data, const char *name, const rpa_session_handle *session) {
         auto *host = static_cast<Host *>(data);
         std::lock_guard<std::mutex> lock(host->mutex);
         if (host->sessions.count(name)) return RPA_SESSION_NAME_IN_USE;
         session->retain(session);
         host->sessions[name] = session;
         return RPA_OK;
      };
      services.session_get = [](void *data, const char *name, const char *interface_name, unsigned revision,
                                const rpa_session_handle **session) {
         auto *host = static_cast<Host *>(data);
         std::lock_guard<std::mutex> lock(host->mutex);
         auto found = host->sessions.find(name);
         if (found == host->sessions.end()) return RPA_SESSION_NOT_FOUND;
         const rpa_session_handle *handle = found->second;
         if (rpa_interface_id_matches(handle->interface_id, interface_name, revision)) {
            handle->retain(handle);
            *session = handle;
            return RPA_OK;
         }
         if (!RPA_SESSION_HAS(handle, query_interface)) return RPA_UNSUPPORTED;
         *session = handle->query_interface(handle, interface_name, revision);
         return *session ? RPA_OK : RPA_UNSUPPORTED;
      };
      services.session_remove = [](void *data, const char *name) {
         auto *host = static_cast<Host *>(data);
         std::lock_guard<std::mutex> lock(host->mutex);
         auto found = host->sessions.find(name);
         if (found == host->sessions.end()) return RPA_SESSION_NOT_FOUND;
         found->second->release(found->second);
         host->sessions.erase(found);
         return RPA_OK;
      };
      services.is_cancelled = [](void *) { return 0; };
   }

   ~Host() {
      for (auto &named : sessions) named.second->release(named.second);
   }

   bool logged(const std::string &part) {
      std::lock_guard<std::mutex> lock(mutex);
      for (const std::string &line : log)
         if (line.find(part) != std::string::npos) return true;
      return false;
   }
};

struct Outcome {
   rpa_status status = RPA_INTERNAL;
   std::string message, result;
};

void append(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<std::string *>(sink->sink_data)->append(data, size);
}

Outcome invoke(const rpa_plugin_actions *actions, const char *id, const std::string &bag, Host &host) {
   Outcome outcome;
   rpa_text_sink message{sizeof(rpa_text_sink), &outcome.message, append};
   rpa_text_sink result{sizeof(rpa_text_sink), &outcome.result, append};
   rpa_invoke_result out{sizeof(rpa_invoke_result), &message, &result, nullptr};
   outcome.status = actions->invoke(id, bag.data(), bag.size(), &host.services, &out);
   return outcome;
}

// An email_server bag for the Dovecot peer; `ca_file` false: the system trust store (Windows' ROOT).
std::string connect_bag(const std::string &protocol, const std::string &port, const std::string &password,
                        const std::string &session, bool ca_file = true) {
   return "{\"connection\":\"email_server\",\"protocol\":\"" + protocol + "\",\"host\":\"" + g_args["host"] +
          "\",\"port\":" + port + ",\"tls_mode\":\"implicit\",\"username\":\"" + json_text(g_args["user"]) +
          "\",\"password\":\"" + json_text(password) + "\"," +
          (ca_file ? "\"ca_file\":\"" + json_text(g_args["ca-file"]) + "\"," : std::string()) +
          "\"timeout_seconds\":20,\"session_name\":\"" + session + "\"}";
}

}  // namespace

TEST_CASE("windows: rpa_email.dll connects over IMAPS and POP3S under Wine, and unloads leaving no thread") {
   const char *password = std::getenv("RPA_SMOKE_PASSWORD");
   REQUIRE(password);
   // The system DLLs the plugin imports, loaded first: threads that Wine's own start are theirs.
   for (const wchar_t *system :
        {L"ws2_32.dll", L"crypt32.dll", L"secur32.dll", L"bcrypt.dll", L"dnsapi.dll", L"iphlpapi.dll",
         L"ole32.dll", L"shlwapi.dll", L"shell32.dll", L"user32.dll", L"advapi32.dll"})
      CHECK(LoadLibraryW(system));
   const int threads_before = process_threads();

   HMODULE module = LoadLibraryW(widen(g_args["plugin"]).c_str());
   REQUIRE(module);
   const int threads_loaded = process_threads();
   const auto *entry = reinterpret_cast<const rpa_plugin_entry *>(GetProcAddress(module, RPA_ENTRY_SYMBOL));
   REQUIRE(entry);
   REQUIRE(rpa_plugin_entry_is_compatible(entry));
   const rpa_host_info info{sizeof(rpa_host_info), RPA_VERSION_INIT, "windows smoke test",
                            g_args["plugin"].c_str()};
   REQUIRE(entry->init(&info));
   const auto *actions = static_cast<const rpa_plugin_actions *>(entry->get_extension(RPA_EXT_ACTIONS));
   REQUIRE(actions);
   CHECK(actions->count() >= 3);
   {
      Host host;
      const Outcome imap = invoke(actions, "email.connect/1",
                                  connect_bag("IMAP", g_args["imaps-port"], password, "windows-imap"), host);
      INFO(imap.message);
      CHECK(imap.status == RPA_OK);
      CHECK(imap.result.find("\"tls_version\":\"TLSv1.") != std::string::npos);
      CHECK(host.logged("AUTHENTICATE PLAIN ****"));
      CHECK_FALSE(host.logged(password));
      CHECK(host.sessions.count("windows-imap") == 1);

      const Outcome pop3 = invoke(actions, "email.connect/1",
                                  connect_bag("POP3", g_args["pop3s-port"], password, "windows-pop3"), host);
      INFO(pop3.message);
      CHECK(pop3.status == RPA_OK);

      const Outcome wrong =
          invoke(actions, "email.connect/1",
                 connect_bag("IMAP", g_args["imaps-port"], "not the password", "windows-wrong"), host);
      CHECK(wrong.status == RPA_AUTHENTICATION_FAILED);
      CHECK(wrong.message.find("authentication failed") != std::string::npos);

      // Without ca_file the system store decides: Windows' ROOT store does not know the test CA.
      const Outcome untrusted =
          invoke(actions, "email.connect/1",
                 connect_bag("IMAP", g_args["imaps-port"], password, "windows-untrusted", false), host);
      INFO(untrusted.message);
      CHECK(untrusted.status == RPA_TLS_FAILED);
      CHECK(untrusted.message.find("certificate") != std::string::npos);
      CHECK(host.sessions.count("windows-untrusted") == 0);

      for (const char *name : {"windows-imap", "windows-pop3"}) {
         const Outcome closed =
             invoke(actions, "email.disconnect/1", std::string("{\"session_name\":\"") + name + "\"}", host);
         INFO(name << ": " << closed.message);
         CHECK(closed.status == RPA_OK);
      }
   }
   entry->deinit();
   Sleep(200);  // a thread ending after its join returns is still counted for a moment
   CHECK(process_threads() <= threads_loaded);
   CHECK(FreeLibrary(module));
   Sleep(200);
   CHECK(process_threads() <= threads_before);
   // Unmapped too: nothing pinned it (OpenSSL is built with no-pinshared; scripts/windows/deps.sh).
   CHECK(GetModuleHandleW(widen(g_args["plugin"]).c_str()) == nullptr);
}

int main(int argc, char **argv) {
   for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0 || arg.find('=') == std::string::npos) continue;
      g_args[arg.substr(2, arg.find('=') - 2)] = arg.substr(arg.find('=') + 1);
   }
   doctest::Context context(argc, argv);
   return context.run();
}
