// Which system the test process runs on, for the few test cases that cannot run on Windows: each
// says why where it is skipped (`* doctest::skip(test::on_windows)`). Everything else runs on both.
#pragma once

namespace test {

#ifdef _WIN32
inline constexpr bool on_windows = true;
#else
inline constexpr bool on_windows = false;
#endif

}  // namespace test
