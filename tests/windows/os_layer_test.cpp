// The plugin's Windows parts (net/sockets_windows.cpp, net/trust_store_windows.cpp,
// util/files_windows.cpp, rpa_common's utf16_windows.cpp) built for Windows and run under Wine against a Linux loopback peer:
// scripts/windows/check-os-layer.sh builds and runs it. Argument: the port of a loopback server
// that greets with "* OK" and then waits.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <string>

#include "net/sockets.h"
#include "net/trust_store.h"
#include "rpa_common/utf16.h"
#include "util/files.h"

#include <windows.h>

namespace {

unsigned g_peer_port = 0;

sockaddr_in loopback(unsigned port) {
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(static_cast<u_short>(port));
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   return address;
}

// Connects without blocking, as Transport does; 0 or the system's error.
int connect_to(int fd, unsigned port) {
   const sockaddr_in address = loopback(port);
   const int started =
       email::sockets::connect_start(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
   if (started < 0) return email::sockets::last_error();
   if (started == 0) return 0;
   pollfd entry = email::sockets::poll_entry(fd, POLLOUT);
   REQUIRE(email::sockets::poll(&entry, 1, 5000) == 1);
   return email::sockets::connect_error(fd);
}

}  // namespace

TEST_CASE("windows: the system trust store is Windows' ROOT and CA stores, in OpenSSL") {
   SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
   REQUIRE(ctx);
   CHECK(email::load_system_trust(ctx));
   CHECK(sk_X509_OBJECT_num(X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx))) > 50);
   SSL_CTX_free(ctx);
}

TEST_CASE("windows: UTF-8 inside, UTF-16 at the API, both ways") {
   const std::string tanaka =
       "C:\\Users\\\xe7\x94\xb0\xe4\xb8\xad\\\xe6\xb7\xbb\xe4\xbb\x98";  // C:\Users\田中\添付
   CHECK(rpa::widen(tanaka) == L"C:\\Users\\\x7530\x4e2d\\\x6dfb\x4ed8");
   CHECK(rpa::narrow(rpa::widen(tanaka)) == tanaka);
}

TEST_CASE("windows: temporary files are private and vanish when closed; files open by UTF-8 names") {
   std::string error;
   std::FILE *temporary = email::open_temporary_file(error);
   REQUIRE_MESSAGE(temporary, error);
   CHECK(std::fwrite("spooled body", 1, 12, temporary) == 12);
   CHECK(email::empty_file(temporary));
   CHECK(std::fwrite("again", 1, 5, temporary) == 5);
   std::rewind(temporary);
   char back[16] = {};
   CHECK(std::fread(back, 1, sizeof back, temporary) == 5);
   CHECK(std::string(back) == "again");
   // The temporary folder holds no rpa-email-* file once it is closed.
   const auto left = [] {
      wchar_t folder[MAX_PATH + 1];
      const DWORD length = GetTempPathW(MAX_PATH + 1, folder);
      WIN32_FIND_DATAW found;
      HANDLE search = FindFirstFileW((std::wstring(folder, length) + L"rpa-email-*").c_str(), &found);
      if (search == INVALID_HANDLE_VALUE) return 0;
      int count = 1;
      while (FindNextFileW(search, &found)) ++count;
      FindClose(search);
      return count;
   };
   CHECK(left() == 1);
   std::fclose(temporary);
   CHECK(left() == 0);

   // A certificate file under C:\Users\田中 shape: a UTF-8 name opens.
   wchar_t folder[MAX_PATH + 1];
   const std::wstring tanaka = std::wstring(folder, GetTempPathW(MAX_PATH + 1, folder)) + L"\x7530\x4e2d.pem";
   HANDLE made = CreateFileW(tanaka.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
   REQUIRE(made != INVALID_HANDLE_VALUE);
   DWORD written = 0;
   WriteFile(made, "PEM", 3, &written, nullptr);
   CloseHandle(made);
   std::FILE *named = email::open_file_for_reading(rpa::narrow(tanaka), error);
   REQUIRE_MESSAGE(named, error);
   CHECK(std::fread(back, 1, sizeof back, named) == 3);
   std::fclose(named);
   DeleteFileW(tanaka.c_str());
   CHECK(email::open_file_for_reading(rpa::narrow(tanaka), error) == nullptr);
   CHECK_FALSE(error.empty());  // the system's words for "not found"
}

TEST_CASE("windows: Winsock connects without blocking, reads what a Linux peer sends, and names errors") {
   REQUIRE(g_peer_port != 0);
   const int fd = email::sockets::open_stream(AF_INET, true);
   REQUIRE(fd >= 0);
   REQUIRE(connect_to(fd, g_peer_port) == 0);
   pollfd entry = email::sockets::poll_entry(fd, POLLIN);
   REQUIRE(email::sockets::poll(&entry, 1, 5000) == 1);
   char greeting[64] = {};
   const long got = email::sockets::recv(fd, greeting, sizeof greeting - 1);
   CHECK(std::string(greeting, got > 0 ? static_cast<std::size_t>(got) : 0).rfind("* OK", 0) == 0);
   CHECK_FALSE(email::sockets::peer_hung_up(fd));
   CHECK(email::sockets::send(fd, "a1 LOGOUT\r\n", 11) == 11);
   email::sockets::close(fd);

   const int refused = email::sockets::open_stream(AF_INET, true);
   const int listener = email::sockets::listen_loopback(AF_INET, 0);  // a port that is free, then closed
   const unsigned closed_port = email::sockets::local_port(listener);
   CHECK(closed_port != 0);
   email::sockets::close(listener);
   const int error = connect_to(refused, closed_port);
   CHECK(error != 0);
   CHECK(email::sockets::error_text(error).find("refused") != std::string::npos);
   email::sockets::close(refused);
}

TEST_CASE("windows: a loopback listener accepts, and the accepted socket is blocking and not inherited") {
   const int listener = email::sockets::listen_loopback(AF_INET, 0);
   REQUIRE(listener >= 0);
   const int client = email::sockets::open_stream(AF_INET, true);
   REQUIRE(connect_to(client, email::sockets::local_port(listener)) == 0);
   pollfd entry = email::sockets::poll_entry(listener, POLLIN);
   REQUIRE(email::sockets::poll(&entry, 1, 5000) == 1);
   const int accepted = email::sockets::accept(listener);
   REQUIRE(accepted >= 0);
   DWORD flags = 0;
   CHECK(GetHandleInformation(reinterpret_cast<HANDLE>(static_cast<std::intptr_t>(accepted)), &flags));
   CHECK((flags & HANDLE_FLAG_INHERIT) == 0);
   email::sockets::close(client);
   pollfd hangup = email::sockets::poll_entry(accepted, POLLIN);
   email::sockets::poll(&hangup, 1, 5000);
   CHECK(email::sockets::peer_hung_up(accepted));
   email::sockets::close(accepted);
   email::sockets::close(listener);
}

int main(int argc, char **argv) {
   for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]).rfind("--peer-port=", 0) == 0)
         g_peer_port = static_cast<unsigned>(std::atoi(argv[i] + 12));
   doctest::Context context(argc, argv);
   return context.run();
}
