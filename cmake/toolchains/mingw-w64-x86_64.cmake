# Cross-compiling for Windows x64 with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix: the POSIX
# thread model, which std::thread and std::mutex need). The dependencies come from
# scripts/windows/deps.sh, whose prefix is RPA_WINDOWS_DEPS (scripts/build-windows.sh passes it).
# Programs run under Wine where CMake or CTest needs to run one.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(RPA_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${RPA_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${RPA_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${RPA_MINGW_TRIPLET}-windres)

if(NOT RPA_WINDOWS_DEPS AND DEFINED ENV{RPA_WINDOWS_DEPS})
  set(RPA_WINDOWS_DEPS "$ENV{RPA_WINDOWS_DEPS}")
endif()
set(RPA_WINDOWS_DEPS "${RPA_WINDOWS_DEPS}" CACHE PATH "Prefix of the Windows dependencies (scripts/windows/deps.sh)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES RPA_WINDOWS_DEPS)

set(CMAKE_FIND_ROOT_PATH "${RPA_WINDOWS_DEPS}" /usr/${RPA_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} "${RPA_WINDOWS_DEPS}/lib/pkgconfig:/usr/${RPA_MINGW_TRIPLET}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(PKG_CONFIG_ARGN --static)
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)  # static libraries, never a DLL's import library (zlib has both)  # the dependencies are static libraries: their private libraries too

# Every program and DLL carries its C and C++ runtime (libgcc, libstdc++, winpthread) and the
# static dependencies inside it: nothing to install beside it, no DLL of another version found first.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")
# Windows 10 is the oldest Windows a bot runner has; _WIN32_WINNT says so to the headers. windows.h
# without its extras: no wincrypt.h macros over OpenSSL's names (X509_NAME...), no min/max macros,
# no GDI's GetObject macro over RapidJSON's.
set(RPA_WINDOWS_DEFINES "-D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 -DWIN32_LEAN_AND_MEAN -DNOMINMAX -DNOGDI")
set(CMAKE_C_FLAGS_INIT "${RPA_WINDOWS_DEFINES}")
set(CMAKE_CXX_FLAGS_INIT "${RPA_WINDOWS_DEFINES}")

# Debian's /usr/bin/wine wants the 32-bit loader as well; the 64-bit loader runs 64-bit programs alone.
find_program(RPA_WINE NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH)
find_program(RPA_WINE NAMES wine64 wine)
if(RPA_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${RPA_WINE}")
endif()
