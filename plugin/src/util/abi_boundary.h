// Helpers for the places where plugin C++ meets the C ABI (entry.cpp, the session object):
// writing text to a host sink, a sink that collects into a std::string, and the guard that
// turns every exception into a status plus a message, so none crosses the boundary.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "rpa/text_sink.h"
#include "rpa/status.h"
#include "util/failure.h"

namespace email {

inline void write_text(const rpa_text_sink *sink, const std::string &text) {
   if (rpa_text_sink_is_usable(sink) && !text.empty()) sink->append(sink, text.data(), text.size());
}

// Writes to `sink` piece by piece (a JsonPieceSink); nothing when the sink is not usable.
inline auto text_pieces(const rpa_text_sink *sink) {
   return [sink](std::string_view piece) {
      if (rpa_text_sink_is_usable(sink) && !piece.empty()) sink->append(sink, piece.data(), piece.size());
   };
}

// A sink over a std::string the caller owns.
class StringSink {
 public:
   StringSink() : sink_{sizeof(rpa_text_sink), &text_, &StringSink::append} {}
   StringSink(const StringSink &) = delete;
   StringSink &operator=(const StringSink &) = delete;
   const rpa_text_sink *sink() const { return &sink_; }
   const std::string &text() const { return text_; }

 private:
   static void append(const rpa_text_sink *sink, const char *data, size_t size) {
      static_cast<std::string *>(sink->sink_data)->append(data, size);
   }
   std::string text_;
   rpa_text_sink sink_;
};

// Runs `work` (returning rpa_status); whatever it throws becomes a status, and its message goes
// to `message`. `where` names the component in internal-error messages.
template <typename Work>
rpa_status guard_boundary(const rpa_text_sink *message, const char *where, Work work) noexcept {
   try {
      return work();
   } catch (const Failure &failure) {
      write_text(message, failure.what());
      return failure.status();
   } catch (const std::bad_alloc &) {
      write_text(message, "out of memory");
      return RPA_INTERNAL;
   } catch (const std::exception &error) {
      write_text(message, std::string("internal error in ") + where + ": " + error.what());
      return RPA_INTERNAL;
   } catch (...) {
      write_text(message, std::string("internal error in ") + where);
      return RPA_INTERNAL;
   }
}

}  // namespace email
