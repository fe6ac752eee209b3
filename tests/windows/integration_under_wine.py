#!/usr/bin/env python3
"""integration_tests.exe under Wine against the Linux peers, one test case per process (issue 24).

On Linux, ctest runs every integration test case in a process of its own (doctest_discover_tests);
the Windows cases run the same way, so that no case depends on what an earlier one left in the
plugin (cached tokens, sessions): the test cases are listed with --list-test-cases, and each runs
in its own Wine process with `-tc=<its name>`, two at a time, with ctest's limit of 120 s each.

A case passes when its process ends with status 0 and doctest counted exactly one test case that
passed (a filter that matched nothing is a failure, not a pass). A failing case prints what doctest
printed, without the plugin's debug and info lines. A case that failed runs once more, alone, after
the others: if it passes then, it is named FLAKY at the end (and does not fail the run); if not, it
fails. The peers' addresses come from the environment
file ctest's dovecot fixture wrote (RPA_TEST_PEER_ENV). Exit status 0 when every case passed.

The Wine prefix is the build's, shared with host_under_wine.py, which sets Internet Options' proxy
settings in it. The cases expect none (proxy "system" then reads the environment, as on Linux), so
any that an interrupted run left are removed first, and said.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time


def run_wine(command, environment, timeout):
    """The exit status and output (stdout and stderr) of a Wine process. The output goes through a
    file, not a pipe: a process of the Wine prefix's own (services.exe, winedevice.exe) that the
    program starts inherits its output handles and outlives it, and would hold a pipe open."""
    with tempfile.TemporaryFile() as output:
        status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                env=environment, timeout=timeout).returncode
        output.seek(0)
        return status, output.read().decode("utf-8", "replace")


INTERNET_OPTIONS = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections"


def clear_internet_options(wine, environment):
    query = [wine, "reg", "query", INTERNET_OPTIONS, "/v", "DefaultConnectionSettings"]
    if run_wine(query, environment, 120)[0] != 0:
        return
    print("Internet Options of the Wine prefix named a proxy setting: removed", flush=True)
    run_wine([wine, "reg", "delete", INTERNET_OPTIONS, "/v", "DefaultConnectionSettings", "/f"], environment, 120)
    if run_wine(query, environment, 120)[0] == 0:
        sys.exit("cannot remove the proxy setting of Internet Options from the Wine prefix")


def listed_cases(wine, executable, environment):
    status, output = run_wine([wine, executable, "--no-intro", "--list-test-cases"], environment, 300)
    lines = output.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("=====")]
    if status != 0 or len(rules) < 2:
        sys.exit("cannot list the test cases:\n" + output[-2000:])
    return [line for line in lines[rules[0] + 1:rules[1]] if line.strip()]


def run_case(wine, executable, environment, name, timeout):
    # doctest's filters separate names with commas: a comma in a name is escaped, as CMake's
    # doctest_discover_tests does.
    started = time.monotonic()
    try:
        status, output = run_wine([wine, executable, "--no-intro", "-tc=" + name.replace(",", "\\,")],
                                  environment, timeout)
        counted = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed", output)
        passed = status == 0 and counted is not None and counted.group(1) == "1" and counted.group(2) == "1"
        if status == 0 and not passed:
            output += "\n(the filter did not run exactly this one test case)"
    except subprocess.TimeoutExpired:
        passed, output = False, f"(timed out after {timeout} s)"
    return name, passed, time.monotonic() - started, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wine", required=True)
    parser.add_argument("--executable", required=True, help="integration_tests.exe")
    parser.add_argument("--peers", required=True, help="the peers' environment file")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per test case")
    parser.add_argument("--match", default="", help="only the cases whose name contains this")
    args = parser.parse_args()
    environment = dict(os.environ, RPA_TEST_PEER_ENV=args.peers)
    run_all(args, environment)


def run_all(args, environment):
    clear_internet_options(args.wine, environment)
    cases = [name for name in listed_cases(args.wine, args.executable, environment) if args.match in name]
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        runs = [pool.submit(run_case, args.wine, args.executable, environment, name, args.timeout)
                for name in cases]
        for finished in concurrent.futures.as_completed(runs):
            name, passed, seconds, output = finished.result()
            print(("ok      " if passed else "FAILED  ") + f"{name} ({seconds:.1f} s)", flush=True)
            if not passed:
                failed.append(name)
                print_quietly(output)
    # A case that failed runs once more, alone: one that passes then is named FLAKY (and its first
    # failure was printed above), so that it is seen and mended, and a second failure fails the run.
    flaky = []
    for name in list(failed):
        name, passed, seconds, output = run_case(args.wine, args.executable, environment, name, args.timeout)
        print(("FLAKY   " if passed else "FAILED  ") + f"{name}, run again alone ({seconds:.1f} s)", flush=True)
        if passed:
            failed.remove(name)
            flaky.append(name)
        else:
            print_quietly(output)
    print(f"{len(cases) - len(failed)} of {len(cases)} test cases passed under Wine"
          + (f", {len(flaky)} of them only when run again alone" if flaky else ""), flush=True)
    for name in flaky:
        print("FLAKY   " + name)
    for name in failed:
        print("FAILED  " + name)
    sys.exit(1 if failed or not cases else 0)


def print_quietly(output):
    """What a failing case printed, without the plugin's debug and info lines."""
    quiet = [line for line in output.splitlines() if not re.match(r"\[(debug|info)\]", line)]
    print("\n".join(quiet[-80:]), flush=True)

if __name__ == "__main__":
    main()
