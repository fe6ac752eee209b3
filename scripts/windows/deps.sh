#!/usr/bin/env bash
# Cross-builds the plugin's dependencies for Windows x64 from Debian 12's own source packages
# (deps.versions), as static libraries, into a cache outside the checkout, and prints the prefix.
#
#   scripts/windows/deps.sh            # builds once, then prints the cached prefix at once
#   scripts/windows/deps.sh glib       # only the steps up to GLib
#
# The cache is ${RPA_WINDOWS_DEPS_CACHE:-$HOME/.cache/rpa-email/windows-deps}/<key>, where the key is
# a hash of deps.versions and the compiler's version; inside it, each step is stamped with its recipe
# (its function and the files it builds with). A fresh clone of the repository (CI's) reuses it; a
# changed recipe rebuilds that step and the ones after it. Sources come
# through `apt-get source` with an apt configuration of this script's own (a deb-src list in the
# cache), never the machine's. Needs the packages scripts/setup-debian.sh installs for Windows.
#
# Built: OpenSSL 3 (no-shared), c-ares, pugixml, RE2, libffi, PCRE2, GLib (+ GObject, GIO), GMime,
# cpprestsdk (its asio HTTP client and listener, as on Linux). Taken from Debian's binary packages as
# they are: the MinGW-w64 runtime and zlib (libz-mingw-w64-dev), the Boost, RapidJSON and doctest
# headers (libboost-dev, rapidjson-dev, doctest-dev: headers are the same for every system).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
triplet=x86_64-w64-mingw32
cache_root=${RPA_WINDOWS_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rpa-email/windows-deps}
compiler_version=$($triplet-g++-posix -dumpversion)
# The prefix is keyed by the versions and the compiler; each step inside it by its own recipe (the
# function's text and the files it builds with), so that a changed recipe rebuilds that step and the
# ones after it, and nothing else.
key=$(cat "$here/deps.versions" | sha256sum | cut -c1-16)-gcc$compiler_version
prefix=$cache_root/$key
work=$cache_root/work-$key
log() { echo "windows deps: $*" >&2; }
jobs=$(nproc)
started=$SECONDS

# --- sources: Debian's, through apt's own configuration kept in the cache ---------------------------
apt_dir=$cache_root/apt
apt_options=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
             -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Debug::NoLocking=1"
             -o "APT::Sandbox::User=root" -q)
apt_ready=false
apt_update() {
  $apt_ready && return
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  cat > "$apt_dir/sources.list" <<'EOF'
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
  apt-get "${apt_options[@]}" update >&2
  apt_ready=true
}

# unpack PACKAGE: the source tree of the pinned version (or the newest that downloads) in $work/src-PACKAGE
unpack() {
  local package=$1 pinned tree=$work/src-$1
  pinned=$(awk -v p="$package" '$1 == p { print $2 }' "$here/deps.versions")
  [ -f "$tree/.unpacked" ] && { echo "$tree"; return; }
  apt_update
  rm -rf "$tree" && mkdir -p "$work/sources/$package"
  local version got=""
  (cd "$work/sources/$package" && apt-get "${apt_options[@]}" source --download-only "$package=$pinned" >&2) && got=$pinned
  if [ -z "$got" ]; then
    for version in $(apt-cache "${apt_options[@]}" showsrc "$package" | awk '/^Version:/ { print $2 }' | sort -rV); do
      (cd "$work/sources/$package" && apt-get "${apt_options[@]}" source --download-only "$package=$version" >&2) &&
        { got=$version; log "$package $pinned is not on the mirror: using $version"; break; }
    done
  fi
  [ -n "$got" ] || { log "could not download the source of $package"; return 1; }
  local dsc
  dsc=$(ls "$work/sources/$package/"*"_${got#*:}.dsc") &&
    dpkg-source --no-check -x "$dsc" "$tree" >&2 || return 1
  echo "$package $got" >> "$prefix/versions.txt"
  touch "$tree/.unpacked"
  echo "$tree"
}

