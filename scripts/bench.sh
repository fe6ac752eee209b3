#!/usr/bin/env bash
# Builds, starts a Dovecot peer and runs the Connect benchmarks (bench/connect_bench.cpp, and
# bench/connect_vs_curl.cpp: ratios against libcurl, curl and imaplib) and the mailbox benchmark
# (bench/mailbox_bench.cpp: listing and fetching real mail beside imaplib, poplib and libcurl) and the send
# benchmark (bench/send_bench.cpp: a 10 MB attachment beside smtplib and libcurl) and the latency
# benchmark (bench/latency_bench.cpp: listing through a proxy that delays every byte 50 ms each way) and the watch
# benchmark (bench/watch_bench.cpp: from an arrival to the wait's return over IMAP, POP3 and EWS, and an idle wait's CPU).
#   scripts/bench.sh [RUNS] [MAILBOX_ROUNDS] [SEND_ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RPA_BUILD_DIR:-$root/build}
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh" >/dev/null
state="$build/peers/bench.env"
peer="$root/tests/peers/dovecot/dovecot-peer.sh"
trap '"$peer" stop "$state"' EXIT
"$peer" start "$state" 24800 >/dev/null
"$build/bin/connect_bench" "$state" "$build/plugins" --runs "${1:-30}"
echo
echo "Side by side with libcurl, the curl command line and Python's imaplib (client CPU, medians):"
"$build/bin/connect_vs_curl" "$state" "$build" --rounds "${1:-30}"
echo
echo "The mailbox interface on real mail, side by side with Python's imaplib and poplib and libcurl's IMAP fetch:"
"$build/bin/mailbox_bench" "$state" "$build/plugins" --rounds "${2:-10}"
echo
echo "Sending a 10 MB attachment over SMTP, side by side with Python's smtplib and libcurl:"
"$build/bin/send_bench" "$state" "$build/plugins" --rounds "${3:-5}"
echo
echo "Listing 1,000 summaries from a server 50 ms away (a delaying proxy), IMAP beside imaplib:"
"$build/bin/latency_bench" "$state" "$build/plugins" --rounds "${2:-10}"
echo
echo "Waiting for new mail (IMAP IDLE, POP3 polled, EWS streaming notifications):"
"$build/bin/watch_bench" "$state" "$build/plugins" --arrivals 20 --idle-seconds 60
