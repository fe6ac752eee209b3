#include "ews/large_element_splitter.h"

#include <cstring>

#include "util/failure.h"

namespace email::ews {

LargeElementSplitter::LargeElementSplitter(std::string local_name) : local_name_(std::move(local_name)) {}

void LargeElementSplitter::keep(std::string_view bytes) {
   if (skeleton_.size() + bytes.size() > kMaxSkeletonBytes)
      throw Failure(RPA_PROTOCOL_ERROR, "the server's response holds more than " +
                                            std::to_string(kMaxSkeletonBytes / 1024) + " KiB besides its " +
                                            local_name_);
   skeleton_.append(bytes);
}

bool LargeElementSplitter::opens_element() const {
   if (tag_.size() < 2 || tag_[1] == '/' || tag_[1] == '!' || tag_[1] == '?') return false;
   if (tag_.size() >= 3 && tag_[tag_.size() - 2] == '/') return false;  // <t:MimeContent/>: empty
   const std::size_t end = tag_.find_first_of(" \t\r\n/>", 1);
   std::string_view name(tag_.data() + 1, (end == std::string::npos ? tag_.size() : end) - 1);
   const std::size_t colon = name.rfind(':');
   if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
   return name == local_name_;
}

void LargeElementSplitter::feed(std::string_view bytes) {
   while (!bytes.empty()) {
      if (state_ == State::text) {  // the element's text runs to the next '<', not kept
         const void *found = std::memchr(bytes.data(), '<', bytes.size());
         const std::size_t taken =
             found ? static_cast<std::size_t>(static_cast<const char *>(found) - bytes.data()) : bytes.size();
         fed_ += taken;
         bytes.remove_prefix(taken);
         if (!found) return;
         text_ = Span{text_start_, fed_ - text_start_};
         state_ = State::content;
      }
      if (state_ == State::content) {
         const void *found = std::memchr(bytes.data(), '<', bytes.size());
         const std::size_t taken =
             found ? static_cast<std::size_t>(static_cast<const char *>(found) - bytes.data()) : bytes.size();
         keep(bytes.substr(0, taken));
         fed_ += taken;
         bytes.remove_prefix(taken);
         if (!found) return;
         tag_.clear();
         state_ = State::tag;
      }
      // State::tag: up to and including the next '>'
      const void *found = std::memchr(bytes.data(), '>', bytes.size());
      const std::size_t taken =
          found ? static_cast<std::size_t>(static_cast<const char *>(found) - bytes.data()) + 1
                : bytes.size();
      keep(bytes.substr(0, taken));
      tag_.append(bytes.substr(0, std::min(taken, kMaxTagBytes - std::min(kMaxTagBytes, tag_.size()))));
      fed_ += taken;
      bytes.remove_prefix(taken);
      if (!found) return;
      state_ = State::content;
      if (tag_.back() == '>' && opens_element()) {
         if (text_)
            throw Failure(RPA_PROTOCOL_ERROR, "the server's response holds more than one " + local_name_);
         text_start_ = fed_;
         state_ = State::text;
      }
   }
}

void LargeElementSplitter::finish() {
   if (state_ == State::text)
      throw Failure(RPA_PROTOCOL_ERROR, "the server's response ended inside its " + local_name_);
}

}  // namespace email::ews
