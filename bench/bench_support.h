// What the benchmarks share: the peer's state file, whole files, and JSON string quoting.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <atomic>
#include <chrono>
#include <thread>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "action_invoker.h"
#include "host_services_table.h"
#include "plugin_registry.h"
#include "rpa/ext/email_session.h"
#include "session_table.h"

namespace bench {

// The real host parts around the plugins in one folder, logging only errors, with the Email
// plugin's Connect and Disconnect found (`ok()` says whether they were).
struct QuietHost {
   explicit QuietHost(const std::string &plugin_dir) : services(sessions, nullptr, quiet_log(), cancelled) {
      services.offer_cancel_signal(&cancel_signal);  // "rpa.cancel-signal/1", as TestHost offers it
      plugins.load_folder(plugin_dir, [](const std::string &text) { std::cerr << text << "\n"; });
      connect = plugins.find("Email.Connect");
      disconnect = plugins.find("Email.Disconnect");
      if (!ok()) std::cerr << "the Email plugin is not in " << plugin_dir << "\n";
   }
   bool ok() const { return connect.descriptor && disconnect.descriptor; }
   static rpa_host::LogSink quiet_log() {
      rpa_host::LogSink quiet;
      quiet.min_level = RPA_LOG_ERROR;
      return quiet;
   }

   rpa_host::PluginRegistry plugins;  // declared first: destroyed last
   std::atomic<bool> cancelled{false};
   rpa_host::CancelSignal cancel_signal{cancelled};
   rpa_host::SessionTable sessions;
   rpa_host::HostServicesTable services;
   rpa_host::FoundAction connect, disconnect;
};

// The interface `id` (revision 1) of the session `name` as a `T` (rpa_email_mailbox, ...), or null
// when there is none; the caller releases it (handle.release).
template <typename T>
const T *session_interface(const rpa_host_services *host, const std::string &name, const char *id) {
   const rpa_session_handle *handle = nullptr;
   host->session_get(host->host_data, name.c_str(), id, 1, &handle);
   return reinterpret_cast<const T *>(handle);
}

// The KEY=VALUE lines of the test peer's state file (tests/peers/dovecot/dovecot-peer.sh).
inline std::map<std::string, std::string> read_state(const std::string &path) {
   std::map<std::string, std::string> values;
   std::ifstream file(path);
   std::string line;
   while (std::getline(file, line)) {
      auto equals = line.find('=');
      if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
   }
   return values;
}

inline std::string read_file(const std::string &path) {
   std::ifstream file(path, std::ios::binary);
   std::stringstream text;
   text << file.rdbuf();
   return text.str();
}

// The most heap in use above the level when it started, sampled every millisecond until stopped.
class HeapPeak {
 public:
   HeapPeak()
       : baseline_(mallinfo2().uordblks), thread_([this] {
            while (!stop_) {
               const std::size_t now = mallinfo2().uordblks;
               peak_ = std::max<std::size_t>(peak_, now > baseline_ ? now - baseline_ : 0);
               std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
         }) {}
   double stop_mb() {
      stop_ = true;
      thread_.join();
      return static_cast<double>(peak_) / 1048576.0;
   }

 private:
   std::size_t baseline_;
   std::atomic<bool> stop_{false};
   std::atomic<std::size_t> peak_{0};
   std::thread thread_;
};

// CPU time (user + system) of RUSAGE_SELF or RUSAGE_CHILDREN so far, in milliseconds.
inline double cpu_ms(int who) {
   rusage usage{};
   getrusage(who, &usage);
   return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

// Minor page faults of this process so far (fresh memory touched the first time).
inline long minor_faults() {
   rusage usage{};
   getrusage(RUSAGE_SELF, &usage);
   return usage.ru_minflt;
}

inline double median(std::vector<double> values) {
   std::sort(values.begin(), values.end());
   return values.empty() ? 0 : values[values.size() / 2];
}

// A text sink that keeps what it is given.
inline void append_text(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<std::string *>(sink->sink_data)->append(data, size);
}
struct Text {
   std::string text;
   rpa_text_sink sink{sizeof(rpa_text_sink), &text, &append_text};
};

// Runs a Python script that prints one number (CPU ms, median of its rounds): that line, or "n/a".
inline std::string python(const std::string &script, const std::string &arguments) {
   char path[] = "/tmp/rpa-bench-XXXXXX.py";
   const int fd = mkstemps(path, 3);
   if (fd < 0) return "n/a";
   std::ofstream(path) << script;
   close(fd);
   std::string out = "n/a";
   if (FILE *pipe = ::popen(("python3 " + std::string(path) + " " + arguments).c_str(), "r")) {
      char line[128] = {};
      if (std::fgets(line, sizeof line, pipe)) out = std::string(line, std::strcspn(line, "\n"));
      ::pclose(pipe);
   }
   std::remove(path);
   return out;
}

// What a session's info (email.session/1) counts so far: round trips and bytes (0 when absent).
struct SessionStats {
   unsigned long long round_trips = 0, sent = 0, received = 0;
};
inline SessionStats session_stats(const rpa_email_session *session) {
   Text json;
   session->info(session, &json.sink);
   rapidjson::Document info;
   info.Parse(json.text.c_str());
   if (!info.IsObject()) return {};
   auto count = [&](const char *name) {
      return info.HasMember(name) && info[name].IsUint64() ? info[name].GetUint64() : 0ULL;
   };
   return {count("round_trips"), count("bytes_sent"), count("bytes_received")};
}

// `text` as a JSON string literal.
inline std::string quote(const std::string &text) {
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
   writer.String(text.c_str());
   return buffer.GetString();
}

}  // namespace bench
