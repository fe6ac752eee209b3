#!/usr/bin/env python3
"""Makes Debian's cpprestsdk 2.10.18 build with MinGW-w64 (GCC) for Windows, with narrow (UTF-8)
strings as on Linux, its asio HTTP client and listener. Upstream supports only MSVC on Windows
(microsoft/cpprestsdk#202; the MinGW pull request #1570 was closed unmerged): its `_WIN32` branches
mean "MSVC" or "UTF-16 strings", and under GCC they mean neither. Applied by scripts/windows/deps.sh
to the unpacked source; each change says what it is for and fails loudly when its text is gone."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]) / "Release"


def patch(relative, old, new, count=1):
    path = root / relative
    text = path.read_text()
    if text.count(old) < count:
        sys.exit(f"cpprest-mingw: {relative}: text not found: {old[:60]!r}")
    path.write_text(text.replace(old, new))


def regex(relative, pattern, replacement):
    path = root / relative
    text, n = re.subn(pattern, replacement, path.read_text(), flags=re.M)
    if n == 0:
        sys.exit(f"cpprest-mingw: {relative}: pattern not found: {pattern!r}")
    path.write_text(text)


# Strings: UTF-8 std::string everywhere, as on Linux (the plugin's code is the same on both systems).
patch("include/cpprest/details/basic_types.h", "#ifdef _WIN32\n#define _UTF16_STRINGS\n#endif",
      "#if defined(_WIN32) && defined(_MSC_VER)\n#define _UTF16_STRINGS\n#endif")
# Compiler: GCC's equivalents of MSVC's keywords and intrinsics.
patch("include/cpprest/details/cpprest_compat.h", "#if defined(_WIN32)\n\n#if _MSC_VER >= 1900",
      "#if defined(_WIN32) && defined(_MSC_VER)\n\n#if _MSC_VER >= 1900")
patch("include/cpprest/details/cpprest_compat.h", "#define __declspec(x) __attribute__((x))\n#define dllimport\n",
      "#if !defined(_WIN32)\n#define __declspec(x) __attribute__((x))\n#define dllimport\n#endif\n")
# MinGW-w64's headers are lower case (the build runs on a case-sensitive file system).
patch("src/pch/stdafx.h", "#include <SDKDDKVer.h>", "#include <sdkddkver.h>")
patch("src/http/common/x509_cert_utilities.h", "#include <Wincrypt.h>", "#include <wincrypt.h>")
patch("src/utilities/web_utilities.cpp", "#include <Wincrypt.h>", "#include <wincrypt.h>")
# GCC has no _ReturnAddress(); pplx records the caller of a task's creation with it.
patch("include/pplx/pplxtasks.h", "#define PPLX_CAPTURE_CALLSTACK() ::pplx::details::_TaskCreationCallstack::"
      "_CaptureSingleFrameCallstack(_ReturnAddress())\n#endif\n\n",
      "#define PPLX_CAPTURE_CALLSTACK() ::pplx::details::_TaskCreationCallstack::"
      "_CaptureSingleFrameCallstack(__builtin_return_address(0))\n#endif\n\n")
patch("include/cpprest/streams.h", "#include \"cpprest/astreambuf.h\"", "#include \"cpprest/astreambuf.h\"\n#include <type_traits>")
# Where `_WIN32` means "strings are UTF-16": the extra std::string overloads that Windows needs
# next to its wide ones would duplicate the narrow ones.
regex("include/cpprest/json.h", r"^#ifdef _WIN32$", "#ifdef _UTF16_STRINGS")
patch("src/json/json.cpp", "#ifdef _WIN32\nweb::json::value web::json::value::string(const std::string& value)",
      "#ifdef _UTF16_STRINGS\nweb::json::value web::json::value::string(const std::string& value)")
patch("src/json/json_parsing.cpp", "#ifdef _WIN32\nweb::json::value web::json::value::parse(const std::string& str)",
      "#ifdef _UTF16_STRINGS\nweb::json::value web::json::value::parse(const std::string& str)")
patch("src/json/json_serialization.cpp", "#ifdef _WIN32\nvoid web::json::value::serialize(std::ostream& stream)",
      "#ifdef _UTF16_STRINGS\nvoid web::json::value::serialize(std::ostream& stream)")
patch("src/json/json_serialization.cpp", "#ifdef _WIN32\nvoid web::json::details::format_string(",
      "#ifdef _UTF16_STRINGS\nvoid web::json::details::format_string(")
patch("src/json/json_serialization.cpp", "#ifdef _WIN32\n\nvoid web::json::details::_String::format(std::basic_string<wchar_t>",
      "#ifdef _UTF16_STRINGS\n\nvoid web::json::details::_String::format(std::basic_string<wchar_t>")
regex("include/cpprest/http_msg.h", r"^#ifdef _WIN32$", "#ifdef _UTF16_STRINGS")
# Credentials: Windows keeps them encrypted in memory with CryptProtectMemory on wide strings; with
# UTF-8 strings they are kept as on Linux (the plugin wipes its own secrets; docs/design/proxy-bridge.md).
regex("include/cpprest/details/web_utilities.h", r"^#if defined\(_WIN32\) && _WIN32_WINNT >= _WIN32_WINNT_VISTA$",
      "#if defined(_UTF16_STRINGS) && _WIN32_WINNT >= _WIN32_WINNT_VISTA")
regex("include/cpprest/details/web_utilities.h", r"^#ifdef _WIN32$", "#ifdef _UTF16_STRINGS")
# SafeInt's C_ASSERT is MSVC's; GCC's is a static_assert.
patch("include/cpprest/details/SafeInt3.hpp", "    C_ASSERT(NumericType<T>::isInt);",
      "    static_assert(NumericType<T>::isInt, \"SafeInt needs an integer type\");")
patch("src/utilities/web_utilities.cpp", "#ifdef _WIN32\n#if _WIN32_WINNT >= _WIN32_WINNT_VISTA",
      "#ifdef _UTF16_STRINGS\n#if _WIN32_WINNT >= _WIN32_WINNT_VISTA")
regex("include/cpprest/streams.h", r"^#ifdef _WIN32\ntemplate<class CharType>\nclass type_parser<CharType, std::enable_if_t",
      "#ifdef _UTF16_STRINGS\ntemplate<class CharType>\nclass type_parser<CharType, std::enable_if_t")
patch("src/http/client/http_client_impl.h", "#ifdef _WIN32\n    void report_error(unsigned long error_code, const std::wstring&",
      "#ifdef _UTF16_STRINGS\n    void report_error(unsigned long error_code, const std::wstring&")
patch("src/http/client/http_client.cpp", "#if defined(_WIN32)\nvoid request_context::report_error(unsigned long error_code, const std::wstring&",
      "#if defined(_UTF16_STRINGS)\nvoid request_context::report_error(unsigned long error_code, const std::wstring&")
# Windows' own messages are UTF-16: made UTF-8 through char16_t (both are 16-bit code units there).
patch("src/utilities/asyncrt_utils.cpp", "    return utility::conversions::to_utf8string(buffer);",
      "    return utility::conversions::to_utf8string(std::u16string(buffer.begin(), buffer.end()));")
patch("src/http/oauth/oauth1.cpp", "    const auto& key_c = conversions::utf16_to_utf8(key);\n    const auto& data_c = conversions::utf16_to_utf8(data);",
      "    const auto& key_c = conversions::to_utf8string(key);\n    const auto& data_c = conversions::to_utf8string(data);")
patch("src/http/client/x509_cert_utilities.cpp", "        &u16HostName[0],", "        reinterpret_cast<WCHAR*>(&u16HostName[0]),")
# File streams: UTF-8 names become UTF-16 for CreateFileW (a Japanese user's temp folder works).
patch("src/streams/fileio_win32.cpp", "    std::wstring name(filename);",
      "    const auto name16 = utility::conversions::utf8_to_utf16(filename);\n    std::wstring name(name16.begin(), name16.end());")
patch("src/streams/fileio_win32.cpp", '#include "cpprest/details/fileio.h"', '#include "cpprest/details/fileio.h"\n#include <share.h>')
regex("src/streams/fileio_win32.cpp", r"case \(-1\):", "case static_cast<size_t>(-1):")
# SafeInt's many conversion operators are ambiguous to GCC in new[]: the size is taken explicitly.
regex("src/streams/fileio_win32.cpp", r"new char\[fInfo->m_bufsize \* char_size\]",
      "new char[(fInfo->m_bufsize * char_size).Ref()]")
# Structured exception handling (__try/__except) is MSVC's; GCC calls the function plainly (it cannot
# fail on Windows Vista and later, as Microsoft's documentation says).
patch("src/pplx/pplxwin.cpp", """    __try
    {
        ::InitializeCriticalSection(_cs);
    }
    __except (GetExceptionCode() == STATUS_NO_MEMORY ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH)
    {
        throw ::std::bad_alloc();
    }""", """    ::InitializeCriticalSection(_cs);""")
# Boost is headers only on Windows (see deps.sh's build_cpprest): the installed package asks for no libraries.
patch("cmake/cpprestsdk-config.in.cmake", "    find_dependency(Boost COMPONENTS system date_time regex)",
      "    find_dependency(Boost)")
# Atomics: GCC on Windows takes the GCC branch (std::atomic), not MSVC's _Interlocked intrinsics.
patch("include/pplx/pplxinterface.h", "#elif defined(_WIN32)\n#if (_MSC_VER >= 1700)",
      "#elif defined(_WIN32) && defined(_MSC_VER)\n#if (_MSC_VER >= 1700)")
# SafeInt's own C_ASSERT at namespace scope would clash with winnt.h's declaration of the same name.
patch("include/cpprest/details/SafeInt3.hpp", "C_ASSERT(-1 == static_cast<int>(0xffffffff));",
      "static_assert(-1 == static_cast<int>(0xffffffff), \"SafeInt needs two's complement\");")
# File stream protection defaults: MSVC's std::ios_base::_Openprot and _SH_DENYRD; elsewhere 0.
regex("include/cpprest/filestream.h", r"^#ifdef _WIN32$", "#if defined(_WIN32) && defined(_MSC_VER)")
# The asio HTTP client needs the asio thread pool on Windows too, websockets or not.
patch("src/pplx/threadpool.cpp", "#if !defined(CPPREST_EXCLUDE_WEBSOCKETS) || !defined(_WIN32)\n",
      "#if !defined(CPPREST_EXCLUDE_WEBSOCKETS) || !defined(_WIN32) || defined(CPPREST_FORCE_HTTP_CLIENT_ASIO)\n")
