#!/usr/bin/env bash
# Registers the stand-in Outlook (outlook-standin.exe) in a Wine prefix under Outlook's own ProgID
# and CLSID, as Outlook's setup registers OUTLOOK.EXE: a LocalServer32 that COM starts with
# -Embedding, machine-wide (HKLM\Software\Classes, as Office setup does; Wine's COM reads class
# registrations there, not in HKCU). `--unregister` removes it again (Outlook not installed).
#   tests/peers/outlook/register.sh PREFIX STANDIN_EXE
#   tests/peers/outlook/register.sh PREFIX --unregister
set -euo pipefail
prefix=${1:?usage: register.sh PREFIX STANDIN_EXE|--unregister}
what=${2:?usage: register.sh PREFIX STANDIN_EXE|--unregister}
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine)
export WINEPREFIX=$prefix WINEDEBUG=-all WINEARCH=win64
[ -f "$WINEPREFIX/system.reg" ] || "$wine" wineboot -i >/dev/null 2>&1
clsid='{0006F03A-0000-0000-C000-000000000046}'
classes='HKLM\Software\Classes'
reg() { "$wine" reg "$@" >/dev/null; }
if [ "$what" = --unregister ]; then
  for key in "$classes\\Outlook.Application" "$classes\\Outlook.Application.16" "$classes\\CLSID\\$clsid"; do
    "$wine" reg delete "$key" /f >/dev/null 2>&1 || true
  done
  exit 0
fi
[ -f "$what" ] || { echo "register.sh: no such file: $what" >&2; exit 1; }
exe="Z:$(cd "$(dirname "$what")" && pwd)/$(basename "$what")"
exe=${exe//\//\\}
reg add "$classes\\Outlook.Application" /ve /d "Microsoft Outlook" /f
reg add "$classes\\Outlook.Application\\CLSID" /ve /d "$clsid" /f
reg add "$classes\\Outlook.Application\\CurVer" /ve /d "Outlook.Application.16" /f
reg add "$classes\\Outlook.Application.16\\CLSID" /ve /d "$clsid" /f
reg add "$classes\\CLSID\\$clsid" /ve /d "Microsoft Outlook" /f
reg add "$classes\\CLSID\\$clsid\\LocalServer32" /ve /d "\"$exe\" -Embedding" /f
reg add "$classes\\CLSID\\$clsid\\ProgID" /ve /d "Outlook.Application.16" /f
reg add "$classes\\CLSID\\$clsid\\VersionIndependentProgID" /ve /d "Outlook.Application" /f
