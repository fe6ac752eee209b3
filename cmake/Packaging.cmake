# On Windows, cpack -G ZIP makes rpa-email-<version>-win64.zip: rpa-host.exe in bin/, the plugin in
# lib/rpa/plugins/ (where the host looks by default, relative to its own folder), the schemas and the
# ABI headers; everything is linked statically, so no other DLL comes with them.
#
# Elsewhere, cpack -G DEB (from the build directory) makes two Debian packages from the install rules:
#  - rpa-email:    rpa-host, the Email plugin in <prefix>/lib/rpa/plugins and the schemas
#                  (component "runtime"; library dependencies found by dpkg-shlibdeps)
#  - rpa-abi-dev:  the ABI headers, the CMake package (find_package(rpa)) and rpa-abi.pc
#                  (component "dev"; architecture all)
# `make install` and cpack do not build first: run them after a build. (A cpack that rebuilt
# could relink the plugin while a test has it loaded.)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_PACKAGE_NAME "rpa-email")
set(CPACK_PACKAGE_VENDOR "RPA Email plugin team")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_COMPONENTS_ALL runtime dev)
if(WIN32)
  set(CPACK_GENERATOR ZIP)
  set(CPACK_PACKAGE_FILE_NAME "rpa-email-${PROJECT_VERSION}-win64")
  set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)  # one archive with the host, the plugin and the headers
  set(CPACK_STRIP_FILES ON)  # the debugging information stays in the build tree
  include(CPack)
  return()
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "RPA Email plugin team <rpa-email@example.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION "mail")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "rpa-email")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
# Loaded on first use, not NEEDED by the plugin (plugin/src/util/lazy_library.h), so dpkg-shlibdeps
# cannot see them; CPack adds what it finds to these.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libgmime-3.0-0, libgssapi-krb5-2, libkrb5-3")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Reference RPA host (rpa-host) with the Email package plugin: Connect, Disconnect and Authorize over IMAP, POP3 and EWS.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME "rpa-abi-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE "all")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "C ABI headers for RPA plugins and hosts, with a CMake package (find_package(rpa)) and a pkg-config file (rpa-abi).")

include(CPack)
