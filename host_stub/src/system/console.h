// The console and desktop rpa-host runs in: its arguments, Ctrl-C, the standard streams, a
// terminal's echo, a browser.
// Linux: argv as given, sigaction, getenv, termios, xdg-open. Windows: the UTF-16 command line and
// environment made UTF-8, SetConsoleCtrlHandler, _setmode, the console mode, ShellExecuteW.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "rpa_common/secret.h"

namespace rpa_host {

// The program's arguments in UTF-8 (on Windows, from GetCommandLineW: argv is in the ANSI code page
// there, which cannot name C:\Users\田中\ on most systems).
std::vector<std::string> utf8_arguments(int argc, char **argv);

// Ctrl-C (and SIGTERM, or closing the console window) sets `cancelled`; a second one ends the
// process with exit code 130. On Linux a write to a closed pipe becomes an error, not a signal; on
// Windows the standard streams become binary, so a secret piped in and JSON written out pass
// unchanged (no CR LF translation, no end at ^Z), and the console shows UTF-8. `cancelled` must
// outlive main. `on_cancel`, when given, runs once after the first one, on a thread of its own
// and never in a signal handler (Linux: the handler writes to a pipe a thread waits on; Windows:
// the console's handler thread), so it may take locks: rpa-host rings its CancelSignal there.
void prepare_console(std::atomic<bool> &cancelled, void (*on_cancel)() = nullptr);

// An environment variable's value in UTF-8, in wiping memory (it may be a passphrase); nullopt when
// it is not set. On Windows from the UTF-16 environment: getenv's ANSI code page would give a
// Japanese passphrase other bytes than Linux does, and the same vault would not open on both.
std::optional<rpa::SecretString> environment_value(const char *name);

// Turns the echo of the standard input's terminal off or on. False when the input is no terminal.
bool set_terminal_echo(bool on);

// Shows an http(s) address in the desktop's browser; false when there is no desktop to show it on.
bool open_in_desktop_browser(const std::string &url);

}  // namespace rpa_host
