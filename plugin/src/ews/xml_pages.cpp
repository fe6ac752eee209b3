#include "ews/xml_pages.h"

#include <pugixml.hpp>

#include <cstdlib>
#include <mutex>

namespace email::ews {

namespace {

// pugixml asks for its pages as 32 KiB of nodes plus its page header; every request in this range
// gets a block of the range's top size, so any kept page serves any such request.
constexpr std::size_t kPageLeast = 32 * 1024;
constexpr std::size_t kPageMost = 32 * 1024 + 512;
// Before each block: whether it is a page (1) or a block of its own size (0), padded to keep the
// caller's memory aligned as malloc's is.
constexpr std::size_t kHeader = alignof(std::max_align_t);
constexpr unsigned char kPage = 1, kOther = 0;

std::mutex g_mutex;
void *g_kept[kKeptXmlPages];
std::size_t g_count = 0;

void *allocate(std::size_t size) {
   const bool page = size >= kPageLeast && size <= kPageMost;
   if (page) {
      std::lock_guard<std::mutex> lock(g_mutex);
      if (g_count > 0) return static_cast<unsigned char *>(g_kept[--g_count]) + kHeader;
   }
   const std::size_t wanted = page ? kPageMost : size;
   if (wanted > static_cast<std::size_t>(-1) - kHeader) return nullptr;
   auto *block = static_cast<unsigned char *>(std::malloc(wanted + kHeader));
   if (!block) return nullptr;  // pugixml reports out of memory
   block[0] = page ? kPage : kOther;
   return block + kHeader;
}

void deallocate(void *memory) {
   if (!memory) return;
   unsigned char *block = static_cast<unsigned char *>(memory) - kHeader;
   if (block[0] == kPage) {
      std::lock_guard<std::mutex> lock(g_mutex);
      if (g_count < kKeptXmlPages) {
         g_kept[g_count++] = block;
         return;
      }
   }
   std::free(block);
}

}  // namespace

void install_xml_page_cache() { pugi::set_memory_management_functions(&allocate, &deallocate); }

void drop_kept_xml_pages() {
   std::lock_guard<std::mutex> lock(g_mutex);
   while (g_count > 0) std::free(g_kept[--g_count]);
}

std::size_t kept_xml_pages() {
   std::lock_guard<std::mutex> lock(g_mutex);
   return g_count;
}

}  // namespace email::ews
