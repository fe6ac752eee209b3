// Replays corpus files through a fuzz target's entry point, without a fuzzing engine: what the
// normal test suite runs so that every seed and every past finding stays fixed.
//   fuzz_replay_<target> DIR_OR_FILE...
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {
void collect(const std::string &path, std::vector<std::string> &files) {
   struct stat info {};
   if (::stat(path.c_str(), &info) != 0) return;
   if (!S_ISDIR(info.st_mode)) {
      files.push_back(path);
      return;
   }
   if (DIR *dir = ::opendir(path.c_str())) {
      while (dirent *entry = ::readdir(dir))
         if (entry->d_name[0] != '.') collect(path + "/" + entry->d_name, files);
      ::closedir(dir);
   }
}
}  // namespace

int main(int argc, char **argv) {
   std::vector<std::string> files;
   for (int i = 1; i < argc; ++i) collect(argv[i], files);
   std::sort(files.begin(), files.end());
   if (files.empty()) {
      std::fprintf(stderr, "no corpus files given\n");
      return 1;
   }
   for (const std::string &file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
   }
   std::printf("replayed %zu inputs\n", files.size());
   return 0;
}
