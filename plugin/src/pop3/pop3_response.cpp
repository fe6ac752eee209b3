#include "pop3/pop3_response.h"

#include <stdexcept>

#include "util/text.h"

namespace email::pop3 {

Reply parse_reply(std::string_view line) {
   Reply reply;
   std::string_view rest;
   if (istarts_with(line, "+OK")) {
      reply.kind = Reply::Kind::ok;
      rest = line.substr(3);
   } else if (istarts_with(line, "-ERR")) {
      reply.kind = Reply::Kind::err;
      rest = line.substr(4);
   } else if (line == "+" || istarts_with(line, "+ ")) {
      reply.kind = Reply::Kind::continuation;
      reply.text = std::string(line.size() > 2 ? line.substr(2) : "");
      return reply;
   } else {
      throw std::invalid_argument("not a POP3 reply");
   }
   if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
   if (rest.substr(0, 1) == "[") {
      std::size_t close = rest.find(']');
      if (close != std::string_view::npos) {
         reply.code = std::string(rest.substr(1, close - 1));
         rest = rest.substr(close + 1);
         if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      }
   }
   reply.text = std::string(rest);
   return reply;
}

bool unstuff_multiline(std::string &line) {
   if (line == ".") return false;
   if (!line.empty() && line.front() == '.') line.erase(0, 1);
   return true;
}

bool Capabilities::has(std::string_view name) const {
   for (const auto &capability : names)
      if (iequals(capability, name)) return true;
   return false;
}

bool Capabilities::offers_sasl(std::string_view mechanism) const {
   for (const auto &offered : sasl_mechanisms)
      if (iequals(offered, mechanism)) return true;
   return false;
}

Capabilities parse_capabilities(const std::vector<std::string> &lines) {
   Capabilities capabilities;
   capabilities.lines = lines;
   for (const auto &line : lines) {
      std::string_view rest = line;
      std::size_t space = rest.find(' ');
      std::string name = to_upper_ascii(rest.substr(0, space));
      if (name.empty()) continue;
      capabilities.names.push_back(name);
      if (name == "SASL" && space != std::string_view::npos) {
         rest = rest.substr(space + 1);
         while (!rest.empty()) {
            std::size_t next = rest.find(' ');
            if (next != 0) capabilities.sasl_mechanisms.emplace_back(rest.substr(0, next));
            rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
         }
      }
   }
   return capabilities;
}

}  // namespace email::pop3