# step NAME FUNCTION: runs a build step unless the prefix has it from the same recipe and no step
# before it was rebuilt; its output goes to a log in the work directory.
rebuilding=false
recipe() {  # recipe FUNCTION: a hash of the step's function, the helpers it calls and its own files
  {
    declare -f "$1" cmake_project autotools_project unpack
    case $1 in
      build_libintl) cat "$here/libintl.c" "$here/libintl.h" ;;
      build_gmime) cat "$here"/gmime/* ;;
      build_cpprest) cat "$here/cpprest-mingw.py" ;;
    esac
  } | sha256sum | cut -c1-16
}
step() {
  local name=$1 function=$2 stamp
  stamp=$prefix/.steps/$name-$(recipe "$function")
  if ! $rebuilding && [ -f "$stamp" ]; then return; fi
  rebuilding=true
  log "building $name"
  local begun=$SECONDS
  if ! "$function" > "$work/$name.log" 2>&1; then
    log "$name failed; the last lines of $work/$name.log:"; tail -30 "$work/$name.log" >&2; exit 1
  fi
  log "$name built in $((SECONDS - begun)) s"
  rm -f "$prefix/.steps/$name-"*
  touch "$stamp"
}

export PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig:/usr/$triplet/lib/pkgconfig PKG_CONFIG_PATH=
cmake_cross=(-G Ninja -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_PROCESSOR=x86_64
             -DCMAKE_C_COMPILER=$triplet-gcc-posix -DCMAKE_CXX_COMPILER=$triplet-g++-posix
             -DCMAKE_RC_COMPILER=$triplet-windres -DCMAKE_FIND_ROOT_PATH="$prefix;/usr/$triplet"
             -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY
             -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY
             -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF
             -DCMAKE_C_FLAGS="-D_WIN32_WINNT=0x0A00" -DCMAKE_CXX_FLAGS="-D_WIN32_WINNT=0x0A00")
cmake_project() {  # cmake_project SOURCE_DIR [OPTIONS...]: configure, build and install a CMake project
  local source=$1 build; shift
  build=$work/build-$(basename "$source")
  rm -rf "$build"
  cmake -S "$source" -B "$build" "${cmake_cross[@]}" "$@" && cmake --build "$build" -j "$jobs" &&
    cmake --install "$build"
}
autotools_project() {  # autotools_project SOURCE_DIR [CONFIGURE OPTIONS...]
  local source=$1; shift
  (cd "$source" && ./configure --host=$triplet --prefix="$prefix" --disable-shared --enable-static \
     CC=$triplet-gcc-posix CXX=$triplet-g++-posix "$@" && make -j "$jobs" && make install)
}

# no-pinshared: a static OpenSSL otherwise pins the module it is linked into (GetModuleHandleEx with
# GET_MODULE_HANDLE_EX_FLAG_PIN), so FreeLibrary would never unload the plugin. Its atexit cleanup
# then runs when the DLL is unloaded.
build_openssl() {
  local source; source=$(unpack openssl) || return 1
  (cd "$source" && ./Configure mingw64 --cross-compile-prefix=$triplet- --prefix="$prefix" --libdir=lib \
     no-shared no-pinshared no-tests no-engine no-module -D_WIN32_WINNT=0x0A00 &&
   make -j "$jobs" build_libs && make install_dev)
}
# c-ares 1.18.1's inet_net_pton.c uses BIND's short names that only its Unix headers define.
build_cares() { local s; s=$(unpack c-ares) && cmake_project "$s" -DCMAKE_C_FLAGS="-DINADDRSZ=4 -DIN6ADDRSZ=16 -DINT16SZ=2" -DCARES_STATIC=ON -DCARES_SHARED=OFF -DCARES_BUILD_TOOLS=OFF -DCARES_BUILD_TESTS=OFF; }
build_pugixml() { local s; s=$(unpack pugixml) && cmake_project "$s" -DPUGIXML_BUILD_TESTS=OFF; }
# Debian's +dfsg RE2 leaves out the generated Unicode tables; they are made again from the
# unicode-data package, as Debian's own build does (REBUILD_TABLES=1).
build_re2() {
  local s; s=$(unpack re2) &&
    make -C "$s" REBUILD_TABLES=1 re2/perl_groups.cc re2/unicode_casefold.cc re2/unicode_groups.cc &&
    cmake_project "$s" -DRE2_BUILD_TESTING=OFF
}
build_libffi() { local s; s=$(unpack libffi) && autotools_project "$s" --disable-docs --disable-multi-os-directory; }
build_pcre2() { local s; s=$(unpack pcre2) && cmake_project "$s" -DPCRE2_BUILD_TESTS=OFF -DPCRE2_BUILD_PCRE2GREP=OFF -DPCRE2_SUPPORT_UNICODE=ON; }
build_libintl() {
  $triplet-gcc-posix -O2 -c "$here/libintl.c" -o "$work/libintl.o" &&
    $triplet-ar rcs "$prefix/lib/libintl.a" "$work/libintl.o" && cp "$here/libintl.h" "$prefix/include/"
}
build_glib() {
  local source; source=$(unpack glib2.0) || return 1
  cat > "$work/meson-cross.ini" <<EOF
[binaries]
c = '$triplet-gcc-posix'
cpp = '$triplet-g++-posix'
ar = '$triplet-ar'
strip = '$triplet-strip'
windres = '$triplet-windres'
pkgconfig = 'pkg-config'
exe_wrapper = 'wine'
[built-in options]
c_args = ['-I$prefix/include', '-D_WIN32_WINNT=0x0A00']
cpp_args = ['-I$prefix/include', '-D_WIN32_WINNT=0x0A00']
c_link_args = ['-L$prefix/lib']
cpp_link_args = ['-L$prefix/lib']
[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOF
  # A static GIO on Windows starts, from its constructor (giomodule_init_ctor), a thread pool that
  # watches the registry for app associations, and pins the module it is in: the plugin's DLL would
  # never unload. The app-info functions start it themselves when used; nothing of ours uses them.
  python3 - "$source/gio/giomodule.c" <<'PATCH' || return 1
import sys
path = sys.argv[1]
text = open(path).read()
old = "  gobject_win32_init ();\n  gio_win32_appinfo_init (FALSE);\n}"
if old not in text:
    sys.exit("giomodule.c: giomodule_init_ctor's gio_win32_appinfo_init call not found")
open(path, "w").write(text.replace(old, "  gobject_win32_init ();\n}"))
PATCH
  rm -rf "$work/build-glib"
  meson setup "$work/build-glib" "$source" --cross-file "$work/meson-cross.ini" --prefix "$prefix" \
    --libdir lib --buildtype release --default-library static --wrap-mode nodownload \
    -Dtests=false -Dinstalled_tests=false -Dnls=disabled -Dman=false -Dgtk_doc=false \
    -Dlibmount=disabled -Dselinux=disabled -Dxattr=false -Dlibelf=disabled -Dsysprof=disabled &&
    meson compile -C "$work/build-glib" -j "$jobs" && meson install -C "$work/build-glib" --no-rebuild
}
build_gmime() {
  local s; s=$(unpack gmime) && cmake_project "$here/gmime" -DGMIME_SOURCE="$s"
}
build_cpprest() {
  local source; source=$(unpack cpprest) || return 1
  # Upstream cpprestsdk builds only with MSVC on Windows: cpprest-mingw.py makes it build with
  # MinGW-w64, with UTF-8 strings as on Linux. On Windows it asks Boost for system, date_time and
  # regex libraries, which its asio code never links (Boost 1.74's system and date_time are
  # header-only; nothing uses Boost.Regex): it is given Boost's headers alone.
  python3 "$here/cpprest-mingw.py" "$source" &&
    sed -i 's/find_package(Boost REQUIRED COMPONENTS system date_time regex)/find_package(Boost REQUIRED)/' \
      "$source/Release/cmake/cpprest_find_boost.cmake" &&
    cmake_project "$source" -DCPPREST_PPLX_IMPL=winpplx -DCPPREST_HTTP_CLIENT_IMPL=asio \
      -DCPPREST_HTTP_LISTENER_IMPL=asio -DCPPREST_EXCLUDE_WEBSOCKETS=ON -DCPPREST_EXCLUDE_COMPRESSION=ON \
      -DCPPREST_EXCLUDE_BROTLI=ON -DBUILD_TESTS=OFF -DBUILD_SAMPLES=OFF -DWERROR=OFF -DCPPREST_INSTALL_HEADERS=ON \
      -DBoost_INCLUDE_DIR="$prefix/include" -DOPENSSL_ROOT_DIR="$prefix" -DOPENSSL_USE_STATIC_LIBS=ON
}
headers_from_debian() {  # header-only libraries, as Debian's binary packages install them
  rm -rf "$prefix/include/boost" "$prefix/include/rapidjson" "$prefix/include/doctest"
  cp -a /usr/include/boost /usr/include/rapidjson /usr/include/doctest "$prefix/include/" &&
    mkdir -p "$prefix/lib/cmake" && cp -a /usr/lib/cmake/RapidJSON "$prefix/lib/cmake/" 2>/dev/null || true
  for package in libboost1.74-dev rapidjson-dev doctest-dev libz-mingw-w64-dev; do
    dpkg-query -W -f='${Package} ${Version} (binary)\n' "$package"
  done >> "$prefix/versions.txt"
}

cmake_packages() {  # package files pointing into the prefix: header-only libraries, and RE2's .pc
  # (RE2's CMake build installs no re2.pc; its Makefile, which Linux's package uses, does)
  printf 'prefix=%s\nName: re2\nDescription: RE2 regular expressions\nVersion: 20220601\nLibs: -L${prefix}/lib -lre2\nCflags: -I${prefix}/include\n' \
    "$prefix" > "$prefix/lib/pkgconfig/re2.pc" &&
  mkdir -p "$prefix/lib/cmake/RapidJSON" &&
    echo "set(RAPIDJSON_INCLUDE_DIRS \"$prefix/include\")" > "$prefix/lib/cmake/RapidJSON/RapidJSONConfig.cmake" &&
    rm -rf "$prefix/lib/cmake/doctest" && cp -a /usr/lib/cmake/doctest "$prefix/lib/cmake/doctest" &&
    sed -i "s|set(_IMPORT_PREFIX \"/usr\")|set(_IMPORT_PREFIX \"$prefix\")|" "$prefix/lib/cmake/doctest/doctestTargets.cmake"
}

# OpenSSL comes just before cpprest, the one step that builds on it, so that a changed OpenSSL
# recipe rebuilds only those two (a step rebuilds every step after it).
steps=(headers:headers_from_debian c-ares:build_cares pugixml:build_pugixml re2:build_re2
       libffi:build_libffi pcre2:build_pcre2 libintl:build_libintl glib:build_glib gmime:build_gmime
       openssl:build_openssl cpprest:build_cpprest cmake-packages:cmake_packages)
# An argument names the last step to build (`deps.sh openssl`): the prefix then has that much.
if [ $# -gt 0 ]; then
  for i in "${!steps[@]}"; do [ "${steps[$i]%%:*}" = "$1" ] && { steps=("${steps[@]:0:$((i + 1))}"); partial=$1; break; }; done
  [ -n "${partial:-}" ] || { log "no step named $1"; exit 2; }
fi
complete=$prefix/.complete-$(for s in "${steps[@]}"; do recipe "${s#*:}"; done | sha256sum | cut -c1-16)
if [ -f "$complete" ]; then echo "$prefix"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9  # one build at a time; a second caller waits and then finds the cache made
if [ -f "$complete" ]; then echo "$prefix"; exit 0; fi
mkdir -p "$work/sources" "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/.steps"

for s in "${steps[@]}"; do step "${s%%:*}" "${s#*:}"; done
if [ -n "${partial:-}" ]; then echo "$prefix"; exit 0; fi

log "built in $((SECONDS - started)) s into $prefix"
rm -f "$prefix"/.complete-*
touch "$complete"
rm -rf "$work"  # the sources and build trees; a changed recipe downloads again
echo "$prefix"
