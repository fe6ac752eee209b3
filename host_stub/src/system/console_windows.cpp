// system/console.h on Windows.
#include "system/console.h"

#include <windows.h>
#include <shellapi.h>

#include <fcntl.h>
#include <io.h>

#include <cstdio>
#include <cstdlib>

#include "rpa_common/utf16.h"

namespace rpa_host {

namespace {
std::atomic<bool> *g_cancelled = nullptr;

// Runs on a thread of its own that Windows starts for the event.
void (*g_on_cancel)() = nullptr;

BOOL WINAPI on_console_event(DWORD event) {
   if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && event != CTRL_CLOSE_EVENT) return FALSE;
   if (g_cancelled->exchange(true)) std::_Exit(130);
   if (g_on_cancel) g_on_cancel();  // this handler runs on a thread of its own
   return TRUE;
}
}  // namespace

std::vector<std::string> utf8_arguments(int argc, char **argv) {
   int count = 0;
   wchar_t **wide = CommandLineToArgvW(GetCommandLineW(), &count);
   if (!wide) return {argv, argv + argc};
   std::vector<std::string> arguments;
   for (int i = 0; i < count; ++i) arguments.push_back(rpa::narrow(wide[i]));
   LocalFree(wide);
   return arguments;
}

void prepare_console(std::atomic<bool> &cancelled, void (*on_cancel)()) {
   g_on_cancel = on_cancel;
   g_cancelled = &cancelled;
   SetConsoleCtrlHandler(on_console_event, TRUE);
   SetConsoleOutputCP(CP_UTF8);  // what rpa-host writes is UTF-8: a console shows 田中 as 田中
   _setmode(_fileno(stdin), _O_BINARY);
   _setmode(_fileno(stdout), _O_BINARY);
   _setmode(_fileno(stderr), _O_BINARY);
}

std::optional<rpa::SecretString> environment_value(const char *name) {
   const wchar_t *wide = _wgetenv(rpa::widen(name).c_str());  // the C runtime's own copy
   if (!wide) return std::nullopt;
   const int length = WideCharToMultiByte(CP_UTF8, 0, wide, -1, nullptr, 0, nullptr, nullptr);  // with NUL
   rpa::SecretString value;
   if (length <= 1) return value;
   value.reserve(static_cast<std::size_t>(length));
   value.resize_within_capacity(static_cast<std::size_t>(length));
   WideCharToMultiByte(CP_UTF8, 0, wide, -1, value.mutable_data(), length, nullptr, nullptr);
   value.resize_within_capacity(static_cast<std::size_t>(length - 1));  // without the NUL
   return value;
}

bool set_terminal_echo(bool on) {
   HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
   DWORD mode = 0;
   if (input == INVALID_HANDLE_VALUE || !GetConsoleMode(input, &mode)) return false;  // not a console
   mode = on ? (mode | ENABLE_ECHO_INPUT) : (mode & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
   return SetConsoleMode(input, mode) != 0;
}

bool open_in_desktop_browser(const std::string &url) {
   // ShellExecute runs whatever it is given: only an http(s) address reaches it.
   if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
   const auto result = reinterpret_cast<INT_PTR>(
       ShellExecuteW(nullptr, L"open", rpa::widen(url).c_str(), nullptr, nullptr, SW_SHOWNORMAL));
   return result > 32;  // ShellExecute's own success convention
}

}  // namespace rpa_host
