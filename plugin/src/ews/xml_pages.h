// pugixml's memory, recycled. A GetItem answer of 1,000 summaries builds about 2 MB of pugixml's
// node pages (32 KiB each), all freed when the answer has been read; glibc hands memory freed in
// such amounts back to the kernel, so the next answer touched fresh pages again: about 450 page
// faults per listing, on a virtual machine a fault costs microseconds. Freed pages are kept here,
// at most kKeptXmlPages of them (2.5 MiB), for the next document to take.
//
// pugixml is linked into the plugin statically (Debian ships libpugixml.a only, and the plugin
// exports nothing but its entry), so its allocator is the plugin's own: no other library's XML
// goes through this.
//
//   install_xml_page_cache();  // at the first init, before any document exists
//   ...
//   drop_kept_xml_pages();     // at the last deinit: the kept pages go back to the heap
//
// The functions stay installed after drop_kept_xml_pages(): a block made through them must be freed
// through them. Thread-safe (one mutex, held for a push or a pop).
#pragma once

#include <cstddef>

namespace email::ews {

constexpr std::size_t kKeptXmlPages = 80;

// Makes pugixml allocate through the cache. Only while no pugixml document is alive (a block
// allocated by malloc before must not be freed through the cache); calling it again is harmless.
void install_xml_page_cache();

// Frees the pages kept (at unload); pugixml goes on allocating through the cache.
void drop_kept_xml_pages();

// How many freed pages are kept now (tests).
std::size_t kept_xml_pages();

}  // namespace email::ews
