# Per-target warnings and sanitizers, applied by one small function each.

# rpa_set_warnings(<target>): the project's warning set, as errors in CI (RPA_WARNINGS_AS_ERRORS).
option(RPA_WARNINGS_AS_ERRORS "Treat warnings as errors" OFF)
function(rpa_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor $<$<BOOL:${RPA_WARNINGS_AS_ERRORS}>:-Werror>)
endfunction()

# RPA_SANITIZE="address;undefined" adds those sanitizers to every target of ours; RPA_FUZZ (clang
# only, the `fuzz` preset) adds libFuzzer's coverage instrumentation and builds fuzz/ binaries.
set(RPA_SANITIZE "" CACHE STRING "Sanitizers to enable, e.g. address;undefined")
option(RPA_FUZZ "Build the libFuzzer targets (clang)" OFF)
function(rpa_enable_sanitizers target)
  if(RPA_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  if(RPA_SANITIZE)
    list(JOIN RPA_SANITIZE "," sanitizers)
    target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
    if("thread" IN_LIST RPA_SANITIZE)
      # GCC warns that TSan cannot model the std::atomic_thread_fence in Boost.Asio's fenced blocks
      # (instantiated where the plugin posts to cpprestsdk's io_service); a note, not a defect.
      target_compile_options(${target} PRIVATE -Wno-tsan)
    endif()
    if("undefined" IN_LIST RPA_SANITIZE)
      # UBSan's vptr check misfires on cpprestsdk's header templates (basic_streambuf) that our
      # hidden-visibility libraries instantiate while libcpprest.so holds the other typeinfo.
      target_compile_options(${target} PRIVATE -fno-sanitize=vptr)
    endif()
  endif()
endfunction()
