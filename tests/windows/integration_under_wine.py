#!/usr/bin/env python3
"""integration_tests.exe under Wine against the Linux peers, one test case per process (issue 24).

On Linux, ctest runs every integration test case in a process of its own (doctest_discover_tests);
the Windows cases run the same way, so that no case depends on what an earlier one left in the
plugin (cached tokens, sessions): the test cases are listed with --list-test-cases, and each runs
in its own Wine process with `-tc=<its name>`, two at a time, with ctest's limit of 120 s each.

A case passes when its process ends with status 0 and doctest counted exactly one test case that
passed (a filter that matched nothing is a failure, not a pass). A failing case prints what doctest
printed, without the plugin's debug and info lines. The peers' addresses come from the environment
file ctest's dovecot fixture wrote (RPA_TEST_PEER_ENV). Exit status 0 when every case passed.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time


def listed_cases(wine, executable, environment):
    listing = subprocess.run([wine, executable, "--no-intro", "--list-test-cases"], capture_output=True,
                             env=environment, timeout=300)
    lines = listing.stdout.decode("utf-8", "replace").splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("=====")]
    if listing.returncode != 0 or len(rules) < 2:
        sys.exit("cannot list the test cases:\n" + listing.stdout.decode("utf-8", "replace")[-2000:])
    return [line for line in lines[rules[0] + 1:rules[1]] if line.strip()]


def run_case(wine, executable, environment, name, timeout):
    # doctest's filters separate names with commas: a comma in a name is escaped, as CMake's
    # doctest_discover_tests does.
    started = time.monotonic()
    try:
        run = subprocess.run([wine, executable, "--no-intro", "-tc=" + name.replace(",", "\\,")],
                             capture_output=True, env=environment, timeout=timeout)
        output = (run.stdout + run.stderr).decode("utf-8", "replace")
        counted = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed", output)
        passed = run.returncode == 0 and counted is not None and counted.group(1) == "1" and counted.group(2) == "1"
        if run.returncode == 0 and not passed:
            output += "\n(the filter did not run exactly this one test case)"
    except subprocess.TimeoutExpired as expired:
        passed = False
        output = ((expired.stdout or b"") + (expired.stderr or b"")).decode("utf-8", "replace")
        output += f"\n(timed out after {timeout} s)"
    return name, passed, time.monotonic() - started, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wine", required=True)
    parser.add_argument("--executable", required=True, help="integration_tests.exe")
    parser.add_argument("--peers", required=True, help="the peers' environment file")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per test case")
    args = parser.parse_args()
    environment = dict(os.environ, RPA_TEST_PEER_ENV=args.peers)
    cases = listed_cases(args.wine, args.executable, environment)
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        runs = [pool.submit(run_case, args.wine, args.executable, environment, name, args.timeout)
                for name in cases]
        for finished in concurrent.futures.as_completed(runs):
            name, passed, seconds, output = finished.result()
            print(("ok      " if passed else "FAILED  ") + f"{name} ({seconds:.1f} s)", flush=True)
            if not passed:
                failed.append(name)
                quiet = [line for line in output.splitlines() if not re.match(r"\[(debug|info)\]", line)]
                print("\n".join(quiet[-80:]), flush=True)
    print(f"{len(cases) - len(failed)} of {len(cases)} test cases passed under Wine", flush=True)
    for name in failed:
        print("FAILED  " + name)
    sys.exit(1 if failed or not cases else 0)


if __name__ == "__main__":
    main()
