// system/console.h on Linux.
#include "system/console.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

namespace rpa_host {

namespace {
std::atomic<bool> *g_cancelled = nullptr;
int g_cancel_pipe[2] = {-1, -1};  // the handler writes a byte; a thread reads it and runs on_cancel

extern "C" void on_interrupt(int) {
   if (g_cancelled->exchange(true)) ::_exit(130);
   if (g_cancel_pipe[1] >= 0) {
      const char byte = 1;
      [[maybe_unused]] const ssize_t written = ::write(g_cancel_pipe[1], &byte, 1);  // async-signal-safe
   }
}
}  // namespace

std::vector<std::string> utf8_arguments(int argc, char **argv) { return {argv, argv + argc}; }

void prepare_console(std::atomic<bool> &cancelled, void (*on_cancel)()) {
   g_cancelled = &cancelled;
   if (on_cancel && ::pipe(g_cancel_pipe) == 0) {
      ::fcntl(g_cancel_pipe[0], F_SETFD, FD_CLOEXEC);
      ::fcntl(g_cancel_pipe[1], F_SETFD, FD_CLOEXEC);
      std::thread([on_cancel] {
         char byte = 0;
         ssize_t got = 0;
         while ((got = ::read(g_cancel_pipe[0], &byte, 1)) < 0 && errno == EINTR) {}
         if (got == 1) on_cancel();
      }).detach();  // waits for the first Ctrl-C for the process's lifetime
   }
   struct sigaction action {};
   action.sa_handler = on_interrupt;
   sigemptyset(&action.sa_mask);
   sigaction(SIGINT, &action, nullptr);
   sigaction(SIGTERM, &action, nullptr);
   signal(SIGPIPE, SIG_IGN);
}

std::optional<rpa::SecretString> environment_value(const char *name) {
   const char *value = std::getenv(name);
   if (!value) return std::nullopt;
   return rpa::SecretString(value);
}

bool set_terminal_echo(bool on) {
   termios mode{};
   if (!::isatty(STDIN_FILENO) || ::tcgetattr(STDIN_FILENO, &mode) != 0) return false;
   if (on)
      mode.c_lflag |= ECHO;
   else
      mode.c_lflag &= ~static_cast<tcflag_t>(ECHO);
   return ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &mode) == 0;
}

bool open_in_desktop_browser(const std::string &url) {
   // xdg-open opens files and runs their handlers too: only an http(s) address reaches it.
   if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
   if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return false;
   posix_spawn_file_actions_t actions;
   posix_spawn_file_actions_init(&actions);
   posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
   posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
   std::string program = "xdg-open";
   std::string argument = url;
   char *argv[] = {program.data(), argument.data(), nullptr};
   pid_t child = 0;
   const bool started = posix_spawnp(&child, "xdg-open", &actions, nullptr, argv, environ) == 0;
   if (started) {
      int status = 0;
      ::waitpid(child, &status, 0);  // xdg-open hands over to the browser and returns
   }
   posix_spawn_file_actions_destroy(&actions);
   return started;
}

}  // namespace rpa_host
